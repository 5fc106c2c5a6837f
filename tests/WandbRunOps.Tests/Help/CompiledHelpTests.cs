using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Help
{
    /// <summary>
    /// Get-Help, in the hosted engine with out/WandbRunOps imported, shows the help that `dotnet build` compiles
    /// from docs/en-US into out/WandbRunOps/en-US: for every exported cmdlet and for about_WandbRunOps.
    /// </summary>
    public class CompiledHelpTests
    {
        // -WhatIf and -Confirm are not here: the cmdlets that change runs document them, as PlatyPS does.
        private static readonly string[] CommonParameters = { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable" };

        private static List<CmdletInfo> Cmdlets(ModuleRunspace ps)
        {
            List<CmdletInfo> commands = ps.Run("Get-Command -Module WandbRunOps").ThrowOnError().Of<CmdletInfo>();
            Assert.Equal(24, commands.Count);
            return commands;
        }

        [Fact]
        public void HelpIsReadFromTheEnUsFolderOfTheModuleBase()
        {
            // The manifest's RootModule is bin/WandbRunOps.dll, but Get-Help looks for a module cmdlet's
            // <assembly>.dll-Help.xml under the module's ModuleBase (the manifest's folder) and its culture
            // folders, not beside the dll.
            using var ps = new ModuleRunspace();
            PSObject found = ps.Run("$c = Get-Command Get-WandbRun; $null = Get-Help Get-WandbRun; [pscustomobject]@{ ModuleBase = $c.Module.ModuleBase; HelpFile = $c.HelpFile }").ThrowOnError().Output.Single();
            Assert.Equal(Path.GetFullPath(RepoPaths.ModuleFolder).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath((string)found.Prop("ModuleBase")!).TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal(Path.GetFullPath(HelpPaths.Maml), Path.GetFullPath((string)found.Prop("HelpFile")!));
            Assert.True(File.Exists(HelpPaths.AboutTopic), HelpPaths.AboutTopic + " is missing");
        }

        [Fact]
        public void GetHelpFullShowsTheSynopsisOfEveryCmdlet()
        {
            using var ps = new ModuleRunspace();
            foreach (CmdletInfo command in Cmdlets(ps))
            {
                string synopsis = ps.Run("(Get-Help $args[0] -Full).Synopsis", command.Name).ThrowOnError().Output.Single().ToString();
                Assert.Equal(HelpPage.Of(command.Name).Synopsis, HelpPage.Collapse(synopsis));
            }
        }

        [Fact]
        public void GetHelpFullShowsTheExamplesOfEveryCmdlet()
        {
            using var ps = new ModuleRunspace();
            foreach (CmdletInfo command in Cmdlets(ps))
            {
                HelpPage page = HelpPage.Of(command.Name);
                PSObject examples = ps.Run(
                    "$h = Get-Help $args[0] -Full; [pscustomobject]@{ Count = @($h.examples.example).Count; Title = [string]$h.examples.example[0].title; Code = [string]$h.examples.example[0].code; Remarks = [string](@($h.examples.example[0].remarks | ForEach-Object Text) -join ' ') }",
                    command.Name).ThrowOnError().Output.Single();
                Assert.True(page.ExampleCount >= 3, command.Name);
                Assert.Equal(page.ExampleCount, (int)examples.Prop("Count")!);
                Assert.Contains(page.FirstExampleCode, ((string)examples.Prop("Code")!).Replace("\r\n", "\n"));
                Assert.Matches(@"^-{3,} Example 1: .+ -{3,}$", (string)examples.Prop("Title")!);
                Assert.False(string.IsNullOrWhiteSpace((string)examples.Prop("Remarks")!), command.Name + ": the first example has no remarks");
            }
        }

        [Fact]
        public void GetHelpListsEveryParameterOfEveryCmdlet()
        {
            using var ps = new ModuleRunspace();
            foreach (CmdletInfo command in Cmdlets(ps))
            {
                // A cmdlet without parameters of its own has an empty command:parameters, so the expression gives $null.
                string[] documented = ps.Run("(Get-Help $args[0]).parameters.parameter.name", command.Name).ThrowOnError()
                    .Output.Where(o => o is not null).Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                string[] actual = command.Parameters.Keys.Where(k => !CommonParameters.Contains(k)).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                Assert.True(actual.SequenceEqual(documented), command.Name + ": parameters " + string.Join(",", actual) + " but Get-Help lists " + string.Join(",", documented));
            }
        }

        [Fact]
        public void SyntaxHasOneItemPerParameterSetWithThatSetsParameters()
        {
            using var ps = new ModuleRunspace();
            foreach (CmdletInfo command in Cmdlets(ps))
            {
                List<string[]> helpSets = ps.Run("(Get-Help $args[0]).syntax.syntaxItem | ForEach-Object { ,[string[]]@($_.parameter | Where-Object { $null -ne $_ } | ForEach-Object name) }", command.Name).ThrowOnError()
                    .Output.Select(o => ((string[])o.BaseObject).OrderBy(n => n, StringComparer.Ordinal).ToArray()).ToList();
                List<string[]> realSets = command.ParameterSets
                    .Select(set => set.Parameters.Select(p => p.Name).Where(n => !CommonParameters.Contains(n)).OrderBy(n => n, StringComparer.Ordinal).ToArray())
                    .ToList();
                Assert.Equal(realSets.Count, helpSets.Count);
                foreach (string[] real in realSets)
                {
                    Assert.True(helpSets.Any(h => h.SequenceEqual(real)), command.Name + ": no syntax item has the parameter set " + string.Join(",", real));
                }
            }
        }

        [Fact]
        public void GetHelpParameterIdShowsTheDocumentedParameter()
        {
            using var ps = new ModuleRunspace();
            List<CmdletInfo> withId = Cmdlets(ps).Where(c => c.Parameters.ContainsKey("Id")).ToList();
            Assert.Contains(withId, c => c.Name == "Get-WandbRun");
            foreach (CmdletInfo command in withId)
            {
                HelpPage page = HelpPage.Of(command.Name);
                IDictionary<string, string> yaml = page.ParameterYaml("Id");
                PSObject id = ps.Run("Get-Help $args[0] -Parameter Id", command.Name).ThrowOnError().Output.Single();
                Assert.Equal("Id", id.Prop("name")?.ToString());
                Assert.Equal(yaml["Required"], id.Prop("required")?.ToString(), StringComparer.OrdinalIgnoreCase);
                Assert.Equal(yaml["Position"], id.Prop("position")?.ToString(), StringComparer.OrdinalIgnoreCase);
                Assert.Equal(yaml["Accept wildcard characters"], id.Prop("globbing")?.ToString(), StringComparer.OrdinalIgnoreCase);
                Assert.Equal(yaml["Accept pipeline input"], id.Prop("pipelineInput")?.ToString());
                Assert.Equal(yaml["Aliases"].Length == 0 ? "none" : yaml["Aliases"], id.Prop("aliases")?.ToString());
                string description = ps.Run("(Get-Help $args[0] -Parameter Id).description.Text -join ' '", command.Name).ThrowOnError().Output.Single().ToString();
                Assert.StartsWith(page.ParameterDescriptionStart("Id"), HelpPage.Collapse(description));
            }
        }

        [Fact]
        public void GetHelpParameterShowsPositionAliasesAndPipelineInput()
        {
            using var ps = new ModuleRunspace();
            PSObject id = ps.Run("Get-Help Get-WandbRun -Parameter Id").ThrowOnError().Output.Single();
            Assert.Equal("0", id.Prop("position")?.ToString());
            Assert.Equal("True (ByPropertyName)", id.Prop("pipelineInput")?.ToString());

            PSObject path = ps.Run("Get-Help Get-WandbRun -Parameter Path").ThrowOnError().Output.Single();
            Assert.Equal("named", path.Prop("position")?.ToString());
            Assert.Equal("FullName", path.Prop("aliases")?.ToString());
            Assert.Equal("True (ByPropertyName)", path.Prop("pipelineInput")?.ToString());
            Assert.Equal("true", path.Prop("globbing")?.ToString());

            PSObject literal = ps.Run("Get-Help Get-WandbRun -Parameter LiteralPath").ThrowOnError().Output.Single();
            Assert.Equal("true", literal.Prop("required")?.ToString());
            Assert.Equal("PSPath, LP", literal.Prop("aliases")?.ToString());

            string defaultValue = ps.Run("(Get-Help Get-WandbRun -Parameter PageSize).defaultValue").ThrowOnError().Output.Single().ToString();
            Assert.Equal("50, then 1000", defaultValue);

            // A switch has no value in the syntax line, as in PowerShell's own help.
            string switchValue = ps.Run("[string](((Get-Help Get-WandbRun).syntax.syntaxItem[0].parameter | Where-Object name -eq IncludeTotalCount).parameterValue)").ThrowOnError().Output.Single().ToString();
            Assert.Equal(string.Empty, switchValue);
        }

        [Fact]
        public void GetHelpFullShowsDescriptionInputsOutputsNotesAndLinks()
        {
            using var ps = new ModuleRunspace();
            PSObject help = ps.Run(
                "$h = Get-Help Get-WandbRun -Full; [pscustomobject]@{ Description = (@($h.description | ForEach-Object Text) -join ' '); Inputs = (@($h.inputTypes.inputType | ForEach-Object { $_.type.name }) -join ';'); Outputs = (@($h.returnValues.returnValue | ForEach-Object { $_.type.name }) -join ';'); Notes = (@($h.alertSet.alert | ForEach-Object Text) -join ' '); Links = (@($h.relatedLinks.navigationLink | ForEach-Object linkText) -join ';') }")
                .ThrowOnError().Output.Single();
            Assert.StartsWith("The `Get-WandbRun` cmdlet gets Weights & Biases (W&B) runs as `WandbRunOps.Model.WandbRun` objects", (string)help.Prop("Description")!);
            Assert.Contains("`Get-WandbRun` supports paging: `-First`, `-Skip` and `-IncludeTotalCount`.", (string)help.Prop("Description")!);
            Assert.Equal("System.String;WandbRunOps.Model.WandbRun;System.Management.Automation.PSObject", help.Prop("Inputs"));
            Assert.Equal("WandbRunOps.Model.WandbRun;System.UInt64", help.Prop("Outputs"));
            Assert.Contains("`Tags` is an empty list, never `$null`, when a run has no tags.", (string)help.Prop("Notes")!);
            Assert.StartsWith("Online Version:;Get-RunConfig;Get-RunSummary;", (string)help.Prop("Links")!);
            Assert.EndsWith(";about_WandbRunOps", (string)help.Prop("Links")!);
        }

        [Fact]
        public void EveryCmdletHasItsOnlineHelpAddressInTheCommandAndInItsHelp()
        {
            using var ps = new ModuleRunspace();
            string projectUri = ps.Run("[string](Get-Module WandbRunOps).ProjectUri").ThrowOnError().Output.Single().ToString();
            Assert.Equal("https://github.com/wandbrunops/WandbRunOps", projectUri);
            foreach (CmdletInfo command in Cmdlets(ps))
            {
                string expected = projectUri + "/blob/main/docs/en-US/" + command.Name + ".md";
                Assert.Equal(expected, ps.Run("(Get-Command $args[0]).HelpUri", command.Name).ThrowOnError().Output.Single().ToString());
                string first = ps.Run("$l = @((Get-Help $args[0] -Full).relatedLinks.navigationLink)[0]; $l.linkText + '|' + $l.uri", command.Name).ThrowOnError().Output.Single().ToString();
                Assert.Equal("Online Version:|" + expected, first);
            }
        }

        [Fact]
        public void EveryExampleShowsItsCmdlet()
        {
            foreach (string page in Directory.GetFiles(HelpPaths.Docs, "*-*.md"))
            {
                string command = Path.GetFileNameWithoutExtension(page);
                string text = File.ReadAllText(page).Replace("\r\n", "\n");
                int examples = 0;
                foreach (Match example in Regex.Matches(text, @"^### (Example \d+.*?)\n(.*?)(?=^##)", RegexOptions.Multiline | RegexOptions.Singleline))
                {
                    string code = string.Join("\n", Regex.Matches(example.Groups[2].Value, "```[^\n]*\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value));
                    Assert.True(code.IndexOf(command, StringComparison.OrdinalIgnoreCase) >= 0, command + ": '" + example.Groups[1].Value + "' does not show " + command);
                    examples++;
                }

                Assert.True(examples >= 3, command + ": " + examples + " examples found");
            }
        }

        [Fact]
        public void GetHelpAboutWandbRunOpsShowsTheTopic()
        {
            using var ps = new ModuleRunspace();
            ScriptResult result = ps.Run("Get-Help about_WandbRunOps").ThrowOnError();
            string text = string.Join("\n", result.Output.Select(o => o.ToString()));
            Assert.StartsWith("TOPIC\n    about_WandbRunOps\n\nSHORT DESCRIPTION\n", text.Replace("\r\n", "\n"));
            string flat = HelpPage.Collapse(text);
            Assert.Contains("WandbRunOps is a binary module for querying W&B experiment runs from PowerShell: which runs beat a metric, which crashed last night, how long training took, which model a run logged.", flat);
            Assert.Contains("LONG DESCRIPTION", text);
            Assert.Contains("NAN AND SORT-OBJECT", text);

            // The synopsis Get-Help lists for the topic is its short description.
            string synopsis = ps.Run("(Get-Help about_WandbRunOps).Synopsis").ThrowOnError().Output.Single().ToString();
            Assert.StartsWith("Explains how WandbRunOps reads Weights & Biases (W&B) runs", synopsis);
        }
    }
}
