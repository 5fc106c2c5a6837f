using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    /// <summary>
    /// Set-, Stop- and Remove-WandbRun in the hosted engine against the loopback server, where ordering and
    /// concurrency are easier to see than from outside: a few runs in flight at once (never more than four), outcomes
    /// in input order, and -ErrorAction Stop changing nothing after the first failure.
    /// </summary>
    public sealed class RunChangeCmdletTests : IDisposable
    {
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
        private readonly FakeWandbServer _server;
        private readonly ModuleRunspace _ps;

        public RunChangeCmdletTests()
        {
            _server = FakeWandbServer.StartAsync(FakeData.Synthetic(12)).GetAwaiter().GetResult();
            _ps = new ModuleRunspace();
            _ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            _ps.SetVariable("url", _server.BaseUrl);
        }

        public void Dispose()
        {
            _ps.Dispose();
            _server.Dispose();
        }

        private FakeRun Stored(string id) => _server.Data.Projects[0].Runs.Single(r => r.Id == id);

        private IEnumerable<string> Ids => Enumerable.Range(0, 12).Select(i => "r" + i.ToString("D7"));

        [Fact]
        public void ManyRunsAreChangedAFewAtATimeAndEmittedInInputOrder()
        {
            _server.Faults.Latency = TimeSpan.FromMilliseconds(150);
            int most = 0;
            using var done = new CancellationTokenSource();
            var sampler = new Thread(() =>
            {
                while (!done.IsCancellationRequested)
                {
                    most = Math.Max(most, _server.InFlight);
                    Thread.Sleep(2);
                }
            });
            sampler.Start();
            var clock = Stopwatch.StartNew();
            ScriptResult result = _ps.Run("Get-WandbRun " + Api + " | Set-WandbRun -AddTag gate -PassThru").ThrowOnError();
            TimeSpan took = clock.Elapsed;
            done.Cancel();
            sampler.Join();

            Assert.Equal(Ids, result.Of<WandbRun>().Select(r => r.Id));
            Assert.All(result.Of<WandbRun>(), r => Assert.Equal(new[] { "gate" }, r.Tags));
            Assert.All(Ids, id => Assert.Equal(new[] { "gate" }, Stored(id).Tags));
            Assert.InRange(most, 2, 4);

            // One at a time would be 1 listing + 12 × (read + change) × 150 ms = 3.75 s.
            Assert.True(took < TimeSpan.FromSeconds(3), "12 runs took " + took);
        }

        [Fact]
        public void ErrorActionStopChangesNoRunAfterTheFirstFailure()
        {
            _ps.Run("$runs = @(Get-WandbRun " + Api + ")").ThrowOnError();
            lock (_server.Data.SyncRoot)
            {
                _server.Data.Projects[0].Runs.RemoveAll(r => r.Id == "r0000002");
            }

            _server.ClearRequests();
            ScriptResult result = _ps.Run("$runs | Set-WandbRun -AddTag late -ErrorAction Stop");
            var stop = Assert.IsAssignableFrom<RuntimeException>(result.Terminating);
            Assert.StartsWith("WandbRunNotFound,", stop.ErrorRecord.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal("acme-ml/mnist-sweep/r0000002", stop.ErrorRecord.TargetObject);
            Assert.Equal(new[] { "late" }, Stored("r0000000").Tags);
            Assert.Equal(new[] { "late" }, Stored("r0000001").Tags);
            Assert.All(Ids.Skip(3), id => Assert.Empty(Stored(id).Tags));
            Assert.Equal(2, _server.Requests.Count(r => r.IsMutation));
        }

        [Fact]
        public void ErrorsAndRunsComeInInputOrderWhateverOrderTheServerAnswersIn()
        {
            // The earliest runs answer slowest: a report in completion order would put them last.
            _ps.Run("$runs = @(Get-WandbRun " + Api + " -Id r0000000, r0000001, r0000002, r0000003, r0000004, r0000005)").ThrowOnError();
            lock (_server.Data.SyncRoot)
            {
                _server.Data.Projects[0].Runs.RemoveAll(r => r.Id == "r0000003");
            }

            _server.Faults.Enqueue(new DelayFault(TimeSpan.FromMilliseconds(400)), target: new FaultTarget(VariablesContain: "r0000000"));
            _server.Faults.Enqueue(new DelayFault(TimeSpan.FromMilliseconds(200)), target: new FaultTarget(VariablesContain: "r0000001"));
            ScriptResult result = _ps.Run(
                "$runs | Set-WandbRun -Notes checked -PassThru -ErrorAction Continue 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { 'error ' + $_.TargetObject } else { $_.Id } }");
            Assert.Null(result.Terminating);
            Assert.Equal(
                new[] { "r0000000", "r0000001", "r0000002", "error acme-ml/mnist-sweep/r0000003", "r0000004", "r0000005" },
                result.Output.Select(o => o.BaseObject.ToString()));
        }

        [Fact]
        public void StoppingASetOverManyRunsAtHighLatencyEndsAtOnceAndSendsNothingMore()
        {
            _ps.Run("$runs = @(Get-WandbRun " + Api + ")").ThrowOnError();
            _server.Faults.Latency = TimeSpan.FromMilliseconds(1000);
            _server.ClearRequests();
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _ps.RawRunspace;
            shell.AddScript("$runs | Set-WandbRun -AddTag interrupted -Confirm:$false");
            IAsyncResult running = shell.BeginInvoke();
            var wait = Stopwatch.StartNew();
            while (_server.InFlight < 4 && wait.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(5);
            }

            Assert.False(running.IsCompleted);
            var clock = Stopwatch.StartNew();
            shell.Stop();
            TimeSpan stopped = clock.Elapsed;
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.True(stopped < TimeSpan.FromSeconds(1), "Stop took " + stopped);
            int atStop = _server.Requests.Count;
            Thread.Sleep(1500);
            Assert.Equal(0, _server.InFlight);
            Assert.True(_server.Requests.Skip(atStop).All(r => r.StatusCode == 0), "requests went on after the stop");
            Assert.True(Ids.Count(id => Stored(id).Tags.Contains("interrupted")) < 12);
        }
    }
}
