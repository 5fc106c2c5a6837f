using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    public class GetWandbRunTests : SampleRunsTest
    {
        [Fact]
        public void ListsTheRunsUnderDotWandbOldestFirstWithTypedProperties()
        {
            var runs = Ps.Run("Get-WandbRun").ThrowOnError().Of<WandbRun>();
            Assert.Equal(new[] { "fin0001a", "resu007g", "fin0002b", "fin0003c", "fail004d", "crsh005e", "offl008h", "live006f" }, runs.Select(r => r.Id));

            WandbRun first = runs[0];
            Assert.Equal(("brisk-river-1", "acme-ml", "mnist-sweep", RunState.Finished, (int?)0), (first.Name, first.Entity, first.Project, first.State, first.ExitCode));
            Assert.Equal(DateTimeKind.Utc, first.CreatedAt.Kind);
            Assert.Equal(Samples.Anchor.AddDays(-6), first.CreatedAt);
            Assert.Equal(TimeSpan.FromMinutes(30), first.Runtime);
            Assert.Equal(1800d, first.ReportedSeconds);
            Assert.IsType<double>(first.Config["learning_rate"]);
            Assert.IsType<long>(first.Config["batch_size"]);
            Assert.Equal(new[] { "baseline" }, first.Tags);
            Assert.Equal("ana", first.Username);
            Assert.Equal(RunSource.Local, first.Source);

            Assert.Empty(runs.Single(r => r.Id == "crsh005e").Tags);
            Assert.Equal(RunState.Crashed, runs.Single(r => r.Id == "crsh005e").State);
            Assert.Equal(RunState.Running, runs.Single(r => r.Id == "live006f").State);
            Assert.Equal(RunState.Failed, runs.Single(r => r.Id == "fail004d").State);
            Assert.Null(runs.Single(r => r.Id == "offl008h").Entity);
        }

        [Fact]
        public void PropertiesComposeWithWhereObject()
        {
            Assert.Equal(new[] { "fail004d" }, Ids(Ps.Run("Get-WandbRun | Where-Object State -eq 'Failed'")));
            Assert.Equal(new[] { "fin0003c", "fail004d", "crsh005e" }, Ids(Ps.Run("Get-WandbRun | Where-Object { $_.Config.learning_rate -gt 0.01 }")));
            Assert.Equal(new[] { "resu007g", "fin0002b" }, Ids(Ps.Run("Get-WandbRun | Where-Object Runtime -gt ([timespan]::FromHours(1))")));
            Assert.Equal(new[] { "adam" }, Ps.Run("Get-WandbRun -Id fin0001a | ForEach-Object { $_.Config.optimizer.name }").Output.Select(o => o.BaseObject));
            Assert.Equal(new[] { "fin0002b", "fin0003c", "fail004d" }, Ids(Ps.Run("Get-WandbRun | Where-Object SweepId -eq 'swp01'")));
            Assert.Equal(new object[] { true }, Ps.Run("(Get-WandbRun -Id fail004d).Summary.accuracy -is [double]").Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void IdAndNameTakeWildcards()
        {
            Assert.Equal(new[] { "fin0001a", "fin0002b", "fin0003c" }, Ids(Ps.Run("Get-WandbRun -Id fin*")));
            Assert.Equal(new[] { "fin0003c", "crsh005e" }, Ids(Ps.Run("Get-WandbRun -Id fin0003c, CRSH005E")));
            Assert.Equal(new[] { "fin0002b" }, Ids(Ps.Run("Get-WandbRun -Name calm-*")));
            Assert.Equal(new[] { "fin0001a" }, Ids(Ps.Run("Get-WandbRun -Id fin* -Name brisk-river-1")));
        }

        [Fact]
        public void AMissingLiteralIdIsANonTerminatingObjectNotFoundError()
        {
            ScriptResult result = Ps.Run("Get-WandbRun -Id nope0000, fin0001a");
            Assert.Equal(new[] { "fin0001a" }, result.Of<WandbRun>().Select(r => r.Id));
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("WandbRunNotFound,WandbRunOps.Commands.GetWandbRunCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("nope0000", error.TargetObject);
            Assert.Contains("nope0000", error.Exception.Message);
            Assert.Empty(Ps.Run("Get-WandbRun -Id 'zz*'").Errors);
        }

        [Fact]
        public void ErrorActionStopMakesAMissingRunCatchable()
        {
            ScriptResult result = Ps.Run(
                "try { Get-WandbRun -Id nope0000 -ErrorAction Stop; 'not reached' } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString() }");
            Assert.Equal(new object[] { "WandbRunNotFound,WandbRunOps.Commands.GetWandbRunCommand", "ObjectNotFound" }, result.Output.Select(o => o.BaseObject));
            Assert.Empty(Ps.Run("Get-WandbRun -Id nope0000 -ErrorAction SilentlyContinue").Output);
        }

        [Fact]
        public void PathTakesWildcardsPipelineInputAndMergesResumedFoldersOnce()
        {
            Assert.Equal(8, Ps.Run("Get-WandbRun -Path ($args[0] + '/*')", Samples.Wandb).ThrowOnError().Output.Count);
            ScriptResult piped = Ps.Run(
                "[System.IO.Directory]::GetDirectories($args[0], 'run-*-resu007g') | ForEach-Object { [pscustomobject]@{ FullName = $_ } } | Get-WandbRun",
                Samples.Wandb);
            WandbRun resumed = Assert.Single(piped.ThrowOnError().Of<WandbRun>());
            Assert.Equal(2, resumed.Folders.Length);
            Assert.Equal(10L, resumed.Config["epochs"]);
            Assert.Equal(0.89, resumed.Summary["accuracy"]);
        }

        [Fact]
        public void AMissingPathIsReportedAndTheOtherPathsAreRead()
        {
            ScriptResult result = Ps.Run("Get-WandbRun -Path ./nothing-here, ./wandb");
            Assert.Equal(8, result.Of<WandbRun>().Count);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("WandbPathNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("./nothing-here", error.TargetObject);
        }

        [Fact]
        public void FirstAndSkipPage()
        {
            Assert.Equal(new[] { "fin0002b", "fin0003c" }, Ids(Ps.Run("Get-WandbRun -Skip 2 -First 2")));
            ScriptResult total = Ps.Run("Get-WandbRun -First 1 -IncludeTotalCount");
            Assert.Equal(2, total.Output.Count);
            Assert.Equal(8UL, total.Output[0].BaseObject);
            Assert.Equal("fin0001a", ((WandbRun)total.Output[1].BaseObject).Id);
        }

        [Fact]
        public void ACorruptLogGivesAWarningAndTheOtherRunsStillArrive()
        {
            string log = Directory.GetFiles(Samples.Wandb, "run-fin0003c.wandb", SearchOption.AllDirectories).Single();
            byte[] bytes = File.ReadAllBytes(log);
            for (int i = 200; i < 260; i++)
            {
                bytes[i] ^= 0x5A;
            }

            File.WriteAllBytes(log, bytes);
            ScriptResult result = Ps.Run("Get-WandbRun -Verbose");
            Assert.Empty(result.Errors);
            Assert.Equal(8, result.Of<WandbRun>().Count);
            Assert.Contains(result.Warnings, w => w.Contains("run-fin0003c.wandb") && w.Contains("damaged"));
            Assert.Contains(result.Verbose, v => v.Contains("Reading run log") && v.Contains("fin0001a"));
        }

        [Fact]
        public void ALogThatIsNotAWandbLogFallsBackToItsFiles()
        {
            string log = Directory.GetFiles(Samples.Wandb, "run-crsh005e.wandb", SearchOption.AllDirectories).Single();
            File.WriteAllText(log, "garbage");
            ScriptResult result = Ps.Run("Get-WandbRun -Id crsh005e");
            WandbRun run = Assert.Single(result.Of<WandbRun>());
            Assert.Equal(0.02, run.Config["learning_rate"]);
            Assert.Contains(result.Warnings, w => w.Contains("not a readable W&B run log"));
        }

        private static string[] Ids(ScriptResult result) => result.ThrowOnError().Of<WandbRun>().Select(r => r.Id).ToArray();
    }
}
