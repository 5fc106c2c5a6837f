using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.FakeWandb;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.History
{
    /// <summary>A real SDK run (0.12.15, 862 rows, one key missing at step 0) served by the loopback server.</summary>
    public class RealHistoryOverApiTests
    {
        [RealFixtureFact]
        public async Task TheRealRunHasTheSameHistoryOverTheApiAndItsKeysJoinOnStep()
        {
            string wandb = RepoPaths.RealFixture("sdk-0.12.15-online", "wandb");
            var local = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None);
            List<WandbRun> runs = local.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).ToList();
            await using FakeWandbServer server = await FakeWandbServer.StartAsync(FakeData.FromRuns(runs));
            var client = new GraphQLClient(new Uri(server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter));
            var api = new ApiRunSource(client, FakeData.Entity, FakeData.Project, ReadDiagnostics.None);
            WandbRun localRun = runs.Single(r => r.Id == "3ojed7lz");
            WandbRun apiRun = api.GetRuns(new RunSelector(new[] { "3ojed7lz" }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();

            List<string> fromFolder = local.History.Read(localRun, new HistoryQuery(), CancellationToken.None).Select(ApiHistoryTests.Canonical).ToList();
            List<string> fromApi = api.History.Read(apiRun, new HistoryQuery(), CancellationToken.None).Select(ApiHistoryTests.Canonical).ToList();
            Assert.Equal(862, fromApi.Count);
            Assert.Equal(fromFolder, fromApi);
            Assert.Equal(1, server.Requests.Count(r => r.OperationName == "HistoryPage"));

            // Step 0 logged Validation/accuracy but no Training/loss: the per-key join keeps it, one two-key spec loses it.
            var keys = new HistoryQuery { Keys = new[] { "Training/loss", "Validation/accuracy" }, PageSize = 300 };
            List<HistoryRow> joined = api.History.Read(apiRun, keys, CancellationToken.None).ToList();
            Assert.Equal(862, joined.Count);
            Assert.False(joined[0].Values.ContainsKey("Training/loss"));
            Assert.Equal(8.203125, joined[0].Values["Validation/accuracy"]);
            Assert.Equal(local.History.Read(localRun, keys, CancellationToken.None).Select(ApiHistoryTests.Canonical), joined.Select(ApiHistoryTests.Canonical));

            var variables = new WandbMap
            {
                { "entity", FakeData.Entity },
                { "project", FakeData.Project },
                { "run", "3ojed7lz" },
                { "specs", new object?[] { "{\"keys\": [\"_step\", \"Training/loss\", \"Validation/accuracy\"], \"samples\": 1000}" } },
            };
            GraphQLResponse both = client.Query("RunSampledHistory", HistoryQueries.SampledHistory, variables, CancellationToken.None);
            var lists = (IReadOnlyList<object?>)((WandbMap)((WandbMap)both.Data["project"]!)["run"]!)["sampledHistory"]!;
            Assert.Equal(861, ((IReadOnlyList<object?>)lists[0]!).Count);
        }
    }
}
