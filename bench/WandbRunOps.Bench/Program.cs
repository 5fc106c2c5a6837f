using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.FakeWandb;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.SystemMetrics;
using WandbRunOps.Values;
using WandbRunOps.Sources;

namespace WandbRunOps.Bench;

/// <summary>
/// WandbRunOps performance, measured against a floor in the same run: prints one table of figures and ratios.
/// `--quick` (under a minute; .ci/run uses it so the bench never rots) scales every data set down; it asserts nothing.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == ChildRun.Flag)
        {
            return MemoryScenario.RunChild(args[1], args.Length > 2 ? args[2] : string.Empty) || ImportChild(args[1]) ? 0 : 2;
        }

        bool quick = args.Contains("--quick");
        if (args.Contains("--numbers"))
        {
            var numbers = new BenchTable();
            NumberParsing.Measure(numbers, 1_000_000);
            numbers.Print();
            return 0;
        }

        string root = Path.Combine(Path.GetTempPath(), "wandbrunops-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var table = new BenchTable();

        // Each scenario once, with its flag to run it alone (`--wait`, `--console-log`…); without one, all of them in turn.
        var scenarios = new (string? Flag, Action Measure)[]
        {
            ("--local-logs", () => LocalDecoding(table, Path.Combine(root, "logs", "wandb"), quick ? 20 : 200)),
            ("--console-log", () => ConsoleLogScenario.Measure(table, Path.Combine(root, "console", "wandb"), quick ? 10 : 100)),
            (null, () => FolderScan(table, Path.Combine(root, "scan", "wandb"), quick ? 500 : 5000)),
            ("--folder-scale", () => MemoryScenario.FolderScale(table, Path.Combine(root, "scale", "wandb"), quick ? 5_000 : 50_000)),
            ("--api-listing", () => ApiListingScenario.Measure(table, Path.Combine(root, "api-listing"), quick ? 1000 : 10000, TimeSpan.FromMilliseconds(20), quick)),
            (null, () => PipelineCost.Measure(table, Path.Combine(root, "scan", "wandb"), quick ? 500 : 5000)),
            ("--api-memory", () => MemoryScenario.ApiListing(table, Path.Combine(root, "memory-api"), quick ? new[] { 50_000 } : new[] { 100_000, 1_000_000 })),
            ("--log-memory", () => MemoryScenario.LocalLog(table, Path.Combine(root, "memory-log", "wandb"), quick ? 100 : 1024)),
            (null, () => ImportTime(table)),
            (null, () => NumberParsing.Measure(table, quick ? 100_000 : 1_000_000)),
            ("--bulk-tagging", () => BulkTaggingScenario.Measure(table, Path.Combine(root, "bulk-tagging"), quick ? 200 : 1000, TimeSpan.FromMilliseconds(20))),
            ("--wait", () => WaitScenario.Measure(table, Path.Combine(root, "wait", "wandb"), quick ? 3 : 10)),
            ("--run-files", () => RunFileSaveScenario.Measure(table, Path.Combine(root, "run-files"), quick ? 60 : 200, TimeSpan.FromMilliseconds(20))),
            ("--cold-start", () => ColdStartScenario.Measure(table, quick ? 3 : 9)),
            ("--artifact-save", () => ArtifactSaveScenario.Measure(table, Path.Combine(root, "artifact-save"), quick ? 60 : 500, TimeSpan.FromMilliseconds(20))),
        };
        var alone = scenarios.Where(s => s.Flag is not null && args.Contains(s.Flag)).ToList();
        try
        {
            foreach ((string? _, Action measure) in alone.Count > 0 ? alone : scenarios.ToList())
            {
                measure();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        table.Print();
        return 0;
    }

    /// <summary>Scenario 1: MB/s of listing and of full history decoding, against reading the same bytes.</summary>
    private static void LocalDecoding(BenchTable table, string wandb, int megabytes)
    {
        const int steps = 2000;
        int runs = Math.Max(1, megabytes * 1024 * 1024 / (steps * 1700));
        long bytes = LogCorpus.Write(wandb, runs, steps);
        double mb = bytes / 1048576.0;
        string[] logs = Directory.GetFiles(wandb, "*.wandb", SearchOption.AllDirectories);

        void ReadBytes()
        {
            var buffer = new byte[1 << 16];
            foreach (string log in logs)
            {
                using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                while (stream.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
        }

        // How the listing's time splits: framing (chunks, CRC) alone, then decoding on top.
        double framing = Timing.Best(3, () =>
        {
            foreach (string log in logs)
            {
                using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                var chunks = new WandbRunOps.Local.Log.LogChunkReader(stream, log);
                while (chunks.TryRead(out _))
                {
                }
            }
        });
        var source = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None);
        List<WandbRun> listed = new();

        void List() => listed = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).ToList();

        // The floor and the listing timed back to back, pass after pass (after one untimed listing, so no pass pays for
        // compiling it): each pass's ratio is measured under the same load, and the goal holds for every pass, not only
        // the best (the machine is shared). A pass reads everything three times, so that it is not a few milliseconds.
        List();
        var passes = new List<(double Floor, double Listing)>();
        for (int pass = 0; pass < 7; pass++)
        {
            double floorPass = Timing.Seconds(() => { ReadBytes(); ReadBytes(); ReadBytes(); });
            passes.Add((floorPass / 3, Timing.Seconds(() => { List(); List(); List(); }) / 3));
        }

        double floor = passes.Min(p => p.Floor), listing = passes.Min(p => p.Listing);
        List<double> ratios = passes.Select(p => p.Floor / p.Listing).OrderBy(r => r).ToList();
        long rows = 0;
        void History()
        {
            rows = 0;
            foreach (WandbRun run in listed)
            {
                rows += source.History.Read(run, new HistoryQuery(), CancellationToken.None).LongCount();
            }
        }

        // As shipped (each log's records decoded on several threads, its framing on the calling thread), with the prefetch
        // thread alone (parallel decoding off: the framing on a second thread, the decoding on the calling thread), and on
        // the calling thread alone, alternately.
        double history = double.MaxValue, historyPrefetchOnly = double.MaxValue, historyOneThread = double.MaxValue;
        long threshold = WandbRunOps.Local.Log.LogRecordPrefetch.Threshold;
        long parallelThreshold = WandbRunOps.Local.Log.ParallelRecordDecoding.Threshold;
        for (int i = 0; i < 3; i++)
        {
            history = Math.Min(history, Timing.Seconds(History));
            WandbRunOps.Local.Log.ParallelRecordDecoding.Threshold = long.MaxValue;
            historyPrefetchOnly = Math.Min(historyPrefetchOnly, Timing.Seconds(History));
            WandbRunOps.Local.Log.LogRecordPrefetch.Threshold = long.MaxValue;
            historyOneThread = Math.Min(historyOneThread, Timing.Seconds(History));
            WandbRunOps.Local.Log.LogRecordPrefetch.Threshold = threshold;
            WandbRunOps.Local.Log.ParallelRecordDecoding.Threshold = parallelThreshold;
        }

        // Get-RunSystemMetric reads the same logs for their stats records only: close to the framing-only speed.
        long samples = 0;
        double metrics = Timing.Best(2, () =>
        {
            samples = 0;
            foreach (WandbRun run in listed)
            {
                samples += source.SystemMetrics.Read(run, new SystemMetricQuery(), CancellationToken.None).LongCount();
            }
        });

        string label = "1 local logs (" + mb.ToString("N0") + " MB, " + runs + " runs)";
        table.Add(label, "read bytes (floor)", mb / floor, "MB/s");
        table.Add(label, "framing + CRC only", mb / framing, "MB/s", "the part of listing that reads every byte");
        table.Add(label, "Get-WandbRun listing", mb / listing, "MB/s", "best to best " + (floor / listing).ToString("P0") + " of the floor; each of " + passes.Count +
            " passes (floor, then listing): worst " + ratios[0].ToString("P0") + ", median " + ratios[ratios.Count / 2].ToString("P0") + ", best " + ratios[^1].ToString("P0") + " (goal ≥ 55 % in every run of the bench: the median pass is the run's figure)");
        table.Add(label, "Get-RunHistory decoding", mb / history, "MB/s", rows + " rows; records decoded on " + (1 + Math.Min(WandbRunOps.Local.Log.ParallelRecordDecoding.MaxWorkers, Environment.ProcessorCount - 1)) + " threads; " + (framing / history).ToString("P0") + " of the framing (goal ≥ 250 MB/s and ≥ 60 %)");
        table.Add(label, "Get-RunHistory, prefetch only", mb / historyPrefetchOnly, "MB/s", "framing on a second thread, decoding on the calling thread (the first row is " + (historyPrefetchOnly / history).ToString("0.00") + "x as fast); " + (framing / historyPrefetchOnly).ToString("P0") + " of the framing");
        table.Add(label, "Get-RunHistory, one thread", mb / historyOneThread, "MB/s", "no prefetch, no decode workers (the first row is " + (historyOneThread / history).ToString("0.00") + "x as fast); " + (framing / historyOneThread).ToString("P0") + " of the framing");
        table.Add(label, "Get-RunSystemMetric reading", mb / metrics, "MB/s", samples + " samples; ratio to framing " + (framing / metrics).ToString("P0"));
    }

    /// <summary>Scenario 2: runs per second over many small run folders, and the time to the first run.</summary>
    private static void FolderScan(BenchTable table, string wandb, int runs)
    {
        LogCorpus.Write(wandb, runs, 3);
        var source = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None);
        double first = Timing.Best(3, () => source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).First());
        int count = 0;
        double all = Timing.Best(3, () => count = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Count());
        string label = "2 folder scan (" + runs + " runs)";
        table.Add(label, "Get-WandbRun", count / all, "runs/s", "goal ≥ 5,000 runs/s");
        table.Add(label, "time to first run", first * 1000, "ms", "goal < 50 ms");
    }

    /// <summary>Scenario 6: Import-Module of the built folder: the first import in a fresh process, then in fresh runspaces.</summary>
    private static void ImportTime(BenchTable table)
    {
        if (!BuiltModule.IsBuilt("6 import"))
        {
            return;
        }

        double cold = ChildRun.Run("import-cold", tieredCompilation: true)["seconds"];
        double warm = Enumerable.Range(0, 5).Min(_ => TimeImport());
        table.Add("6 import", "cold (fresh process)", cold * 1000, "ms", "with tiered JIT as pwsh runs; the runspace already open: JIT of the module and of the engine's import path");
        table.Add("6 import", "warm (fresh runspace)", warm * 1000, "ms", "goal < 150 ms");
    }

    private static bool ImportChild(string name)
    {
        if (name != "import-cold")
        {
            return false;
        }

        ChildRun.Report(("seconds", TimeImport()));
        return true;
    }

    /// <summary>Import-Module in a new, already open runspace.</summary>
    private static double TimeImport()
    {
        using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using PowerShell shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript("Import-Module -Name $args[0] -ErrorAction Stop").AddArgument(BuiltModule.Manifest);
        return Timing.Seconds(() => shell.Invoke());
    }
}
