using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    /// <summary>
    /// Pester tests, runbooks and build.ps1 cannot run here (no pwsh), so every PowerShell file in the repo is at
    /// least parsed by the real engine's parser: a syntax error fails CI.
    /// </summary>
    public class ScriptSyntaxTests
    {
        private static readonly string[] Skipped = { "bin", "obj", "out", ".git", "TestResults" };

        public static IEnumerable<object[]> Scripts() =>
            Walk(RepoPaths.Root)
                .Where(f => f.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase))
                .Select(f => new object[] { Path.GetRelativePath(RepoPaths.Root, f) });

        [Theory]
        [MemberData(nameof(Scripts))]
        public void ParsesWithoutErrors(string relativePath)
        {
            Parser.ParseFile(Path.Combine(RepoPaths.Root, relativePath), out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => relativePath + ":" + e.Extent.StartLineNumber + ": " + e.Message)));
        }

        [Fact]
        public void TheRepoHasTheScriptsThisTestIsFor()
        {
            var scripts = Scripts().Select(s => ((string)s[0]).Replace('\\', '/')).ToList();
            Assert.Contains("build.ps1", scripts);
            Assert.Contains("module/WandbRunOps.psd1", scripts);
            Assert.Contains(scripts, s => s.StartsWith("tests/", StringComparison.Ordinal) && s.EndsWith(".Tests.ps1", StringComparison.Ordinal));
        }

        private static IEnumerable<string> Walk(string directory)
        {
            foreach (string file in Directory.EnumerateFiles(directory))
            {
                yield return file;
            }

            foreach (string child in Directory.EnumerateDirectories(directory))
            {
                if (!Skipped.Contains(Path.GetFileName(child), StringComparer.OrdinalIgnoreCase))
                {
                    foreach (string file in Walk(child))
                    {
                        yield return file;
                    }
                }
            }
        }
    }
}
