using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.History;
using WandbRunOps.Json;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.History
{
    /// <summary>History over the API (the loopback server): paged full scans, the per-key outer join, samples, cancellation.</summary>
    public class ApiHistoryTests : IDisposable
    {
        private const string SparseRun = "sparse01";
        private const int SparseSteps = 20;

        private readonly ApiSamples _api = new ApiSamples();

        public ApiHistoryTests()
        {
            lock (_api.Server.Data.SyncRoot)
            {
                _api.Server.Data.Projects[0].Runs.Add(Sparse());
            }
        }

        public void Dispose() => _api.Dispose();

        /// <summary>Key <c>a</c> on even steps, key <c>b</c> on odd steps: no step has both.</summary>
        private static FakeRun Sparse()
        {
            var start = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
            var run = new FakeRun { Id = SparseRun, DisplayName = "sparse", CreatedAt = start, HeartbeatAt = start.AddMinutes(5), HistoryLineCount = SparseSteps };
            for (int step = 0; step < SparseSteps; step++)
            {
                string key = step % 2 == 0 ? "a" : "b";
                run.HistoryRowsJson.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "{{\"{0}\": {1}, \"_step\": {2}, \"_runtime\": {3}, \"_timestamp\": {4}}}",
                    key, step * 10, step, step + 0.5, 1769904000 + step));
            }

            return run;
        }

        private ApiRunSource Source(List<string>? warnings = null) =>
            new ApiRunSource(
                new GraphQLClient(new Uri(_api.Server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter), new ApiClientOptions
                {
                    Retry = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(10), Random = () => 0 },
                }),
                FakeData.Entity,
                FakeData.Project,
                new ReadDiagnostics(warnings is null ? null : warnings.Add, null));

        private WandbRun ApiRun(string id) =>
            Source().GetRuns(new RunSelector(new[] { id }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();

        private List<HistoryRow> History(string id, HistoryQuery query) => Source().History.Read(ApiRun(id), query, CancellationToken.None).ToList();

        private List<RecordedRequest> HistoryRequests() =>
            _api.Server.Requests.Where(r => r.OperationName is "RunHistoryKeys" or "HistoryPage" or "RunSampledHistory").ToList();

        [Fact]
        public void AFullScanPagesThroughTheStepsAndBringsEveryRow()
        {
            WandbRun run = ApiRun("fin0001a");
            _api.Server.ClearRequests();
            List<HistoryRow> rows = Source().History.Read(run, new HistoryQuery { PageSize = 3 }, CancellationToken.None).ToList();

            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), rows.Select(r => r.Step));
            Assert.Equal(0.91, rows[9].Values["accuracy"]);
            Assert.Equal(1800.0, rows[9].Runtime);
            Assert.Equal(run.HeartbeatAt, rows[9].Timestamp!.Value, TimeSpan.FromMilliseconds(1));
            Assert.Equal(DateTimeKind.Utc, rows[9].Timestamp!.Value.Kind);

            // historyKeys first (lastStep 9), then [0,3) [3,6) [6,9) [9,10).
            List<RecordedRequest> requests = HistoryRequests();
            Assert.Equal(new[] { "RunHistoryKeys", "HistoryPage", "HistoryPage", "HistoryPage", "HistoryPage" }, requests.Select(r => r.OperationName));
            Assert.Contains("\"minStep\":9", requests[4].VariablesJson?.Replace(" ", string.Empty));
            Assert.Contains("\"maxStep\":10", requests[4].VariablesJson?.Replace(" ", string.Empty));
        }

        [Fact]
        public void EachSampleRunHasTheSameHistoryLocallyAndOverTheApi()
        {
            var local = new LocalRunSource(new[] { _api.Samples.Wandb }, ReadDiagnostics.None);
            List<WandbRun> localRuns = local.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).ToList();
            ApiRunSource remote = Source();
            var queries = new[]
            {
                new HistoryQuery { PageSize = 4 },
                new HistoryQuery { Keys = new[] { "acc*" } },
                new HistoryQuery { Keys = new[] { "loss", "accuracy" }, MinStep = 2, MaxStep = 7, PageSize = 2 },
                new HistoryQuery { MinStep = 3, MaxStep = 8, Samples = 3 },
                new HistoryQuery { Samples = 4 },
            };
            foreach (WandbRun run in localRuns)
            {
                WandbRun remoteRun = remote.GetRuns(new RunSelector(new[] { run.Id }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
                foreach (HistoryQuery query in queries)
                {
                    List<string> fromFolders = local.History.Read(run, query, CancellationToken.None).Select(Canonical).ToList();
                    List<string> fromApi = remote.History.Read(remoteRun, query, CancellationToken.None).Select(Canonical).ToList();
                    Assert.Equal(fromFolders, fromApi);
                }
            }
        }

        [Fact]
        public void KeysAreFetchedOneByOneAndJoinedOnStepSoSparseKeysLoseNoRow()
        {
            _api.Server.ClearRequests();
            List<HistoryRow> rows = History(SparseRun, new HistoryQuery { Keys = new[] { "a", "b" } });

            Assert.Equal(Enumerable.Range(0, SparseSteps).Select(i => (long)i), rows.Select(r => r.Step));
            foreach (HistoryRow row in rows)
            {
                string key = row.Step % 2 == 0 ? "a" : "b";
                string other = row.Step % 2 == 0 ? "b" : "a";
                Assert.Equal(row.Step * 10, row.Values[key]);
                Assert.False(row.Values.ContainsKey(other));
                Assert.Equal(row.Step + 0.5, row.Runtime);
                Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1769904000 + row.Step).UtcDateTime, row.Timestamp);
            }

            // One spec per key (plus one for the times), each with only _step and that key.
            List<string> specs = HistoryRequests().Where(r => r.OperationName == "RunSampledHistory").Select(r => r.VariablesJson ?? string.Empty).ToList();
            Assert.Equal(3, specs.Count);
            Assert.Contains(specs, s => s.Contains("[\\\"_step\\\",\\\"a\\\"]"));
            Assert.Contains(specs, s => s.Contains("[\\\"_step\\\",\\\"b\\\"]"));
        }

        [Fact]
        public void OneSampledHistorySpecWithBothSparseKeysReturnsNothing()
        {
            // The flaw the join works around: W&B returns only the rows that hold every key of a spec.
            var client = new GraphQLClient(new Uri(_api.Server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter));
            var variables = new WandbMap
            {
                { "entity", FakeData.Entity },
                { "project", FakeData.Project },
                { "run", SparseRun },
                { "specs", new object?[] { "{\"keys\": [\"_step\", \"a\", \"b\"], \"samples\": 1000}", "{\"keys\": [\"_step\", \"a\"], \"samples\": 1000}" } },
            };
            GraphQLResponse response = client.Query("RunSampledHistory", HistoryQueries.SampledHistory, variables, CancellationToken.None);
            var lists = (IReadOnlyList<object?>)((WandbMap)((WandbMap)response.Data["project"]!)["run"]!)["sampledHistory"]!;
            Assert.Equal(2, lists.Count);
            Assert.Empty((IReadOnlyList<object?>)lists[0]!);
            var onlyA = (IReadOnlyList<object?>)lists[1]!;
            Assert.Equal(SparseSteps / 2, onlyA.Count);
            Assert.Equal(new[] { "_step", "a" }, ((WandbMap)onlyA[0]!).Keys);
        }

        [Fact]
        public void WildcardKeysAreResolvedFromTheRunsHistoryKeys()
        {
            _api.Server.ClearRequests();
            List<HistoryRow> rows = History(SparseRun, new HistoryQuery { Keys = new[] { "[ab]" }, MinStep = 5, MaxStep = 12 });
            Assert.Equal(Enumerable.Range(5, 8).Select(i => (long)i), rows.Select(r => r.Step));
            Assert.Equal(1, HistoryRequests().Count(r => r.OperationName == "RunHistoryKeys"));
            Assert.Equal(3, HistoryRequests().Count(r => r.OperationName == "RunSampledHistory"));
        }

        [Fact]
        public void SamplesUseSampledHistoryPerKeyOrHistorySamples()
        {
            _api.Server.ClearRequests();
            List<HistoryRow> all = History(SparseRun, new HistoryQuery { Samples = 5 });
            Assert.Equal(new long[] { 0, 5, 10, 14, 19 }, all.Select(r => r.Step));
            Assert.Equal(1, HistoryRequests().Count(r => r.OperationName == "HistoryPage"));

            // Per key: a's even steps and b's odd steps are each sampled three times, first and last kept.
            List<HistoryRow> keyed = History(SparseRun, new HistoryQuery { Keys = new[] { "a", "b" }, Samples = 3 });
            Assert.Equal(new long[] { 0, 1, 10, 11, 18, 19 }, keyed.Select(r => r.Step));
            Assert.All(keyed, r => Assert.NotNull(r.Timestamp));
        }

        [Fact]
        public void TheFakeServersHistoryKeysAndStepRangesFollowWandb()
        {
            var client = new GraphQLClient(new Uri(_api.Server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter));
            var variables = new WandbMap { { "entity", FakeData.Entity }, { "project", FakeData.Project }, { "run", "resu007g" }, { "minStep", 3L }, { "maxStep", 6L }, { "pageSize", 1000 } };
            var run = (WandbMap)((WandbMap)client.Query("HistoryPage", HistoryQueries.HistoryPage, variables, CancellationToken.None).Data["project"]!)["run"]!;
            Assert.Equal(new object?[] { 3L, 4L, 5L }, ((IReadOnlyList<object?>)run["history"]!).Select(r => ((WandbMap)ExtendedJson.Parse((string)r!)!)["_step"]));

            variables.Remove("minStep");
            variables.Remove("maxStep");
            variables.Remove("pageSize");
            var keys = (WandbMap)((WandbMap)((WandbMap)client.Query("RunHistoryKeys", HistoryQueries.HistoryKeys, variables, CancellationToken.None).Data["project"]!)["run"]!)["historyKeys"]!;
            Assert.Equal(9L, keys["lastStep"]);
            Assert.Equal(new[] { "accuracy", "loss", "_step", "_runtime", "_timestamp" }, ((WandbMap)keys["keys"]!).Keys);
        }

        [Fact]
        public void ARunWithoutHistoryAndAMissingRunAreHandled()
        {
            Assert.Empty(History("live006f", new HistoryQuery()));

            var gone = new WandbRun { Id = "zzzz9999", Entity = FakeData.Entity, Project = FakeData.Project, Source = RunSource.Api };
            WandbException error = Assert.Throws<WandbException>(() => Source().History.Read(gone, new HistoryQuery(), CancellationToken.None).ToList());
            Assert.Equal(WandbErrorKind.RunNotFound, error.Kind);
            Assert.Equal("acme-ml/mnist-sweep/zzzz9999", error.Target);
        }

        [Fact]
        public void CancellingALongScanStopsItPromptly()
        {
            var big = new FakeRun { Id = "long0001", CreatedAt = DateTime.UtcNow, HeartbeatAt = DateTime.UtcNow, HistoryLineCount = 5000 };
            for (int step = 0; step < 5000; step++)
            {
                big.HistoryRowsJson.Add("{\"_step\": " + step + ", \"loss\": 0.5}");
            }

            lock (_api.Server.Data.SyncRoot)
            {
                _api.Server.Data.Projects[0].Runs.Add(big);
            }

            WandbRun run = ApiRun("long0001");
            _api.Server.ClearRequests();
            _api.Server.Faults.Latency = TimeSpan.FromMilliseconds(300);
            using var cancel = new CancellationTokenSource();
            using IEnumerator<HistoryRow> rows = Source().History.Read(run, new HistoryQuery { PageSize = 10 }, cancel.Token).GetEnumerator();
            for (int i = 0; i < 10; i++)
            {
                Assert.True(rows.MoveNext());
            }

            cancel.Cancel();
            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                while (rows.MoveNext())
                {
                }
            });
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(250), "the scan went on for " + clock.Elapsed);
            Thread.Sleep(400);
            Assert.InRange(HistoryRequests().Count(r => r.OperationName == "HistoryPage"), 1, 3);
        }

        /// <summary>A row as comparable text: step, times and the values with keys in a fixed order.</summary>
        internal static string Canonical(HistoryRow row)
        {
            var sorted = new WandbMap();
            foreach (string key in row.Values.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                sorted.Set(key, row.Values[key]);
            }

            return row.Step + "|" + row.Runtime?.ToString("R", CultureInfo.InvariantCulture) + "|" + row.Timestamp?.Ticks + "|" + ExtendedJson.Serialize(sorted);
        }
    }
}
