using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    /// <summary>Get-RunConfig and Get-RunSummary: one row per run, one property per key, identity that re-binds.</summary>
    public class RunValuesTests : SampleRunsTest
    {
        [Fact]
        public void ConfigRowsHaveIdentityAndOnePropertyPerKey()
        {
            PSObject row = Assert.Single(Ps.Run("Get-WandbRun -Id fin0001a | Get-RunConfig").ThrowOnError().Output);
            Assert.Equal("WandbRunOps.Model.RunConfig", row.TypeNames[0]);
            Assert.Equal(
                new[] { "RunId", "RunName", "RunProject", "RunEntity", "RunPath", "learning_rate", "batch_size", "epochs", "optimizer", "architecture", "data.augment" },
                row.Properties.Select(p => p.Name));
            Assert.Equal(("fin0001a", "brisk-river-1", "mnist-sweep", "acme-ml"), ((string)row.Prop("RunId")!, (string)row.Prop("RunName")!, (string)row.Prop("RunProject")!, (string)row.Prop("RunEntity")!));
            Assert.Equal(0.001, row.Prop("learning_rate"));
            Assert.Equal(64L, row.Prop("batch_size"));
            Assert.Equal(true, row.Prop("data.augment"));
            Assert.Equal("@{name=adam; beta1=0.9}", row.Prop("optimizer")!.ToString());
        }

        [Fact]
        public void WithNoRunsGivenTheRunsUnderDotWandbAreRead()
        {
            ScriptResult result = Ps.Run("Get-RunSummary | ForEach-Object RunId");
            Assert.Equal(8, result.ThrowOnError().Output.Count);
            Assert.Equal(8, Ps.Run("Measure-RunRuntime").ThrowOnError().Output.Count);
        }

        [Fact]
        public void PipedRunObjectsAreUsedAsTheyAreNotReReadByProperty()
        {
            // A run object built in memory has no folder: only binding by value can serve it.
            ScriptResult result = Ps.Run(
                "$run = [WandbRunOps.Model.WandbRun]::new(); $run.Id = 'mem00001'; $run.Config['lr'] = 0.5; $run | Get-RunConfig | ForEach-Object { $_.RunId + '=' + $_.lr }");
            Assert.Equal(new object[] { "mem00001=0.5" }, result.ThrowOnError().Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void WhereObjectFiltersConfigRowsByKey()
        {
            ScriptResult result = Ps.Run("Get-WandbRun | Get-RunConfig | Where-Object learning_rate -gt 0.01 | ForEach-Object RunId");
            Assert.Equal(new object[] { "fin0003c", "fail004d", "crsh005e" }, result.ThrowOnError().Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void KeyFlattenAndIncludeInternalShapeTheRow()
        {
            PSObject keyed = Ps.Run("Get-RunConfig -Id fin0001a -Key learn*, epochs").ThrowOnError().Output.Single();
            Assert.Equal(new[] { "learning_rate", "epochs" }, keyed.Properties.Skip(5).Select(p => p.Name));

            PSObject flat = Ps.Run("Get-RunConfig -Id fin0001a -Flatten -Key optimizer.*").ThrowOnError().Output.Single();
            Assert.Equal(new[] { "optimizer.name", "optimizer.beta1" }, flat.Properties.Skip(5).Select(p => p.Name));
            Assert.Equal(0.9, flat.Prop("optimizer.beta1"));

            PSObject all = Ps.Run("Get-RunConfig -Id fin0001a -IncludeInternal").ThrowOnError().Output.Single();
            Assert.True(all.HasProp("_wandb"));
            Assert.False(Ps.Run("Get-RunConfig -Id fin0001a").Output.Single().HasProp("_wandb"));
        }

        [Fact]
        public void SummaryRowsKeepNaNInfinityAndDerivedValuesAsDoubles()
        {
            ScriptResult result = Ps.Run("Get-WandbRun -Id fail004d, crsh005e | Get-RunSummary").ThrowOnError();
            PSObject failed = result.Output.Single(o => (string)o.Prop("RunId")! == "fail004d");
            Assert.Equal("WandbRunOps.Model.RunSummary", failed.TypeNames[0]);
            Assert.True(double.IsNaN(Assert.IsType<double>(failed.Prop("accuracy"))));
            Assert.Equal(double.PositiveInfinity, failed.Prop("loss"));
            Assert.False(failed.HasProp("_wandb"));
            Assert.IsType<long>(failed.Prop("_step"));

            PSObject crashed = result.Output.Single(o => (string)o.Prop("RunId")! == "crsh005e");
            Assert.Equal(0.8, crashed.Prop("accuracy"));
        }

        [Fact]
        public void RowsRebindDownstreamByRunIdAndRunPath()
        {
            ScriptResult result = Ps.Run("Get-WandbRun -Id fin0002b, fin0003c | Get-RunConfig | Get-RunSummary | ForEach-Object { $_.RunId + '=' + $_.accuracy }");
            Assert.Equal(new object[] { "fin0002b=0.95", "fin0003c=0.88" }, result.ThrowOnError().Output.Select(o => o.BaseObject));

            ScriptResult artifacts = Ps.Run("Get-RunSummary -Id fin0002b | Get-RunLoggedArtifact | ForEach-Object Reference");
            Assert.Equal(new object[] { "model:latest" }, artifacts.ThrowOnError().Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void AKeyNamedLikeAnIdentityPropertyIsRenamedWithOneWarning()
        {
            string wandb = Samples.Scratch("collide/wandb");
            DateTime start = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
            foreach (string id in new[] { "clash0001", "clash0002" })
            {
                RunFolderWriter.Write(wandb, new RunFolderSpec
                {
                    RunId = id,
                    FolderTime = start,
                    Records = new[]
                    {
                        Records.Header("0.22.1"),
                        Records.Run(new RunSpec { RunId = id, Project = "yolo", StartTime = start, Config = new[] { Item.ByKey("RunId", "\"user-value\""), Item.ByKey("project", "\"runs/train\""), Item.ByKey("name", "\"exp\"") } }),
                        Records.Exit(0, 1),
                    },
                });
            }

            ScriptResult result = Ps.Run("Get-RunConfig -Path $args[0]", wandb).ThrowOnError();
            Assert.Equal(2, result.Output.Count);
            PSObject row = result.Output[0];
            Assert.Equal("clash0001", row.Prop("RunId"));
            Assert.Equal("user-value", row.Prop("Config_RunId"));
            Assert.Equal("runs/train", row.Prop("project"));
            Assert.Equal("yolo", row.Prop("RunProject"));
            Assert.Equal("exp", row.Prop("name"));
            Assert.Equal("RunId", Assert.Single(result.Warnings, w => w.Contains("identity property")).Split('\'')[1]);

            ScriptResult faithful = Ps.Run("(Get-WandbRun -Path $args[0] -Id clash0001).Config.RunId", wandb);
            Assert.Equal("user-value", Assert.Single(faithful.Output).BaseObject);
        }

        [Fact]
        public void AMissingIdIsAnErrorAndTheRestArrive()
        {
            ScriptResult result = Ps.Run("Get-RunConfig -Id fin0001a, nope0000");
            Assert.Single(result.Output);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("WandbRunNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal("nope0000", error.TargetObject);
        }
    }
}
