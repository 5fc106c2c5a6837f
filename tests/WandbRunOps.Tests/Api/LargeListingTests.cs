using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Api
{
    /// <summary>
    /// Listing a project larger than the listing's memory of recent ids (<see cref="RecentRunIds"/>), from the loopback
    /// server's runs made from their index (<see cref="FakeRunSeries"/>): pages of megabytes read whole, every run
    /// once, in order.
    /// </summary>
    public class LargeListingTests : IAsyncLifetime
    {
        private const int RunCount = 12_345;
        private FakeWandbServer _server = null!;

        public async Task InitializeAsync()
        {
            var data = FakeData.Synthetic(0);
            data.Projects[0].Series = new FakeRunSeries
            {
                Count = RunCount,
                Template = new FakeRun
                {
                    DisplayName = "big",
                    State = "finished",
                    CreatedAt = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc),
                    HeartbeatAt = new DateTime(2026, 2, 1, 0, 1, 0, DateTimeKind.Utc),
                    ConfigJson = "{" + string.Join(", ", Enumerable.Range(0, 20).Select(k => "\"p" + k + "\": {\"value\": " + k + ", \"desc\": null}")) + "}",
                    SummaryJson = "{\"acc\": 0.5, \"_wandb\": {\"runtime\": 60}}",
                },
            };
            _server = await FakeWandbServer.StartAsync(data);
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        private ApiRunSource Source() => new ApiRunSource(
            new GraphQLClient(new Uri(_server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter)), FakeData.Entity, FakeData.Project, ReadDiagnostics.None);

        [Fact]
        public void EveryRunOfALargeProjectComesOnceInCreationOrderInTheFewestRequests()
        {
            long? total = null;
            var options = new RunListOptions { TotalCount = (count, _) => total = count };
            List<WandbRun> runs = Source().GetRuns(new RunSelector(null, null), options, e => throw e, CancellationToken.None).ToList();

            Assert.Equal(RunCount, total);
            Assert.Equal(Enumerable.Range(0, RunCount).Select(i => "s" + i.ToString("D7")), runs.Select(r => r.Id));
            Assert.Equal("big-12344", runs[^1].Name);
            Assert.Equal(new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(12_344), runs[^1].CreatedAt);
            Assert.All(runs, r => Assert.Equal(19L, r.Config["p19"]));

            // 50, then 1,000 a page: 1 + 13 requests for 12,345 runs, each page of about 1 MB read whole.
            Assert.Equal(14, _server.Requests.Count(r => r.OperationName == "Runs"));
        }

        [Fact]
        public void NewestFirstAndByIdComeFromTheSameSeries()
        {
            ApiRunSource source = Source();
            WandbRun newest = source.GetRuns(new RunSelector(null, null), new RunListOptions { NewestFirst = true }, e => throw e, CancellationToken.None).First();
            Assert.Equal("s0012344", newest.Id);

            WandbRun named = source.GetRuns(new RunSelector(new[] { "s0000042" }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            Assert.Equal("big-42", named.Name);
        }

        [Fact]
        public void TheSeriesRefusesAFilterItCannotApply()
        {
            var selector = new RunSelector(null, null) { Filter = new WandbRunOps.Filtering.FilterBuilder().AnyOf("name", new[] { "s0000001" }).Build() };
            var errors = new List<WandbException>();
            Assert.ThrowsAny<WandbException>(() => Source().GetRuns(selector, new RunListOptions(), errors.Add, CancellationToken.None).ToList());
        }

        [Fact]
        public void RecentIdsCatchARepeatWithinTheWindowAndForgetOlderOnes()
        {
            var recent = new RecentRunIds(capacity: 3);
            Assert.True(recent.Add("a"));
            Assert.True(recent.Add("b"));
            Assert.False(recent.Add("a"));
            Assert.True(recent.Add("c"));
            Assert.True(recent.Add("d"));

            // "a" has left the window of three: it is forgotten, so the memory stays three ids however long the listing.
            Assert.True(recent.Add("a"));
            Assert.False(recent.Add("d"));
        }
    }
}
