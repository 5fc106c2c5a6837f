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
using WandbRunOps.Values;

namespace WandbRunOps.Bench;

/// <summary>
/// WandbRunOps performance, measured against a floor in the same run: prints one table of figures and ratios.
/// `--quick` (under a minute; .ci/run uses it so the bench never rots) scales every data set down; it asserts nothing.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        string root = Path.Combine(Path.GetTempPath(), "wandbrunops-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var table = new BenchTable();
        try
        {
            LocalDecoding(table, Path.Combine(root, "logs", "wandb"), quick ? 20 : 200);
            FolderScan(table, Path.Combine(root, "scan", "wandb"), quick ? 500 : 5000);
            ApiListing(table, quick ? 1000 : 10000, TimeSpan.FromMilliseconds(20));
            ImportTime(table);
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

        double floor = Best(3, () =>
        {
            var buffer = new byte[1 << 16];
            foreach (string log in logs)
            {
                using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                while (stream.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
        });
        // How the listing's time splits: framing (chunks, CRC) alone, then decoding on top.
        double framing = Best(3, () =>
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
        double listing = Best(3, () => listed = source.GetRuns(new RunSelector(null, null), e => throw e, CancellationToken.None).ToList());
        long rows = 0;
        double history = Best(2, () =>
        {
            rows = 0;
            foreach (WandbRun run in listed)
            {
                rows += source.GetHistory(run, new HistoryQuery(), CancellationToken.None).LongCount();
            }
        });

        string label = "1 local logs (" + mb.ToString("N0") + " MB, " + runs + " runs)";
        table.Add(label, "read bytes (floor)", mb / floor, "MB/s");
        table.Add(label, "framing + CRC only", mb / framing, "MB/s", "the part of listing that reads every byte");
        table.Add(label, "Get-WandbRun listing", mb / listing, "MB/s", "ratio to floor " + (floor / listing).ToString("P0") + " (goal ≥ 50%)");
        table.Add(label, "Get-RunHistory decoding", mb / history, "MB/s", rows + " rows (goal ≥ 150 MB/s)");
    }

    /// <summary>Scenario 2: runs per second over many small run folders, and the time to the first run.</summary>
    private static void FolderScan(BenchTable table, string wandb, int runs)
    {
        LogCorpus.Write(wandb, runs, 3);
        var source = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None);
        double first = Best(3, () => source.GetRuns(new RunSelector(null, null), e => throw e, CancellationToken.None).First());
        int count = 0;
        double all = Best(3, () => count = source.GetRuns(new RunSelector(null, null), e => throw e, CancellationToken.None).Count());
        string label = "2 folder scan (" + runs + " runs)";
        table.Add(label, "Get-WandbRun", count / all, "runs/s", "goal ≥ 5,000 runs/s");
        table.Add(label, "time to first run", first * 1000, "ms", "goal < 50 ms");
    }

    /// <summary>Scenario 3: the Python SDK's request pattern against Get-WandbRun's, on one server with injected latency.</summary>
    private static void ApiListing(BenchTable table, int runs, TimeSpan latency)
    {
        FakeDataset data = Synthetic(runs);
        using FakeWandbServer server = FakeWandbServer.StartAsync(data, new FakeServerOptions { Latency = latency }).GetAwaiter().GetResult();
        var credential = new ApiCredential(BenchKey, ApiKeySource.Parameter);
        var client = new GraphQLClient(new Uri(server.BaseUrl), credential);

        // (a) The SDK's pattern: perPage 50, one page at a time, the same fields.
        server.ClearRequests();
        var sdk = new ApiRunSource(client, "bench", "bench", ReadDiagnostics.None) { PageSize = 50 };
        int sdkCount = 0;
        double sdkSeconds = Time(() => sdkCount = SequentialPages(sdk));
        int sdkRequests = server.Requests.Count;
        long sdkBytes = server.Requests.Sum(r => r.ResponseBytes);

        // (b) Get-WandbRun's source: default page size, next page prefetched.
        server.ClearRequests();
        var module = new ApiRunSource(client, "bench", "bench", ReadDiagnostics.None);
        int moduleCount = 0;
        double moduleSeconds = Time(() => moduleCount = module.GetRuns(new RunSelector(null, null), e => throw e, CancellationToken.None).Count());
        int moduleRequests = server.Requests.Count;
        long moduleBytes = server.Requests.Sum(r => r.ResponseBytes);

        // Floor: the fewest requests the server allows, each paying the latency once, plus parsing the same bytes.
        int floorRequests = (int)Math.Ceiling(runs / 1000.0);
        double parse = Time(() => module.GetRuns(new RunSelector(null, null), e => throw e, CancellationToken.None).Count()) - (moduleRequests * latency.TotalSeconds);
        double floor = (floorRequests * latency.TotalSeconds) + Math.Max(0, parse);

        string label = "3 API listing (" + runs + " runs, " + latency.TotalMilliseconds + " ms latency)";
        table.Add(label, "SDK pattern: requests", sdkRequests, "req", (sdkBytes / 1048576.0).ToString("N1") + " MB, " + sdkCount + " runs");
        table.Add(label, "SDK pattern: time", sdkSeconds, "s");
        table.Add(label, "Get-WandbRun: requests", moduleRequests, "req", (moduleBytes / 1048576.0).ToString("N1") + " MB, " + moduleCount + " runs");
        table.Add(label, "Get-WandbRun: time", moduleSeconds, "s", (sdkSeconds / moduleSeconds).ToString("N1") + "x faster than the SDK pattern (goal ≥ 5x)");
        table.Add(label, "floor", floor, "s", "Get-WandbRun / floor = " + (moduleSeconds / floor).ToString("N2") + " (goal ≤ 1.3)");
    }

    /// <summary>One page at a time: the next request only after the whole page is consumed, as the SDK's iterator does.</summary>
    private static int SequentialPages(ApiRunSource source)
    {
        int count = 0;
        string? cursor = null;
        do
        {
            var variables = new WandbMap
            {
                { "entity", "bench" }, { "project", "bench" }, { "cursor", cursor }, { "perPage", source.PageSize },
                { "order", "+created_at" }, { "filters", "{}" }, { "withCount", false },
            };
            GraphQLResponse response = source.Client.Query("Runs", SdkRunsQuery, variables, CancellationToken.None);
            var runs = (WandbMap)((WandbMap)response.Data["project"]!)["runs"]!;
            count += ((object?[])runs["edges"]!).Length;
            var info = (WandbMap)runs["pageInfo"]!;
            cursor = info["hasNextPage"] is true ? info["endCursor"] as string : null;
        }
        while (cursor is not null);
        return count;
    }

    private const string SdkRunsQuery =
        "query Runs($entity: String!, $project: String!, $cursor: String, $perPage: Int, $order: String, $filters: JSONString, $withCount: Boolean!) { " +
        "project(name: $project, entityName: $entity) { runCount(filters: $filters) @include(if: $withCount) " +
        "runs(filters: $filters, after: $cursor, first: $perPage, order: $order) { edges { node { id name displayName state config summaryMetrics createdAt heartbeatAt tags group jobType sweepName notes host computeSeconds historyLineCount user { name username } } cursor } pageInfo { endCursor hasNextPage } } } }";

    private const string BenchKey = "local-bench0123456789abcdef0123456789abcdef0123";

    private static FakeDataset Synthetic(int runs)
    {
        var data = new FakeDataset();
        data.Users.Add(new FakeUser { ApiKey = BenchKey, Username = "bench", DefaultEntity = "bench" });
        var project = new FakeProject { Entity = "bench", Name = "bench" };
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string config = "{" + string.Join(",", Enumerable.Range(0, 20).Select(k => "\"param_" + k + "\": {\"value\": " + (k * 0.1) + ", \"desc\": null}")) + "}";
        string summary = "{" + string.Join(",", Enumerable.Range(0, 20).Select(k => "\"metric_" + k + "\": " + (k * 0.01))) + ", \"_wandb\": {\"runtime\": 120}}";
        for (int i = 0; i < runs; i++)
        {
            project.Runs.Add(new FakeRun { Id = "r" + i.ToString("D7"), DisplayName = "run-" + i, State = "finished", CreatedAt = start.AddSeconds(i), HeartbeatAt = start.AddSeconds(i + 120), ConfigJson = config, SummaryJson = summary });
        }

        data.Projects.Add(project);
        return data;
    }

    /// <summary>Scenario 6: Import-Module of the built folder in a fresh runspace, the first time and again.</summary>
    private static void ImportTime(BenchTable table)
    {
        string manifest = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "out", "WandbRunOps", "WandbRunOps.psd1"));
        if (!File.Exists(manifest))
        {
            Console.WriteLine("Import time skipped: " + manifest + " is not built.");
            return;
        }

        double Import()
        {
            using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript("Import-Module -Name $args[0] -ErrorAction Stop").AddArgument(manifest);
            return Time(() => shell.Invoke());
        }

        double cold = Import();
        double warm = Enumerable.Range(0, 5).Min(_ => Import());
        table.Add("6 import", "cold (first in process)", cold * 1000, "ms");
        table.Add("6 import", "warm (fresh runspace)", warm * 1000, "ms", "goal < 150 ms");
    }

    private static double Best(int tries, Action action) => Enumerable.Range(0, tries).Min(_ => Time(action));

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}
