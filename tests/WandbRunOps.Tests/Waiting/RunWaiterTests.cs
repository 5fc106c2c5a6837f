using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using WandbRunOps.Waiting;
using Xunit;

namespace WandbRunOps.Tests.Waiting
{
    /// <summary>
    /// Wait-WandbRun's core: runs come out as they end, freshly read; API runs cost one request per poll; the API is
    /// never polled under its floor and backs off on 429; a deleted run is an error for that run; the time-out and
    /// Ctrl+C end the wait. A fake clock drives the polls, so no test sleeps through real intervals.
    /// </summary>
    public sealed class RunWaiterTests : IAsyncLifetime, IDisposable
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
        private readonly List<WandbException> _errors = new List<WandbException>();
        private readonly List<string> _warnings = new List<string>();
        private readonly List<TimeSpan> _sleeps = new List<TimeSpan>();
        private readonly TempDirectory _temp = new TempDirectory();
        private FakeWandbServer _server = null!;
        private TimeSpan _clock;

        /// <summary>Called at each fake sleep, after the clock moved: what happens meanwhile on the server or on disk.</summary>
        private Action<TimeSpan>? _meanwhile;

        public async Task InitializeAsync() => _server = await FakeWandbServer.StartAsync(FakeData.Synthetic(20));

        public async Task DisposeAsync() => await _server.DisposeAsync();

        public void Dispose() => _temp.Dispose();

        private RunWaiter Waiter(TimeSpan? interval = null, TimeSpan? timeout = null) =>
            new RunWaiter(interval, timeout, new ReadDiagnostics(_warnings.Add, null), () => _clock, (delay, _) =>
            {
                _sleeps.Add(delay);
                _clock += delay;
                _meanwhile?.Invoke(_clock);
            });

        private ApiRunSource Api(int retries = 2) => new ApiRunSource(
            new GraphQLClient(new Uri(_server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter), new ApiClientOptions
            {
                Retry = new RetryPolicy { MaxAttempts = retries, BaseDelay = TimeSpan.FromMilliseconds(1), Random = () => 0 },
            }),
            FakeData.Entity,
            FakeData.Project,
            ReadDiagnostics.None);

        private FakeRun ServerRun(int index) => _server.Data.Projects[0].Runs[index];

        private void SetState(int index, string state)
        {
            lock (_server.Data.SyncRoot)
            {
                ServerRun(index).State = state;
            }
        }

        private List<WandbRun> ApiRuns(ApiRunSource source, params int[] indexes) =>
            source.GetRuns(new RunSelector(indexes.Select(i => ServerRun(i).Id), null), new RunListOptions(), e => throw e, CancellationToken.None).ToList();

        private static IEnumerable<KeyValuePair<WandbRun, IRunOrigin>> WithOrigin(IEnumerable<WandbRun> runs, IRunOrigin origin) =>
            runs.Select(r => new KeyValuePair<WandbRun, IRunOrigin>(r, origin));

        [Fact]
        public void ApiRunsComeOutInTheOrderTheyEndWithOneRequestPerPollForAllOfThem()
        {
            SetState(0, "running");
            SetState(1, "running");
            SetState(2, "pending");
            ApiRunSource source = Api();
            List<WandbRun> runs = ApiRuns(source, 0, 1, 2);
            _meanwhile = now =>
            {
                if (now == TimeSpan.FromSeconds(10)) SetState(1, "failed");
                if (now == TimeSpan.FromSeconds(30)) { SetState(0, "finished"); SetState(2, "finished"); }
            };
            _server.ClearRequests();

            List<RunWaitResult> results = Waiter().Wait(WithOrigin(runs, source), _errors.Add, null, CancellationToken.None).ToList();

            Assert.Empty(_errors);
            Assert.Equal(new[] { ServerRun(1).Id, ServerRun(0).Id, ServerRun(2).Id }, results.Select(r => r.Run.Id));
            Assert.Equal(new[] { RunState.Failed, RunState.Finished, RunState.Finished }, results.Select(r => r.Run.State));
            Assert.All(results, r => Assert.False(r.TimedOut));

            // Polls at 0, 10, 20 and 30 s: one listing request each, whatever the number of runs waited on.
            Assert.Equal(new[] { 10.0, 10.0, 10.0 }, _sleeps.Select(s => s.TotalSeconds));
            Assert.Equal(4, _server.Requests.Count(r => r.OperationName == "Runs"));
            Assert.Equal(4, _server.Requests.Count);
        }

        [Fact]
        public void RunsThatHaveAlreadyEndedComeOutAtOnceFreshlyRead()
        {
            ApiRunSource source = Api();
            List<WandbRun> runs = ApiRuns(source, 3);
            lock (_server.Data.SyncRoot)
            {
                ServerRun(3).Notes = "read again";
            }

            RunWaitResult result = Waiter().Wait(WithOrigin(runs, source), _errors.Add, null, CancellationToken.None).Single();
            Assert.Equal("read again", result.Run.Notes);
            Assert.Empty(_sleeps);
        }

        [Fact]
        public void TheApiIsNeverPolledMoreOftenThanItsFloor()
        {
            SetState(4, "running");
            ApiRunSource source = Api();
            List<WandbRun> runs = ApiRuns(source, 4);
            _meanwhile = now => { if (now >= TimeSpan.FromSeconds(10)) SetState(4, "finished"); };
            RunWaiter waiter = Waiter(interval: TimeSpan.FromSeconds(1));

            Assert.Single(waiter.Wait(WithOrigin(runs, source), _errors.Add, null, CancellationToken.None));
            Assert.Equal(RunWaiter.ApiPollFloor, waiter.IntervalFor(RunSource.Api));
            Assert.Equal(TimeSpan.FromSeconds(1), waiter.IntervalFor(RunSource.Local));
            Assert.All(_sleeps, s => Assert.Equal(RunWaiter.ApiPollFloor, s));
        }

        [Fact]
        public void ARateLimitedPollBacksOffAndTheWaitGoesOn()
        {
            SetState(5, "running");
            ApiRunSource source = Api(retries: 1);
            List<WandbRun> runs = ApiRuns(source, 5);
            _meanwhile = now =>
            {
                // The first two polls after the start are refused with 429 (no retries left): the interval doubles twice.
                if (now == TimeSpan.FromSeconds(10)) _server.Faults.Enqueue(new StatusFault(429, "{\"error\":\"rate limit exceeded\"}"), 2);
                if (now >= TimeSpan.FromSeconds(80)) SetState(5, "finished"); // after one good poll at 70 s: back to 10 s
            };

            List<RunWaitResult> results = Waiter().Wait(WithOrigin(runs, source), _errors.Add, null, CancellationToken.None).ToList();

            Assert.Equal(RunState.Finished, Assert.Single(results).Run.State);
            Assert.Empty(_errors);
            Assert.Equal(new[] { 10.0, 20.0, 40.0, 10.0 }, _sleeps.Select(s => s.TotalSeconds));
            Assert.Equal(2, _warnings.Count(w => w.Contains("trying again in")));
        }

        [Fact]
        public void ARunDeletedWhileWaitedOnIsAnErrorForThatRunAndTheOthersAreStillWaitedFor()
        {
            SetState(6, "running");
            SetState(7, "running");
            ApiRunSource source = Api();
            List<WandbRun> runs = ApiRuns(source, 6, 7);
            string deleted = ServerRun(6).Id;
            _meanwhile = now =>
            {
                if (now == TimeSpan.FromSeconds(10))
                {
                    lock (_server.Data.SyncRoot)
                    {
                        _server.Data.Projects[0].Runs.RemoveAt(6);
                    }
                }

                if (now == TimeSpan.FromSeconds(20)) SetState(6, "finished"); // index 6 is now the second run
            };

            List<RunWaitResult> results = Waiter().Wait(WithOrigin(runs, source), _errors.Add, null, CancellationToken.None).ToList();

            WandbException error = Assert.Single(_errors);
            Assert.Equal(WandbErrorKind.RunNotFound, error.Kind);
            Assert.Equal(FakeData.Entity + "/" + FakeData.Project + "/" + deleted, error.Target);
            Assert.Equal(runs[1].Id, Assert.Single(results).Run.Id);
        }

        [Fact]
        public void TheTimeOutReportsEachRunStillRunningAndOutputsItAsItStands()
        {
            SetState(8, "running");
            SetState(9, "running");
            ApiRunSource source = Api();
            List<WandbRun> runs = ApiRuns(source, 8, 9);
            _meanwhile = now => { if (now == TimeSpan.FromSeconds(10)) SetState(9, "finished"); };

            List<RunWaitResult> results = Waiter(timeout: TimeSpan.FromSeconds(25)).Wait(WithOrigin(runs, source), _errors.Add, null, CancellationToken.None).ToList();

            Assert.Equal(new[] { (runs[1].Id, false), (runs[0].Id, true) }, results.Select(r => (r.Run.Id, r.TimedOut)));
            Assert.Equal(RunState.Running, results[1].Run.State);
            WandbException error = Assert.Single(_errors);
            Assert.Equal(WandbErrorKind.WaitTimeout, error.Kind);
            Assert.Equal(FakeData.Entity + "/" + FakeData.Project + "/" + runs[0].Id, error.Target);

            // The last sleep is cut to the time-out: the wait ends at 25 s, not at the next poll (30 s).
            Assert.Equal(TimeSpan.FromSeconds(25), _clock);
        }

        [Fact]
        public void ALocalRunIsNoticedAtTheFirstPollAfterItsExitRecordIsWritten()
        {
            string wandb = _temp.Combine("wandb");
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "live0001",
                FolderTime = Start,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = "live0001", Project = "p", StartTime = Start }), LogBuilder.History(0, Start, 30) },
                LogLastWriteUtc = Start.AddSeconds(30),
            });
            string log = Path.Combine(folder, "run-live0001.wandb");
            var source = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None, () => Start.AddSeconds(40) + _clock);
            WandbRun live = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            Assert.Equal(RunState.Running, live.State);
            _meanwhile = now =>
            {
                if (now == TimeSpan.FromSeconds(3))
                {
                    WandbLogWriter.Append(log, Records.Exit(1, 33));
                    File.SetLastWriteTimeUtc(log, Start.AddSeconds(43));
                }
            };

            RunWaitResult result = Waiter().Wait(WithOrigin(new[] { live }, source), _errors.Add, null, CancellationToken.None).Single();

            Assert.Equal(RunState.Failed, result.Run.State);
            Assert.Equal(1, result.Run.ExitCode);
            Assert.Equal(new[] { 1.0, 1.0, 1.0 }, _sleeps.Select(s => s.TotalSeconds));
        }

        [Fact]
        public void ALocalRunWhoseFolderIsRemovedIsAPathNotFoundError()
        {
            string wandb = _temp.Combine("wandb");
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "gone0001",
                FolderTime = Start,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = "gone0001", Project = "p", StartTime = Start }), LogBuilder.History(0, Start, 30) },
                LogLastWriteUtc = Start.AddSeconds(30),
            });
            var source = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None, () => Start.AddSeconds(40) + _clock);
            WandbRun live = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            _meanwhile = now => { if (now == TimeSpan.FromSeconds(2)) Directory.Delete(folder, recursive: true); };

            Assert.Empty(Waiter().Wait(WithOrigin(new[] { live }, source), _errors.Add, null, CancellationToken.None));
            Assert.Equal(WandbErrorKind.PathNotFound, Assert.Single(_errors).Kind);
        }

        [Fact]
        public void CancellingEndsTheWaitAtOnceEvenInTheMiddleOfALongInterval()
        {
            SetState(10, "running");
            ApiRunSource source = Api();
            List<WandbRun> runs = ApiRuns(source, 10);
            var waiter = new RunWaiter(TimeSpan.FromMinutes(10), null, ReadDiagnostics.None);
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();

            Assert.ThrowsAny<OperationCanceledException>(() => waiter.Wait(WithOrigin(runs, source), _errors.Add, null, stop.Token).ToList());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the wait went on for " + clock.Elapsed);
        }
    }
}
