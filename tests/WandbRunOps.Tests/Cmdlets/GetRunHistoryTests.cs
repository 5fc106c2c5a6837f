using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Model;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    /// <summary>Get-RunHistory: one object per step, streamed, from local folders and over the API.</summary>
    public class GetRunHistoryTests : IDisposable
    {
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
        private readonly ApiSamples _api = new ApiSamples();
        private readonly ModuleRunspace _ps;

        public GetRunHistoryTests()
        {
            _ps = _api.Runspace();
        }

        public void Dispose()
        {
            _ps.Dispose();
            _api.Dispose();
        }

        [Fact]
        public void RowsHaveTheRunIdentityThenStepRuntimeTimestampAndOnePropertyPerKey()
        {
            ScriptResult result = _ps.Run("Get-WandbRun -Id fin0001a | Get-RunHistory").ThrowOnError();
            Assert.Equal(10, result.Output.Count);
            PSObject last = result.Output[9];
            Assert.Equal("WandbRunOps.Model.RunHistory", last.TypeNames[0]);
            Assert.Equal(
                new[] { "RunId", "RunName", "RunProject", "RunEntity", "RunPath", "_step", "_runtime", "_timestamp", "accuracy", "loss" },
                last.Properties.Select(p => p.Name));
            Assert.Equal(("fin0001a", "brisk-river-1", "mnist-sweep", "acme-ml"), ((string)last.Prop("RunId")!, (string)last.Prop("RunName")!, (string)last.Prop("RunProject")!, (string)last.Prop("RunEntity")!));
            Assert.Equal(9L, Assert.IsType<long>(last.Prop("_step")));
            Assert.Equal(1800.0, Assert.IsType<double>(last.Prop("_runtime")));
            DateTime stamp = Assert.IsType<DateTime>(last.Prop("_timestamp"));
            Assert.Equal(DateTimeKind.Utc, stamp.Kind);
            WandbRun run = _ps.Run("Get-WandbRun -Id fin0001a").ThrowOnError().Of<WandbRun>().Single();
            Assert.Equal(run.HeartbeatAt, stamp, TimeSpan.FromMilliseconds(1));
            Assert.Equal(0.91, last.Prop("accuracy"));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (object)(long)i), result.Output.Select(o => o.Prop("_step")));
        }

        [Fact]
        public void KeyStepRangeAndSamplesShapeTheRows()
        {
            List<PSObject> keyed = _ps.Run("Get-RunHistory -Id fin0002b -Key acc*").ThrowOnError().Output;
            Assert.Equal(10, keyed.Count);
            Assert.Equal(new[] { "_step", "_runtime", "_timestamp", "accuracy" }, keyed[0].Properties.Skip(5).Select(p => p.Name));

            ScriptResult range = _ps.Run("Get-RunHistory -Id fin0002b -MinStep 3 -MaxStep 5 | ForEach-Object _step");
            Assert.Equal(new object[] { 3L, 4L, 5L }, range.ThrowOnError().Output.Select(o => o.BaseObject));

            ScriptResult sampled = _ps.Run("Get-RunHistory -Id fin0002b -Samples 4 | ForEach-Object _step");
            Assert.Equal(new object[] { 0L, 3L, 6L, 9L }, sampled.ThrowOnError().Output.Select(o => o.BaseObject));

            ScriptResult wrong = _ps.Run("try { Get-RunHistory -Id fin0002b -MinStep 5 -MaxStep 3 } catch { $_.FullyQualifiedErrorId }");
            Assert.StartsWith("WandbInvalidArgument,", (string)Assert.Single(wrong.Output).BaseObject);
        }

        [Fact]
        public void TheResumedRunIsOneHistoryAcrossItsFolders()
        {
            ScriptResult result = _ps.Run("Get-RunHistory -Path ./wandb -Id resu007g | ForEach-Object { '{0}:{1}' -f $_._step, $_.accuracy }");
            Assert.Equal(10, result.ThrowOnError().Output.Count);
            Assert.Equal("9:0.89", result.Output[9].BaseObject);
        }

        [Fact]
        public void RowsStreamAndRebindFromOtherRows()
        {
            ScriptResult first = _ps.Run("Get-RunHistory -Id fin0003c | Select-Object -First 2 | ForEach-Object _step");
            Assert.Equal(new object[] { 0L, 1L }, first.ThrowOnError().Output.Select(o => o.BaseObject));

            ScriptResult rebound = _ps.Run("Get-RunSummary -Id fin0002b, fin0003c | Get-RunHistory -Key loss -MinStep 9 | ForEach-Object { $_.RunId + '=' + $_.loss }");
            Assert.Equal(new object[] { "fin0002b=0.18", "fin0003c=0.42" }, rebound.ThrowOnError().Output.Select(o => o.BaseObject));

            ScriptResult best = _ps.Run("Get-WandbRun | Get-RunHistory -Key loss | Where-Object { $_.loss -is [double] -and -not [double]::IsInfinity($_.loss) } | Sort-Object loss | Select-Object -First 1 | ForEach-Object { $_.RunId + '@' + $_._step }");
            Assert.Equal(new object[] { "fin0002b@9" }, best.ThrowOnError().Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void AMissingRunIsANonTerminatingErrorAndAKeyNamedLikeAnIdentityIsRenamed()
        {
            ScriptResult missing = _ps.Run("Get-RunHistory -Path ./wandb -Id nosuch01; 'carried on'");
            Assert.Equal(new object[] { "carried on" }, missing.Output.Select(o => o.BaseObject));
            Assert.StartsWith("WandbRunNotFound,", Assert.Single(missing.Errors).FullyQualifiedErrorId);

            string wandb = _api.Samples.Scratch("clash/wandb");
            var start = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "clash001",
                FolderTime = start,
                Records = new[]
                {
                    Records.Header("0.22.1"),
                    Records.Run(new RunSpec { RunId = "clash001", Project = "p", StartTime = start }),
                    LogBuilder.History(0, start, 1, ("RunName", "\"user-value\""), ("loss", "0.5")),
                    LogBuilder.History(1, start, 2, ("RunName", "\"again\""), ("loss", "0.4")),
                },
            });
            ScriptResult clash = _ps.Run("Get-RunHistory -Path $args[0] | ForEach-Object { $_.RunName + '/' + $_.History_RunName }", wandb);
            Assert.Equal(new object[] { "/user-value", "/again" }, clash.ThrowOnError().Output.Select(o => o.BaseObject));
            Assert.Single(clash.Warnings, w => w.Contains("History_RunName"));
        }

        [Theory]
        [InlineData("Get-WandbRun @source | Get-RunHistory -PageSize 3 | ForEach-Object { '{0} {1} {2:o} {3} {4}' -f $_.RunId, $_._step, $_._timestamp, $_.accuracy, $_.loss }")]
        [InlineData("Get-WandbRun @source | Get-RunHistory -Key loss -MinStep 2 -MaxStep 6 | ForEach-Object { '{0} {1} {2} {3}' -f $_.RunId, $_._step, $_._runtime, $_.loss }")]
        [InlineData("Get-WandbRun @source -Id fin0001a, crsh005e | Get-RunHistory -Samples 3 | ForEach-Object { '{0} {1}' -f $_.RunId, $_._step }")]
        [InlineData("Get-WandbRun @source | Get-RunHistory -Key accuracy | Group-Object RunId | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count }")]
        public void TheSameHistoryComesLocallyAndOverTheApi(string runbook)
        {
            var local = _ps.Run("$source = @{ Path = './wandb' }; " + runbook).ThrowOnError().Output.Select(o => o.ToString()).ToList();
            var remote = _ps.Run("$source = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $url; ApiKey = $key }; " + runbook).ThrowOnError().Output.Select(o => o.ToString()).ToList();
            Assert.NotEmpty(local);
            Assert.Equal(local, remote);
        }

        [Fact]
        public void ApiRowsCarryTheRunIdentityAndTakeProjectAndIdDirectly()
        {
            List<PSObject> rows = _ps.Run("Get-RunHistory " + Api + " -Id resu007g -PageSize 4").ThrowOnError().Output;
            Assert.Equal(10, rows.Count);
            Assert.Equal(("resu007g", "mnist-sweep", "acme-ml"), ((string)rows[0].Prop("RunId")!, (string)rows[0].Prop("RunProject")!, (string)rows[0].Prop("RunEntity")!));
            Assert.Null(rows[0].Prop("RunPath"));
            Assert.Equal(3, _api.Server.Requests.Count(r => r.OperationName == "HistoryPage"));
        }

        [Fact]
        public void ALongScanShowsProgressAndCompletesIt()
        {
            _api.Server.Faults.Latency = TimeSpan.FromMilliseconds(200);
            ScriptResult result = _ps.Run("@(Get-RunHistory " + Api + " -Id fin0001a -PageSize 2).Count").ThrowOnError();
            Assert.Equal(10, result.Output.Single().BaseObject);
            List<ProgressRecord> progress = result.Progress.Where(p => p.Activity == "Reading W&B run history").ToList();
            Assert.NotEmpty(progress);
            Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
        }

        [Fact]
        public void StoppingTheCommandCancelsTheScanAtOnce()
        {
            _api.Server.Faults.Latency = TimeSpan.FromSeconds(1);
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _ps.RawRunspace;
            shell.AddScript("Get-RunHistory " + Api + " -Id fin0001a -PageSize 1");
            IAsyncResult running = shell.BeginInvoke();
            var wait = Stopwatch.StartNew();
            while (!_api.Server.Requests.Any(r => r.OperationName == "HistoryPage") && !running.IsCompleted && wait.Elapsed < TimeSpan.FromSeconds(20))
            {
                System.Threading.Thread.Sleep(10);
            }

            var clock = Stopwatch.StartNew();
            shell.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "Stop took " + clock.Elapsed);
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        }
    }
}
