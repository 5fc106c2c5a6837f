using System;
using System.Linq;
using WandbRunOps.Comparison;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    public class RuntimeAndCompareTests : SampleRunsTest
    {
        [Fact]
        public void EachRunsRuntimeIsHeartbeatMinusCreatedWithTheSdksOwnFigure()
        {
            var runtimes = Ps.Run("Get-WandbRun | Measure-RunRuntime").ThrowOnError().Of<RunRuntime>();
            Assert.Equal(8, runtimes.Count);
            RunRuntime resumed = runtimes.Single(r => r.RunId == "resu007g");
            Assert.Equal(TimeSpan.FromMinutes(145), resumed.Runtime);
            Assert.Equal(8700d, resumed.Seconds);
            Assert.Equal(3000d, resumed.ReportedSeconds);
            Assert.Equal(RunState.Finished, resumed.State);
            RunRuntime live = runtimes.Single(r => r.RunId == "live006f");
            Assert.Null(live.ReportedSeconds);
            Assert.True(live.Runtime >= TimeSpan.FromMinutes(10));
            Assert.Equal(1200d, runtimes.Single(r => r.RunId == "crsh005e").ReportedSeconds);
        }

        [Fact]
        public void StatisticsSummariseThePipedRuns()
        {
            RuntimeStatistics stats = Assert.Single(Ps.Run("Get-WandbRun -Id fin* | Measure-RunRuntime -Statistics").ThrowOnError().Of<RuntimeStatistics>());
            double[] seconds = { 1800, 4500, 900 };
            double mean = seconds.Average();
            Assert.Equal(3, stats.Count);
            Assert.Equal(TimeSpan.FromSeconds(7200), stats.Sum);
            Assert.Equal(TimeSpan.FromSeconds(2400), stats.Average);
            Assert.Equal(TimeSpan.FromSeconds(900), stats.Minimum);
            Assert.Equal(TimeSpan.FromSeconds(4500), stats.Maximum);
            Assert.Equal(TimeSpan.FromSeconds(1800), stats.Median);
            Assert.Equal(Math.Sqrt(seconds.Sum(s => (s - mean) * (s - mean)) / 2), stats.StandardDeviationSeconds!.Value, 6);
        }

        [Fact]
        public void RuntimeRowsFilterAndRebind()
        {
            ScriptResult over = Ps.Run("Get-WandbRun | Measure-RunRuntime | Where-Object Runtime -gt ([timespan]::FromHours(1)) | Get-RunConfig | ForEach-Object RunId");
            Assert.Equal(new object[] { "resu007g", "fin0002b" }, over.ThrowOnError().Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void CompareRunConfigListsTheKeysThatDiffer()
        {
            var removed = Ps.Run("$runs = Get-WandbRun; Compare-RunConfig -ReferenceRun $runs[0] -DifferenceRun ($runs | Where-Object Id -eq offl008h)")
                .ThrowOnError().Of<ConfigDifference>();
            ConfigDifference architecture = Assert.Single(removed);
            Assert.Equal(("architecture", "<=", "cnn-small"), (architecture.Key, architecture.SideIndicator, (string)architecture.ReferenceValue!));
            Assert.Null(architecture.DifferenceValue);

            var rows = Ps.Run("Compare-RunConfig (Get-WandbRun -Id fin0001a) (Get-WandbRun -Id fail004d)").ThrowOnError().Of<ConfigDifference>();
            ConfigDifference lr = Assert.Single(rows);
            Assert.Equal(("learning_rate", "<>", 0.001, 0.1), (lr.Key, lr.SideIndicator, (double)lr.ReferenceValue!, (double)lr.DifferenceValue!));
            Assert.Equal(("fin0001a", "fail004d"), (lr.ReferenceRunId, lr.DifferenceRunId));
            Assert.Empty(Ps.Run("Compare-RunConfig (Get-WandbRun -Id fin0001a) (Get-WandbRun -Id fin0001a)").ThrowOnError().Output);
        }

        [Fact]
        public void CompareRunConfigTakesRunIdsAndReportsAMissingOne()
        {
            ScriptResult result = Ps.Run("Compare-RunConfig fin0001a fail004d, nope0000");
            ConfigDifference lr = Assert.Single(result.Of<ConfigDifference>());
            Assert.Equal(("learning_rate", "fail004d"), (lr.Key, lr.DifferenceRunId));
            System.Management.Automation.ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("WandbRunNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal("nope0000", error.TargetObject);

            ScriptResult missingReference = Ps.Run("try { Compare-RunConfig nope0000 fin0001a; 'not reached' } catch { $_.FullyQualifiedErrorId }");
            Assert.StartsWith("WandbRunNotFound,", (string)Assert.Single(missingReference.Output).BaseObject);
        }

        [Fact]
        public void CompareRunConfigTakesDifferenceRunsFromThePipelineAndComparesNestedKeys()
        {
            var rows = Ps.Run("$ref = Get-WandbRun -Id fin0001a; Get-WandbRun -Id fin0002b, resu007g | Compare-RunConfig $ref -IncludeEqual")
                .ThrowOnError().Of<ConfigDifference>();
            Assert.Contains(rows, r => r.DifferenceRunId == "fin0002b" && r.Key == "optimizer.name" && r.SideIndicator == "==");
            Assert.Contains(rows, r => r.DifferenceRunId == "resu007g" && r.Key == "epochs" && r.SideIndicator == "==" && (long)r.DifferenceValue! == 10L);
            Assert.Contains(rows, r => r.DifferenceRunId == "resu007g" && r.Key == "learning_rate" && r.SideIndicator == "<>" && (double)r.DifferenceValue! == 0.003);
            Assert.DoesNotContain(rows, r => r.Key.StartsWith("_wandb", StringComparison.Ordinal));
            Assert.Contains(
                Ps.Run("Compare-RunConfig (Get-WandbRun -Id fin0001a) (Get-WandbRun -Id fin0002b) -IncludeInternal -IncludeEqual").ThrowOnError().Of<ConfigDifference>(),
                r => r.Key == "_wandb" && r.SideIndicator == "==");
        }
    }
}
