using System.Collections.Generic;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>One cmdlet's help, as read from its PlatyPS markdown page.</summary>
    public sealed class CommandHelp
    {
        public CommandHelp(string name, string externalHelpFile)
        {
            Name = name;
            ExternalHelpFile = externalHelpFile;
        }

        public string Name { get; }

        public string Verb => Name.Contains('-') ? Name.Substring(0, Name.IndexOf('-')) : Name;

        public string Noun => Name.Contains('-') ? Name.Substring(Name.IndexOf('-') + 1) : string.Empty;

        /// <summary>The MAML file this command's help goes to (front matter "external help file").</summary>
        public string ExternalHelpFile { get; }

        public string? OnlineVersion { get; set; }

        public string Synopsis { get; set; } = string.Empty;

        public List<string> Description { get; } = new List<string>();

        public List<SyntaxItem> Syntax { get; } = new List<SyntaxItem>();

        public List<ParameterHelp> Parameters { get; } = new List<ParameterHelp>();

        public List<TypeHelp> Inputs { get; } = new List<TypeHelp>();

        public List<TypeHelp> Outputs { get; } = new List<TypeHelp>();

        public List<string> Notes { get; } = new List<string>();

        public List<ExampleHelp> Examples { get; } = new List<ExampleHelp>();

        public List<LinkHelp> Links { get; } = new List<LinkHelp>();
    }

    /// <summary>One parameter set's syntax line: the parameters in the order the SYNTAX block gives them.</summary>
    public sealed class SyntaxItem
    {
        public SyntaxItem(string setName)
        {
            SetName = setName;
        }

        /// <summary>The parameter set, or __AllParameterSets for a command with one syntax.</summary>
        public string SetName { get; }

        public List<(ParameterHelp Parameter, ParameterMetadata Metadata)> Parameters { get; } = new List<(ParameterHelp, ParameterMetadata)>();
    }

    public sealed class ParameterHelp
    {
        public ParameterHelp(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public List<string> Description { get; } = new List<string>();

        /// <summary>One entry per yaml block; PlatyPS writes several when a parameter differs between sets.</summary>
        public List<ParameterMetadata> Metadata { get; } = new List<ParameterMetadata>();
    }

    /// <summary>A parameter's yaml block.</summary>
    public sealed class ParameterMetadata
    {
        public string Type { get; set; } = "Object";

        /// <summary>The parameter sets the block applies to; empty for "(All)".</summary>
        public List<string> ParameterSets { get; } = new List<string>();

        public bool AllParameterSets => ParameterSets.Count == 0;

        public List<string> Aliases { get; } = new List<string>();

        public bool Required { get; set; }

        /// <summary>"named" or a number, as MAML writes it.</summary>
        public string Position { get; set; } = "named";

        public string DefaultValue { get; set; } = "None";

        /// <summary>"False", "True (ByValue)", "True (ByPropertyName)" or "True (ByValue, ByPropertyName)".</summary>
        public string PipelineInput { get; set; } = "False";

        public bool Globbing { get; set; }

        /// <summary>"Accepted values" (a ValidateSet), shown as {A | B} in the syntax.</summary>
        public List<string> AcceptedValues { get; } = new List<string>();

        public bool IsSwitch => Type == "SwitchParameter" || Type == "System.Management.Automation.SwitchParameter";

        public bool AppliesTo(string setName) => AllParameterSets || ParameterSets.Contains(setName);
    }

    public sealed class TypeHelp
    {
        public TypeHelp(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public List<string> Description { get; } = new List<string>();
    }

    public sealed class ExampleHelp
    {
        public ExampleHelp(string title)
        {
            Title = title;
        }

        public string Title { get; }

        public string Code { get; set; } = string.Empty;

        public List<string> Remarks { get; } = new List<string>();
    }

    public sealed class LinkHelp
    {
        public LinkHelp(string text, string uri)
        {
            Text = text;
            Uri = uri;
        }

        public string Text { get; }

        /// <summary>An absolute address, or empty: the markdown's relative links point at files that are not installed.</summary>
        public string Uri { get; }
    }
}
