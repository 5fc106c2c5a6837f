using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    /// <summary>The help in docs/en-US documents every cmdlet and every parameter, and nothing that does not exist.</summary>
    public class HelpDriftTests
    {
        [Fact]
        public void EveryParameterIsDocumentedAndEveryDocumentedParameterExists()
        {
            using var ps = new ModuleRunspace();
            var commands = ps.Run("Get-Command -Module WandbRunOps").ThrowOnError().Of<CmdletInfo>();
            Assert.NotEmpty(commands);
            var common = new[] { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable" };
            foreach (CmdletInfo command in commands)
            {
                string file = Path.Combine(RepoPaths.Root, "docs", "en-US", command.Name + ".md");
                Assert.True(File.Exists(file), command.Name + " has no help file " + file);
                string text = File.ReadAllText(file);
                string[] documented = Regex.Matches(text, @"^### -(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).OrderBy(n => n).ToArray();
                string[] actual = command.Parameters.Keys.Where(k => !common.Contains(k)).OrderBy(n => n).ToArray();
                Assert.True(actual.SequenceEqual(documented), command.Name + ": parameters " + string.Join(",", actual) + " but documented " + string.Join(",", documented));
                Assert.True(Regex.Matches(text, @"^### Example \d+", RegexOptions.Multiline).Count >= 3, command.Name + " needs at least three examples");
            }

            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "docs", "en-US", "about_WandbRunOps.help.md")));
        }
    }
}
