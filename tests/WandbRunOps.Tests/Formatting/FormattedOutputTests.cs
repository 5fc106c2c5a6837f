using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using WandbRunOps.Api;
using WandbRunOps.Comparison;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Formatting
{
    /// <summary>
    /// What a user sees: the built module imported into an engine whose host captures what Out-Default renders,
    /// through the views in WandbRunOps.Format.ps1xml. The objects themselves keep raw values.
    /// </summary>
    public sealed class FormattedOutputTests : IDisposable
    {
        private const string LocalTime = "yyyy-MM-dd HH:mm:ss";
        private static readonly Regex Ansi = new Regex(@"\x1b\[[0-9;?]*[A-Za-z]");
        private readonly ApiSamples _api = new ApiSamples();
        private readonly CapturingHost _host = new CapturingHost();
        private readonly Runspace _runspace;

        public FormattedOutputTests()
        {
            _runspace = RunspaceFactory.CreateRunspace(_host, HostedEngine.SessionState());
            _runspace.Open();
            _runspace.SessionStateProxy.Path.SetLocation(_api.Samples.ProjectFolder);
            _runspace.SessionStateProxy.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            _runspace.SessionStateProxy.SetVariable("url", _api.Server.BaseUrl);
        }

        public void Dispose()
        {
            _runspace.Dispose();
            _api.Dispose();
        }

        private List<PSObject> Invoke(string script, params object[] args)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _runspace;
            shell.AddScript(script);
            foreach (object arg in args)
            {
                shell.AddArgument(arg);
            }

            Collection<PSObject> output = shell.Invoke();
            if (shell.Streams.Error.Count > 0)
            {
                throw new InvalidOperationException(string.Join(" | ", shell.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            }

            return output.ToList();
        }

        /// <summary>Runs a script whose output goes to Out-Default and returns the rendered lines (trailing blanks trimmed).</summary>
        private List<string> Render(string script)
        {
            _host.Clear();
            Assert.Empty(Invoke(script));
            return Ansi.Replace(_host.Text, string.Empty).Split('\n').Select(l => l.TrimEnd()).ToList();
        }

        private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        private static void NoTypeNames(List<string> lines)
        {
            string text = string.Join("\n", lines);
            Assert.DoesNotContain("System.", text);
            Assert.DoesNotContain("WandbRunOps.", text);
            Assert.DoesNotContain(FakeData.ApiKey, text);
        }

        [Fact]
        public void RunsRenderAsATableWithLocalCreationTimesAndHoursMinutesSeconds()
        {
            List<WandbRun> runs = Invoke("Get-WandbRun").Select(o => o.BaseObject).Cast<WandbRun>().ToList();
            List<string> lines = Render("Get-WandbRun | Out-Default");
            string all = string.Join("\n", lines);

            string header = Assert.Single(lines, l => l.StartsWith("Id ", StringComparison.Ordinal));
            Assert.Equal(new[] { "Id", "Name", "State", "CreatedAt", "Runtime" }, Words(header));
            Assert.Equal(runs.Count, lines.Count(l => runs.Any(r => l.StartsWith(r.Id + " ", StringComparison.Ordinal))));

            WandbRun fin = runs.Single(r => r.Id == "fin0002b");
            string row = Assert.Single(lines, l => l.StartsWith("fin0002b ", StringComparison.Ordinal));
            Assert.Equal(TimeSpan.FromMinutes(75), fin.Runtime);
            Assert.Contains(" 1:15:00 ", row + " ");
            Assert.Contains(fin.CreatedAt.ToLocalTime().ToString(LocalTime), row);
            Assert.Matches(@" \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} ", row);
            Assert.Contains(fin.State.ToString(), row);
            NoTypeNames(lines);
            Assert.DoesNotContain("00:00:00.", all);
        }

        [Fact]
        public void TheListViewShowsTheRunsMostUsefulProperties()
        {
            List<string> lines = Render("Get-WandbRun -Id fin0002b | Format-List | Out-Default");
            Dictionary<string, string> items = lines.Where(l => l.Contains(" : ", StringComparison.Ordinal))
                .ToDictionary(l => l.Substring(0, l.IndexOf(" : ", StringComparison.Ordinal)).Trim(), l => l.Substring(l.IndexOf(" : ", StringComparison.Ordinal) + 3).Trim());
            Assert.Equal("fin0002b", items["Id"]);
            Assert.Equal("1:15:00", items["Runtime"]);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", items["CreatedAt"]);
            Assert.Contains("accuracy=0.95", items["Summary"]);
            Assert.Contains("learning_rate=0.01", items["Config"]);
            Assert.Equal("True", items["Synced"]);
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^Notes\s+:$"));
            NoTypeNames(lines);
        }

        [Fact]
        public void TheListViewShowsSyncedForLocalRunsOnlyAndTheNotes()
        {
            Dictionary<string, string> Items(string script) => Render(script).Where(l => l.Contains(" : ", StringComparison.Ordinal))
                .ToDictionary(l => l.Substring(0, l.IndexOf(" : ", StringComparison.Ordinal)).Trim(), l => l.Substring(l.IndexOf(" : ", StringComparison.Ordinal) + 3).Trim());

            // An offline run never synced: the run Remove-WandbRun keeps without -IncludeUnsynced.
            Assert.Equal("False", Items("Get-WandbRun -Id offl008h | Format-List | Out-Default")["Synced"]);

            // API runs have no Synced ($null): no empty line for it.
            Invoke("$null = Set-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key -Id fin0002b -Notes 'OPS-1234: rerun'");
            Dictionary<string, string> api = Items("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key -Id fin0002b | Format-List | Out-Default");
            Assert.False(api.ContainsKey("Synced"));
            Assert.Equal("OPS-1234: rerun", api["Notes"]);
        }

        [Fact]
        public void ArtifactsShowTheReferenceTheExactSizeInBytesAndALocalCreationTime()
        {
            List<WandbArtifact> artifacts = Invoke("Get-WandbRun -Id fin0001a | Get-RunLoggedArtifact").Select(o => o.BaseObject).Cast<WandbArtifact>().ToList();
            List<string> lines = Render("Get-WandbRun -Id fin0001a | Get-RunLoggedArtifact | Out-Default");

            string header = Assert.Single(lines, l => l.StartsWith("Reference ", StringComparison.Ordinal));
            Assert.Equal(new[] { "Reference", "Type", "Size", "Aliases", "CreatedAt", "RunId" }, Words(header));
            foreach (WandbArtifact artifact in artifacts)
            {
                string row = Assert.Single(lines, l => l.StartsWith(artifact.Reference + " ", StringComparison.Ordinal));
                Assert.Matches(@"\d+:v\d+|:[a-z]+", artifact.Reference);
                if (artifact.Size is long size)
                {
                    Assert.Contains(" " + size.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", row + " ");
                }

                if (artifact.CreatedAt is DateTime created)
                {
                    Assert.Contains(created.ToLocalTime().ToString(LocalTime), row);
                }
            }

            Assert.Contains(lines, l => l.Contains(" 4719004 ", StringComparison.Ordinal));
            NoTypeNames(lines);
        }

        [Fact]
        public void RuntimesAndStatisticsRenderAsHoursMinutesSeconds()
        {
            List<string> table = Render("Get-WandbRun | Measure-RunRuntime | Out-Default");
            Assert.Equal(new[] { "RunId", "RunName", "State", "Runtime", "Seconds", "ReportedSeconds" }, Words(Assert.Single(table, l => l.StartsWith("RunId ", StringComparison.Ordinal))));
            Assert.Contains(" 1:15:00 ", Assert.Single(table, l => l.StartsWith("fin0002b ", StringComparison.Ordinal)) + " ");
            NoTypeNames(table);
            Assert.All(table, l => Assert.True(l.Length < 120, "a column stretches the table: " + l));

            RuntimeStatistics stats = (RuntimeStatistics)Invoke("Get-WandbRun | Measure-RunRuntime -Statistics").Single().BaseObject;
            List<string> list = Render("Get-WandbRun | Measure-RunRuntime -Statistics | Out-Default");
            Dictionary<string, string> items = list.Where(l => l.Contains(" : ", StringComparison.Ordinal))
                .ToDictionary(l => l.Substring(0, l.IndexOf(" : ", StringComparison.Ordinal)).Trim(), l => l.Substring(l.IndexOf(" : ", StringComparison.Ordinal) + 3).Trim());
            Assert.Equal(new[] { "Count", "Sum", "Average", "Minimum", "Maximum", "Median", "StandardDeviation" }, items.Keys);
            Assert.Equal(stats.Count.ToString(), items["Count"]);
            TimeSpan max = stats.Maximum!.Value;
            Assert.Equal(string.Format("{0}:{1:mm\\:ss}", (int)Math.Floor(max.TotalHours), max), items["Maximum"]);
            Assert.All(items.Where(i => i.Key != "Count"), i => Assert.Matches(@"^\d+:\d{2}:\d{2}$", i.Value));
            NoTypeNames(list);
        }

        [Fact]
        public void ConfigDifferencesRenderAsATableGroupedByRunPair()
        {
            List<string> lines = Render("Compare-RunConfig (Get-WandbRun -Id fin0001a) (Get-WandbRun -Id fin0002b, fail004d) | Out-Default");
            Assert.Contains(lines, l => l.Trim() == "Runs: fin0001a => fin0002b");
            Assert.Contains(lines, l => l.Trim() == "Runs: fin0001a => fail004d");
            Assert.Contains(lines, l => Words(l).SequenceEqual(new[] { "Key", "ReferenceValue", "DifferenceValue", "SideIndicator" }));
            string rate = lines.First(l => l.StartsWith("learning_rate ", StringComparison.Ordinal));
            Assert.Equal(new[] { "learning_rate", "0.001", "0.01", "<>" }, Words(rate));
            NoTypeNames(lines);
        }

        [Fact]
        public void TheConnectionRendersAsAListWithoutTheKey()
        {
            Invoke("$null = Connect-Wandb -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key");
            WandbConnection connection = (WandbConnection)Invoke("Get-WandbConnection").Single().BaseObject;
            List<string> lines = Render("Get-WandbConnection | Out-Default");
            Dictionary<string, string> items = lines.Where(l => l.Contains(" : ", StringComparison.Ordinal))
                .ToDictionary(l => l.Substring(0, l.IndexOf(" : ", StringComparison.Ordinal)).Trim(), l => l.Substring(l.IndexOf(" : ", StringComparison.Ordinal) + 3).Trim());
            Assert.Equal(new[] { "BaseUrl", "Username", "Entity", "Project", "KeySource", "ConnectedAt" }, items.Keys);
            Assert.Equal(("ana", "acme-ml", "mnist-sweep", "Parameter"), (items["Username"], items["Entity"], items["Project"], items["KeySource"]));
            Assert.Equal(connection.ConnectedAt.ToLocalTime().ToString(LocalTime), items["ConnectedAt"]);
            NoTypeNames(lines);
            Assert.DoesNotContain("Credential", string.Join("\n", lines));
        }

        [Fact]
        public void FormattingLeavesTheValuesRaw()
        {
            List<PSObject> output = Invoke(
                "$runs = Get-WandbRun; $runs | Out-Default; $runs | Format-List | Out-Default; " +
                "$artifacts = $runs | Where-Object Id -eq fin0001a | Get-RunLoggedArtifact; $artifacts | Out-Default; " +
                "$times = $runs | Measure-RunRuntime; $times | Out-Default; $runs; $artifacts; $times");
            List<WandbRun> runs = output.Select(o => o.BaseObject).OfType<WandbRun>().ToList();
            Assert.NotEmpty(runs);
            Assert.All(runs, r => Assert.Equal(DateTimeKind.Utc, r.CreatedAt.Kind));
            Assert.Equal(TimeSpan.FromMinutes(75), runs.Single(r => r.Id == "fin0002b").Runtime);
            Assert.IsType<double>(runs.Single(r => r.Id == "fin0002b").Summary["accuracy"]);
            Assert.Contains(output.Select(o => o.BaseObject).OfType<WandbArtifact>(), a => a.Size is long size && size > 1048576);
            Assert.All(output.Select(o => o.BaseObject).OfType<RunRuntime>(), t => Assert.Equal(t.Runtime.TotalSeconds, t.Seconds));

            // The shell sees the same raw types: nothing in the types file turns a value into text.
            PSObject types = Invoke(
                "$r = Get-WandbRun -Id fin0002b; $a = @(Get-WandbRun -Id fin0001a | Get-RunLoggedArtifact | Where-Object Size -gt 0)[0]; " +
                "[pscustomobject]@{ Created = $r.CreatedAt.GetType().Name; Runtime = $r.Runtime.GetType().Name; Size = $a.Size.GetType().Name; RunId = $r.RunId }").Single();
            Assert.Equal(("DateTime", "TimeSpan", "Int64", "fin0002b"), ((string)types.Prop("Created")!, (string)types.Prop("Runtime")!, (string)types.Prop("Size")!, (string)types.Prop("RunId")!));
        }
    }
}
