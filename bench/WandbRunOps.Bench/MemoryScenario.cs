using System;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 5: streaming a large API listing and a large local log keeps the working set within 100 MB of where it
/// started — nothing buffers a whole listing or file. Each measurement runs in a fresh process (<see cref="ChildRun"/>)
/// that holds nothing else; the data is prepared by the parent, and the API server runs in a third process.
/// </summary>
internal static class MemoryScenario
{
    private const double Megabyte = 1048576.0;

    public static void ApiListing(BenchTable table, string folder, int runs)
    {
        string dataset = Path.Combine(folder, "dataset.json");
        Directory.CreateDirectory(folder);
        ApiData.Synthetic(runs).Save(dataset);
        using FakeWandbProcess server = FakeWandbProcess.Start(dataset, TimeSpan.FromMinutes(2));
        var result = ChildRun.Run("memory-api", server.BaseUrl.ToString());
        Report(table, "5 memory: API listing (" + runs.ToString("N0") + " runs)", result, result["count"].ToString("N0") + " runs streamed");
    }

    public static void LocalLog(BenchTable table, string wandb, int megabytes)
    {
        const int rowBytes = 1700;
        long bytes = LogCorpus.WriteOneRun(wandb, megabytes * 1024 * 1024 / rowBytes);
        string label = "5 memory: one " + (bytes / Megabyte).ToString("N0") + " MB log";
        var listing = ChildRun.Run("memory-log-listing", wandb);
        Report(table, label, listing, "Get-WandbRun");
        var history = ChildRun.Run("memory-log-history", wandb);
        Report(table, label, history, "Get-RunHistory, " + history["count"].ToString("N0") + " rows streamed");
    }

    /// <summary>The child side: streams, measures, prints. Returns false for a name that is not a memory scenario.</summary>
    public static bool RunChild(string name, string argument)
    {
        (long start, long peak) usage;
        long count = 0;
        switch (name)
        {
            case "memory-api":
                var client = new GraphQLClient(new Uri(argument), new ApiCredential(ApiData.Key, ApiKeySource.Parameter));
                var api = new ApiRunSource(client, "bench", "bench", ReadDiagnostics.None);
                usage = WorkingSetProbe.Measure(() => count = api.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).LongCount());
                break;
            case "memory-log-listing":
                var listingSource = new LocalRunSource(new[] { argument }, ReadDiagnostics.None);
                usage = WorkingSetProbe.Measure(() => count = listingSource.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).LongCount());
                break;
            case "memory-log-history":
                var source = new LocalRunSource(new[] { argument }, ReadDiagnostics.None);
                WandbRun run = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
                usage = WorkingSetProbe.Measure(() => count = source.History.Read(run, new HistoryQuery(), CancellationToken.None).LongCount());
                break;
            default:
                return false;
        }

        ChildRun.Report(("start", usage.start), ("peak", usage.peak), ("count", count));
        return true;
    }

    private static void Report(BenchTable table, string label, System.Collections.Generic.IReadOnlyDictionary<string, double> result, string what) =>
        table.Add(label, "working set growth", (result["peak"] - result["start"]) / Megabyte, "MB",
            what + "; fresh process: start " + (result["start"] / Megabyte).ToString("N0") + " MB, peak " + (result["peak"] / Megabyte).ToString("N0") + " MB (goal ≤ 100 MB growth)");
}
