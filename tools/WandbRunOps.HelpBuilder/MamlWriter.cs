using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>
    /// Writes PowerShell command help (MAML) in the shape PlatyPS writes and Get-Help reads: a helpItems root
    /// (schema="maml", default namespace http://msh) holding one command:command per cmdlet.
    /// </summary>
    public static class MamlWriter
    {
        public const string MshNamespace = "http://msh";
        public const string MamlNamespace = "http://schemas.microsoft.com/maml/2004/10";
        public const string CommandNamespace = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public const string DevNamespace = "http://schemas.microsoft.com/maml/dev/2004/10";
        public const string MsHelpNamespace = "http://msdn.microsoft.com/mshelp";

        public static string Write(IEnumerable<CommandHelp> commands)
        {
            var settings = new XmlWriterSettings
            {
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Replace,
                Encoding = new UTF8Encoding(false),
            };
            var text = new Utf8StringWriter();
            using (XmlWriter xml = XmlWriter.Create(text, settings))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("helpItems", MshNamespace);
                xml.WriteAttributeString("schema", "maml");
                foreach (CommandHelp command in commands)
                {
                    WriteCommand(xml, command);
                }

                xml.WriteEndElement();
                xml.WriteEndDocument();
            }

            return text.ToString() + "\n";
        }

        private static void WriteCommand(XmlWriter xml, CommandHelp command)
        {
            xml.WriteStartElement("command", "command", CommandNamespace);
            xml.WriteAttributeString("xmlns", "maml", null, MamlNamespace);
            xml.WriteAttributeString("xmlns", "command", null, CommandNamespace);
            xml.WriteAttributeString("xmlns", "dev", null, DevNamespace);
            xml.WriteAttributeString("xmlns", "MSHelp", null, MsHelpNamespace);

            xml.WriteStartElement("command", "details", CommandNamespace);
            xml.WriteElementString("command", "name", CommandNamespace, command.Name);
            xml.WriteElementString("command", "verb", CommandNamespace, command.Verb);
            xml.WriteElementString("command", "noun", CommandNamespace, command.Noun);
            WriteDescription(xml, new[] { command.Synopsis });
            xml.WriteEndElement();

            WriteDescription(xml, command.Description);

            xml.WriteStartElement("command", "syntax", CommandNamespace);
            foreach (SyntaxItem item in command.Syntax)
            {
                xml.WriteStartElement("command", "syntaxItem", CommandNamespace);
                xml.WriteElementString("maml", "name", MamlNamespace, command.Name);
                foreach ((ParameterHelp parameter, ParameterMetadata metadata) in item.Parameters)
                {
                    WriteParameter(xml, parameter, metadata, inSyntax: true);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("command", "parameters", CommandNamespace);
            foreach (ParameterHelp parameter in command.Parameters)
            {
                WriteParameter(xml, parameter, parameter.Metadata[0], inSyntax: false);
            }

            xml.WriteEndElement();

            WriteTypes(xml, "inputTypes", "inputType", command.Inputs);
            WriteTypes(xml, "returnValues", "returnValue", command.Outputs);

            xml.WriteStartElement("maml", "alertSet", MamlNamespace);
            xml.WriteStartElement("maml", "alert", MamlNamespace);
            WriteParagraphs(xml, command.Notes);
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("command", "examples", CommandNamespace);
            for (int i = 0; i < command.Examples.Count; i++)
            {
                ExampleHelp example = command.Examples[i];
                xml.WriteStartElement("command", "example", CommandNamespace);
                xml.WriteElementString("maml", "title", MamlNamespace, ExampleTitle(example.Title));
                xml.WriteElementString("dev", "code", DevNamespace, example.Code);
                xml.WriteStartElement("dev", "remarks", DevNamespace);
                WriteParagraphs(xml, example.Remarks);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("command", "relatedLinks", CommandNamespace);
            foreach (LinkHelp link in command.Links)
            {
                xml.WriteStartElement("maml", "navigationLink", MamlNamespace);
                xml.WriteElementString("maml", "linkText", MamlNamespace, link.Text);
                xml.WriteElementString("maml", "uri", MamlNamespace, link.Uri);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteEndElement();
        }

        /// <summary>
        /// A parameter as PlatyPS writes it. In a syntax item a switch has no command:parameterValue, so the syntax
        /// line shows [-Flatten] rather than [-Flatten &lt;SwitchParameter&gt;]; under command:parameters it has one,
        /// marked not required.
        /// </summary>
        private static void WriteParameter(XmlWriter xml, ParameterHelp parameter, ParameterMetadata metadata, bool inSyntax)
        {
            xml.WriteStartElement("command", "parameter", CommandNamespace);
            xml.WriteAttributeString("required", metadata.Required ? "true" : "false");
            xml.WriteAttributeString("variableLength", "true");
            xml.WriteAttributeString("globbing", metadata.Globbing ? "true" : "false");
            xml.WriteAttributeString("pipelineInput", metadata.PipelineInput);
            xml.WriteAttributeString("position", metadata.Position);
            xml.WriteAttributeString("aliases", metadata.Aliases.Count == 0 ? "none" : string.Join(", ", metadata.Aliases));
            xml.WriteElementString("maml", "name", MamlNamespace, parameter.Name);
            WriteDescription(xml, parameter.Description);

            if (inSyntax && metadata.AcceptedValues.Count > 0)
            {
                xml.WriteStartElement("command", "parameterValueGroup", CommandNamespace);
                foreach (string value in metadata.AcceptedValues)
                {
                    xml.WriteStartElement("command", "parameterValue", CommandNamespace);
                    xml.WriteAttributeString("required", "false");
                    xml.WriteAttributeString("command", "variableLength", CommandNamespace, "false");
                    xml.WriteString(value);
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }
            else if (!(inSyntax && metadata.IsSwitch))
            {
                xml.WriteStartElement("command", "parameterValue", CommandNamespace);
                xml.WriteAttributeString("required", metadata.IsSwitch ? "false" : "true");
                xml.WriteAttributeString("variableLength", "false");
                xml.WriteString(metadata.Type);
                xml.WriteEndElement();
            }

            xml.WriteStartElement("dev", "type", DevNamespace);
            xml.WriteElementString("maml", "name", MamlNamespace, metadata.Type);
            xml.WriteElementString("maml", "uri", MamlNamespace, string.Empty);
            xml.WriteEndElement();
            xml.WriteElementString("dev", "defaultValue", DevNamespace, metadata.DefaultValue);
            xml.WriteEndElement();
        }

        private static void WriteTypes(XmlWriter xml, string listElement, string itemElement, List<TypeHelp> types)
        {
            xml.WriteStartElement("command", listElement, CommandNamespace);
            foreach (TypeHelp type in types)
            {
                xml.WriteStartElement("command", itemElement, CommandNamespace);
                xml.WriteStartElement("dev", "type", DevNamespace);
                xml.WriteElementString("maml", "name", MamlNamespace, type.Name);
                xml.WriteEndElement();
                WriteDescription(xml, type.Description);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        private static void WriteDescription(XmlWriter xml, IReadOnlyCollection<string> paragraphs)
        {
            xml.WriteStartElement("maml", "description", MamlNamespace);
            WriteParagraphs(xml, paragraphs);
            xml.WriteEndElement();
        }

        private static void WriteParagraphs(XmlWriter xml, IReadOnlyCollection<string> paragraphs)
        {
            if (paragraphs.Count == 0)
            {
                xml.WriteElementString("maml", "para", MamlNamespace, string.Empty);
            }

            foreach (string paragraph in paragraphs)
            {
                xml.WriteElementString("maml", "para", MamlNamespace, paragraph);
            }
        }

        /// <summary>"Example 1: Get runs" becomes "---------- Example 1: Get runs ----------", the banner Get-Help shows.</summary>
        public static string ExampleTitle(string title)
        {
            if (title.StartsWith("---", StringComparison.Ordinal))
            {
                return title;
            }

            int dashes = Math.Clamp((76 - title.Length - 2) / 2, 3, 26);
            string rule = new string('-', dashes);
            return rule + " " + title + " " + rule;
        }

        private sealed class Utf8StringWriter : StringWriter
        {
            public override Encoding Encoding => new UTF8Encoding(false);
        }
    }
}
