using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.Api
{
    /// <summary>Listing many runs: pages, prefetch, faults mid-listing, early stop, offset-cursor duplicates.</summary>
    public class PagingTests : IAsyncLifetime
    {
        private const int RunCount = 250;
        private FakeWandbServer _server = null!;

        public async Task InitializeAsync() => _server = await FakeWandbServer.StartAsync(FakeData.Synthetic(RunCount));

        public async Task DisposeAsync() => await _server.DisposeAsync();

        private int? _pageSize;

        /// <summary>The listing options of the last <see cref="Source"/>: its page size.</summary>
        private RunListOptions Listing => new RunListOptions { PageSize = _pageSize };

        private ApiRunSource Source(int pageSize, List<string>? verbose = null)
        {
            _pageSize = pageSize;
            return new ApiRunSource(
                new GraphQLClient(new Uri(_server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter), new ApiClientOptions
                {
                    Retry = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(10), Random = () => 0 },
                }),
                FakeData.Entity,
                FakeData.Project,
                new ReadDiagnostics(null, verbose is null ? null : verbose.Add));
        }

        private static List<WandbRun> All(ApiRunSource source, RunListOptions options) =>
            source.GetRuns(new RunSelector(null, null), options, e => throw e, CancellationToken.None).ToList();

        [Fact]
        public void ListingCostsOneRequestPerPageAndLosesNothing()
        {
            long? total = null;
            ApiRunSource source = Source(100);
            RunListOptions options = Listing;
            options.TotalCount = (count, accuracy) => total = count;
            List<WandbRun> runs = All(source, options);
            Assert.Equal(RunCount, runs.Count);
            Assert.Equal(RunCount, runs.Select(r => r.Id).Distinct().Count());
            Assert.Equal(RunCount, total);
            Assert.Equal(new[] { "Runs", "Runs", "Runs" }, _server.Requests.Select(r => r.OperationName));
            Assert.Equal(runs.OrderBy(r => r.CreatedAt).Select(r => r.Id), runs.Select(r => r.Id));
        }

        [Fact]
        public void FaultsMidListingAreRetriedAndEveryRunArrivesExactlyOnce()
        {
            ApiRunSource source = Source(40);
            using IEnumerator<WandbRun> runs = source.GetRuns(new RunSelector(null, null), Listing, e => throw e, CancellationToken.None).GetEnumerator();
            var ids = new List<string>();
            Assert.True(runs.MoveNext());
            ids.Add(runs.Current.Id);
            _server.Faults.Enqueue(new StatusFault(500));
            _server.Faults.Enqueue(new StatusFault(429, "{\"error\":\"rate limit exceeded\"}", RetryAfter: "0"));
            _server.Faults.Enqueue(new ResetFault());
            _server.Faults.Enqueue(new TruncatedBodyFault());
            while (runs.MoveNext())
            {
                ids.Add(runs.Current.Id);
            }

            Assert.Equal(RunCount, ids.Count);
            Assert.Equal(RunCount, ids.Distinct().Count());
            Assert.Contains(_server.Requests, r => r.StatusCode == 500);
            Assert.Contains(_server.Requests, r => r.StatusCode == 429);
        }

        [Fact]
        public void TheFirstRunArrivesBeforeTheSecondPageIsAnsweredAndTheNextPageIsPrefetched()
        {
            // Every answer takes a second: generous margins, so a busy machine cannot make this flaky.
            _server.Faults.Latency = TimeSpan.FromSeconds(1);
            ApiRunSource source = Source(50);
            using IEnumerator<WandbRun> runs = source.GetRuns(new RunSelector(null, null), Listing, e => throw e, CancellationToken.None).GetEnumerator();
            Assert.True(runs.MoveNext());
            Assert.Equal(1, _server.Requests.Count(r => r.StatusCode == 200));

            // While the pipeline holds page 1, page 2 is already on its way without being asked for: the server answers
            // it while the consumer waits (polled, not slept, so a loaded machine only makes the wait longer).
            for (int i = 1; i < 50; i++)
            {
                Assert.True(runs.MoveNext());
            }

            var deadline = Stopwatch.StartNew();
            while (_server.Requests.Count(r => r.StatusCode == 200) < 2 && deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(20);
            }

            Assert.Equal(2, _server.Requests.Count(r => r.StatusCode == 200));

            // Page 2 is already answered, so taking its first run costs nothing like the server's one-second latency.
            var clock = Stopwatch.StartNew();
            Assert.True(runs.MoveNext());
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(700), "page 2 was not prefetched: " + clock.Elapsed);
        }

        [Fact]
        public void StoppingEarlyStopsPaging()
        {
            ApiRunSource source = Source(10);
            List<WandbRun> three = source.GetRuns(new RunSelector(null, null), Listing, e => throw e, CancellationToken.None).Take(3).ToList();
            Assert.Equal(3, three.Count);
            Thread.Sleep(200);
            Assert.InRange(_server.Requests.Count(r => r.OperationName == "Runs"), 1, 2);
        }

        [Fact]
        public void RunsShiftedByOffsetCursorsArePassedOnOnce()
        {
            var verbose = new List<string>();
            ApiRunSource source = Source(20, verbose);
            RunListOptions newestFirst = Listing;
            newestFirst.NewestFirst = true;
            using IEnumerator<WandbRun> runs = source.GetRuns(new RunSelector(null, null), newestFirst, e => throw e, CancellationToken.None).GetEnumerator();
            var ids = new List<string>();
            for (int i = 0; i < 20 && runs.MoveNext(); i++)
            {
                ids.Add(runs.Current.Id);
            }

            // A new run created while paging newest-first shifts every offset by one: page 2 repeats the last run of page 1.
            lock (_server.Data.SyncRoot)
            {
                _server.Data.Projects[0].Runs.Add(new FakeRun { Id = "newrun01", CreatedAt = DateTime.UtcNow, HeartbeatAt = DateTime.UtcNow, ConfigJson = "{}", SummaryJson = "{}" });
            }

            while (runs.MoveNext())
            {
                ids.Add(runs.Current.Id);
            }

            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(RunCount, ids.Count);
            Assert.Contains(verbose, v => v.Contains("came twice"));
        }

        [Fact]
        public void ARunThatCannotBeDecodedIsReportedAndTheOthersArrive()
        {
            lock (_server.Data.SyncRoot)
            {
                _server.Data.Projects[0].Runs[5].ConfigJson = "{not json";
            }

            var errors = new List<WandbException>();
            List<WandbRun> runs = Source(100).GetRuns(new RunSelector(null, null), Listing, errors.Add, CancellationToken.None).ToList();
            Assert.Equal(RunCount - 1, runs.Count);
            WandbException error = Assert.Single(errors);
            Assert.Equal(WandbErrorKind.ProtocolError, error.Kind);
            Assert.Equal("acme-ml/mnist-sweep/r0000005", error.Target);
        }

        [Fact]
        public void WithoutAnEntityTheViewersDefaultEntityIsAskedOnce()
        {
            var source = new ApiRunSource(new GraphQLClient(new Uri(_server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter)), null, FakeData.Project, ReadDiagnostics.None);
            Assert.Equal(RunCount, source.GetRuns(new RunSelector(null, null), Listing, e => throw e, CancellationToken.None).Count());
            Assert.Equal("acme-ml", source.Entity);
            Assert.Equal(1, _server.Requests.Count(r => r.OperationName == "Viewer"));
        }

        [Fact]
        public void GetWandbRunFirstStopsPagingInTheCmdlet()
        {
            using var ps = new ModuleRunspace();
            ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            ScriptResult result = ps.Run("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $args[0] -ApiKey $key -PageSize 10 -First 3", _server.BaseUrl);
            Assert.Equal(3, result.ThrowOnError().Of<WandbRun>().Count);
            Thread.Sleep(200);
            Assert.InRange(_server.Requests.Count(r => r.OperationName == "Runs"), 1, 2);

            ScriptResult total = ps.Run("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $args[0] -ApiKey $key -First 1 -IncludeTotalCount", _server.BaseUrl);
            Assert.Equal((ulong)RunCount, total.ThrowOnError().Output[0].BaseObject);
        }

        [Fact]
        public void ByDefaultTheFirstPageIsSmallAndTheRestAreLarge()
        {
            // 50 first (the first run arrives quickly; -First up to 50 is one small request), then 1000 a page.
            using var ps = new ModuleRunspace();
            ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            _server.ClearRequests();
            ScriptResult result = ps.Run("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $args[0] -ApiKey $key", _server.BaseUrl);
            Assert.Equal(RunCount, result.ThrowOnError().Of<WandbRun>().Count);
            Assert.Equal(new[] { 50L, 1000L }, PerPage());

            _server.ClearRequests();
            result = ps.Run("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $args[0] -ApiKey $key -PageSize 100", _server.BaseUrl);
            Assert.Equal(RunCount, result.ThrowOnError().Of<WandbRun>().Count);
            Assert.Equal(new[] { 100L, 100L, 100L }, PerPage());
        }

        private long[] PerPage() => _server.Requests
            .Where(r => r.OperationName == "Runs")
            .Select(r => (long)((WandbRunOps.Values.WandbMap)WandbRunOps.Json.ExtendedJson.Parse(r.VariablesJson)!)["perPage"]!)
            .ToArray();
    }
}
