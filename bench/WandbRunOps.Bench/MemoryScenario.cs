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

    /// <summary>
    /// Lists projects of each size in <paramref name="counts"/> (the server makes the runs from their index: it holds
    /// none of them), each in a fresh process: the growth must not grow with the count.
    /// </summary>
    public static void ApiListing(BenchTable table, string folder, params int[] counts)
    {
        Directory.CreateDirectory(folder);
        foreach (int runs in counts)
        {
            string dataset = Path.Combine(folder, "series-" + runs + ".json");
            ApiData.Series(runs).Save(dataset);
            using FakeWandbProcess server = FakeWandbProcess.Start(dataset, TimeSpan.FromMinutes(2));
            var result = ChildRun.Run("memory-api", server.BaseUrl.ToString());
            if (result["count"] != runs)
            {
                throw new InvalidOperationException("The API listing gave " + result["count"] + " runs, not " + runs + ".");
            }

            Report(table, "5 memory: API listing (" + runs.ToString("N0") + " runs)", result,
                result["count"].ToString("N0") + " runs streamed at " + (result["count"] / result["seconds"]).ToString("N0") + " runs/s (" + result["seconds"].ToString("N1") + " s), server without latency, the runs made from their index");
        }
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

    /// <summary>
    /// Scenario 2 at scale: many small run folders listed in a fresh process, for throughput and for memory that
    /// stays flat (the listing holds the folder names, to order them, and no run it has passed on).
    /// </summary>
    public static void FolderScale(BenchTable table, string wandb, int runs)
    {
        double writing = Timing.Seconds(() => LogCorpus.Write(wandb, runs, 3));
        var result = ChildRun.Run("memory-folders", wandb);
        if (result["count"] != runs)
        {
            throw new InvalidOperationException("The folder listing gave " + result["count"] + " runs, not " + runs + ".");
        }

        string label = "2 folder scan at scale (" + runs.ToString("N0") + " runs)";
        table.Add(label, "Get-WandbRun", result["count"] / result["warm"], "runs/s",
            "goal ≥ 8,000 runs/s; " + result["warm"].ToString("N1") + " s, the second listing in a fresh process (the first, compiling the code as it went: " +
            (result["count"] / result["seconds"]).ToString("N0") + " runs/s); folders written " + writing.ToString("N0") + " s before, page cache warm");
        Report(table, label, result, "the same listing");
    }

    /// <summary>The child side: streams, measures, prints. Returns false for a name that is not a memory scenario.</summary>
    public static bool RunChild(string name, string argument)
    {
        WorkingSetProbe.Usage usage;
        long count = 0;
        double seconds = 0;
        (string, double) extra = ("none", 0);
        WorkingSetProbe.Usage Probe(Func<long> list) => WorkingSetProbe.MeasureHalves(() => seconds = Timing.Seconds(() => count = list()));
        switch (name)
        {
            case "memory-api":
                var client = new GraphQLClient(new Uri(argument), new ApiCredential(ApiData.Key, ApiKeySource.Parameter));
                var api = new ApiRunSource(client, "bench", "bench", ReadDiagnostics.None);
                usage = Probe(() => api.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).LongCount());
                break;
            case "memory-log-listing":
            case "memory-folders":
                var listingSource = new LocalRunSource(new[] { argument }, ReadDiagnostics.None);
                usage = Probe(() => listingSource.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).LongCount());
                if (name == "memory-folders")
                {
                    // The same listing again, its code compiled: the throughput figure.
                    extra = ("warm", Timing.Seconds(() => listingSource.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).LongCount()));
                }

                break;
            case "memory-log-history":
                var source = new LocalRunSource(new[] { argument }, ReadDiagnostics.None);
                WandbRun run = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
                usage = Probe(() => source.History.Read(run, new HistoryQuery(), CancellationToken.None).LongCount());
                break;
            default:
                return false;
        }

        ChildRun.Report(("start", usage.Start), ("peak", usage.Peak), ("first", usage.FirstHalfPeak), ("second", usage.SecondHalfPeak), ("heap", usage.LiveHeapPeak), ("count", count), ("seconds", seconds), extra);
        return true;
    }

    private static void Report(BenchTable table, string label, System.Collections.Generic.IReadOnlyDictionary<string, double> result, string what) =>
        table.Add(label, "working set growth", (result["peak"] - result["start"]) / Megabyte, "MB",
            what + "; fresh process: start " + (result["start"] / Megabyte).ToString("N0") + " MB, peak " + (result["peak"] / Megabyte).ToString("N0") +
            " MB (goal ≤ 100 MB growth); peak in the first / second half of the time " + (result["first"] / Megabyte).ToString("N0") + " / " +
            (result["second"] / Megabyte).ToString("N0") + " MB (flat: the second no higher); GC heap after the last collection at most " + (result["heap"] / Megabyte).ToString("N0") + " MB");
}
