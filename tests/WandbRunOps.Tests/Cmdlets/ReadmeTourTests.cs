using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    /// <summary>
    /// Runs every command of the README's quick tour, verbatim, on a copy of the committed samples/ folder (what a
    /// fresh clone has: the snapshot's dates, file times of now) and checks the answer each one promises.
    /// </summary>
    public class ReadmeTourTests : IDisposable
    {
        private readonly TempDirectory _clone = new TempDirectory();
        private readonly ModuleRunspace _ps;
        private readonly List<(string Question, string Command)> _tour;

        public ReadmeTourTests()
        {
            // The tour's `Set-Location ./samples` must land in the folder that holds wandb/.
            _clone.CopyFrom(Path.Combine(RepoPaths.Root, "samples"), "samples");
            _ps = new ModuleRunspace(_clone.Path);
            _tour = ReadTour();
        }

        public void Dispose()
        {
            _ps.Dispose();
            _clone.Dispose();
        }

        [Fact]
        public void EveryTourCommandGivesItsAnswer()
        {
            Assert.Equal(9, _tour.Count);
            Assert.Empty(Run(0));
            Assert.Equal(8, Run(1).Count);
            Assert.Equal(new object[] { "fin0003c", "fail004d", "crsh005e" }, Run(2).Select(o => o.Prop("RunId")));
            Assert.Equal(new[] { "fin0002b" }, Run(3).Select(o => ((WandbRun)o.BaseObject).Id));
            // live006f has no exit record and its records are days old: Crashed, even on a clone made a minute ago.
            Dictionary<string, int> states = Run(4).ToDictionary(o => (string)o.Prop("Name")!, o => (int)o.Prop("Count")!);
            Assert.Equal((5, 1, 2, 0), (states["Finished"], states["Failed"], states["Crashed"], states.GetValueOrDefault("Running")));

            // Counted back from the newest run, so the snapshot's dates give the same answer on any day.
            Assert.Equal(
                new[] { "fin0003c", "fail004d", "crsh005e", "offl008h", "live006f" },
                Run(5).Select(o => ((WandbRun)o.BaseObject).Id));

            // live006f ran 10 minutes by its own records: a fresh clone's new file times must not make it a long run.
            Assert.Equal(new object[] { "resu007g", "fin0002b" }, Run(6).Select(o => o.Prop("RunId")));
            Assert.Equal(new[] { "mnist:v3" }, Run(7).Select(o => ((WandbArtifact)o.BaseObject).Reference));
            Assert.Equal(
                new[] { "fin0001a=True", "resu007g=False", "fin0002b=True", "fin0003c=False", "offl008h=False" },
                Run(8).Select(o => o.Prop("RunId") + "=" + o.Prop("LoggedModel")));
        }

        private List<PSObject> Run(int index)
        {
            ScriptResult result = _ps.Run(_tour[index].Command);
            Assert.True(result.Terminating is null && result.Errors.Count == 0, _tour[index].Question + ": " + result.Terminating?.Message + string.Join("; ", result.Errors));
            return result.Output;
        }

        /// <summary>The tour block: `# question` lines, each followed by its one-line command.</summary>
        private static List<(string, string)> ReadTour()
        {
            string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
            Match block = Regex.Match(readme, @"<!-- tour -->\s*```powershell\n(?<body>.*?)```", RegexOptions.Singleline);
            Assert.True(block.Success, "README.md has no tour block");
            var tour = new List<(string, string)>();
            string? question = null;
            foreach (string line in block.Groups["body"].Value.Split('\n').Select(l => l.TrimEnd('\r')))
            {
                if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    question = line.Substring(2);
                }
                else if (line.Trim().Length > 0)
                {
                    tour.Add((question ?? "?", line));
                    question = null;
                }
            }

            return tour;
        }
    }
}
