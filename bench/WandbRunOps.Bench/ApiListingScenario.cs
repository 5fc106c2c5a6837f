using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Json;
using WandbRunOps.Selection;
using WandbRunOps.Values;
using WandbRunOps.Sources;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 3: the Python SDK's request pattern against Get-WandbRun's source, on the loopback server in its own
/// process (so its work does not compete with the client's in one process) with injected latency; the page size swept
/// to choose the default; and the time split into latency, the client's own decoding (measured on the same response
/// bodies) and the rest, which is waiting for the server.
/// </summary>
internal static class ApiListingScenario
{
    /// <summary>Timed passes of the default listing (the best counts; the worst is printed beside it).</summary>
    private const int DefaultPasses = 3;

    public static void Measure(BenchTable table, string folder, int runs, TimeSpan latency, bool quick)
    {
        string dataset = Path.Combine(folder, "dataset.json");
        Directory.CreateDirectory(folder);
        ApiData.Synthetic(runs).Save(dataset);
        using FakeWandbProcess server = FakeWandbProcess.Start(dataset, TimeSpan.FromMinutes(2), latency);
        using var admin = new HttpClient { BaseAddress = server.BaseUrl };
        var client = new GraphQLClient(server.BaseUrl, new ApiCredential(ApiData.Key, ApiKeySource.Parameter));
        string label = "3 API listing (" + runs.ToString("N0") + " runs, " + latency.TotalMilliseconds + " ms latency, server in its own process)";

        // One untimed listing and a few small pages first, so no figure pays for compiling the paths (client or server).
        List(client, null);
        for (int i = 0; i < 3; i++)
        {
            client.Query("Runs", Queries.Runs, PageVariables(null, ApiRunSource.FirstPageSize, withCount: true), CancellationToken.None);
        }

        // (a) The SDK's pattern: perPage 50, one page at a time, the same fields.
        ClearRequests(admin);
        int sdkCount = 0;
        double sdkSeconds = Timing.Seconds(() => sdkCount = SequentialPages(client, 50));
        (int sdkRequests, long sdkBytes) = RunsRequests(admin);
        table.Add(label, "SDK pattern (perPage 50, sequential)", sdkSeconds, "s", sdkRequests + " requests, " + (sdkBytes / 1048576.0).ToString("N1") + " MB on the wire, " + sdkCount + " runs");

        // (b) Get-WandbRun's source: the default pages, several passes, then other page sizes once each.
        var defaultTimes = new List<double>();
        int defaultRequests = 0;
        for (int pass = 0; pass < DefaultPasses; pass++)
        {
            ClearRequests(admin);
            defaultTimes.Add(Timing.Seconds(() => Check(runs, List(client, null))));
            defaultRequests = RunsRequests(admin).Count;
        }

        double defaultSeconds = defaultTimes.Min();
        double smallest = Timing.Best(5, () => client.Query("Runs", Queries.Runs, PageVariables(null, ApiRunSource.FirstPageSize, withCount: true), CancellationToken.None));
        double first = Timing.Best(5, () => First(client, null));
        table.Add(label, "Get-WandbRun, default pages (" + ApiRunSource.FirstPageSize + ", then " + ApiRunSource.DefaultPageSize + ")", defaultSeconds, "s",
            defaultRequests + " requests, best of " + string.Join(" / ", defaultTimes.Select(t => t.ToString("N2"))) + " s; " +
            (sdkSeconds / defaultSeconds).ToString("N1") + "x faster than the SDK pattern (goal ≥ 5x)");
        table.Add(label, "time to the first run, default pages", first * 1000, "ms",
            "one request of " + ApiRunSource.FirstPageSize + " runs alone: " + (smallest * 1000).ToString("N0") + " ms; first run / that = " + (first / smallest).ToString("N2") + " (goal ≤ 1.2)");
        foreach (int pageSize in quick ? new[] { 100, 1000 } : new[] { 50, 100, 250, 500, 1000 })
        {
            ClearRequests(admin);
            double seconds = Timing.Seconds(() => Check(runs, List(client, pageSize)));
            int requests = RunsRequests(admin).Count;
            double firstAtSize = Timing.Best(3, () => First(client, pageSize));
            table.Add(label, "Get-WandbRun, page size " + pageSize, seconds, "s",
                requests + " requests, " + (sdkSeconds / seconds).ToString("N1") + "x faster than the SDK pattern; first run after " + (firstAtSize * 1000).ToString("N0") + " ms");
        }

        // The client's own work on the same bytes: parse each page body and decode its runs (no network).
        List<string> bodies = RawPages(server.BaseUrl, 1000);
        double decode = Timing.Best(3, () =>
        {
            var appUrl = ApiRunDecoder.AppUrlFor(server.BaseUrl);
            foreach (string body in bodies)
            {
                foreach (object? edge in (IReadOnlyList<object?>)RunsOf(DataOf(body))["edges"]!)
                {
                    ApiRunDecoder.Run((WandbMap)((WandbMap)edge!)["node"]!, "bench", "bench", appUrl);
                }
            }
        });
        double megabytes = bodies.Sum(b => Encoding.UTF8.GetByteCount(b)) / 1048576.0;

        // Floor as the issue defines it: the fewest requests the server allows (1,000 runs a page), each paying the
        // latency once, plus the client's parsing of the bytes. The server's own work is not in it.
        int floorRequests = (int)Math.Ceiling(runs / 1000.0);
        double floor = (floorRequests * latency.TotalSeconds) + decode;
        double waiting = Math.Max(0, defaultSeconds - (defaultRequests * latency.TotalSeconds) - decode);
        table.Add(label, "client decoding of the same pages", decode, "s", (megabytes / decode).ToString("N0") + " MB/s of JSON, " + (runs / decode).ToString("N0") + " runs/s");
        table.Add(label, "floor (fewest requests × latency + decoding)", floor, "s",
            "default / floor = " + (defaultSeconds / floor).ToString("N2") + " (goal ≤ 1.3); of the default's " + defaultSeconds.ToString("N2") +
            " s, latency " + (defaultRequests * latency.TotalSeconds).ToString("N2") + " s, decoding " + decode.ToString("N2") + " s, the rest (the server's work and transfer not overlapped) " + waiting.ToString("N2") + " s");
    }

    private static int List(GraphQLClient client, int? pageSize) =>
        new ApiRunSource(client, "bench", "bench", ReadDiagnostics.None).GetRuns(new RunSelector(null, null), new RunListOptions { PageSize = pageSize }, e => throw e, CancellationToken.None).Count();

    private static void First(GraphQLClient client, int? pageSize) =>
        new ApiRunSource(client, "bench", "bench", ReadDiagnostics.None).GetRuns(new RunSelector(null, null), new RunListOptions { PageSize = pageSize }, e => throw e, CancellationToken.None).First();

    private static void Check(int expected, int count)
    {
        if (count != expected)
        {
            throw new InvalidOperationException("The listing gave " + count + " runs, not " + expected + ".");
        }
    }

    /// <summary>One page at a time: the next request only after the whole page is consumed, as the SDK's iterator does.</summary>
    private static int SequentialPages(GraphQLClient client, int perPage)
    {
        int count = 0;
        string? cursor = null;
        do
        {
            GraphQLResponse response = client.Query("Runs", SdkRunsQuery, PageVariables(cursor, perPage, withCount: false), CancellationToken.None);
            WandbMap runs = RunsOf(response.Data);
            count += ((IReadOnlyList<object?>)runs["edges"]!).Count;
            cursor = NextCursor(runs);
        }
        while (cursor is not null);
        return count;
    }

    /// <summary>The listing's response bodies as text, fetched once with a plain HTTP client.</summary>
    private static List<string> RawPages(Uri baseUrl, int pageSize)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("api:" + ApiData.Key)));
        var bodies = new List<string>();
        string? cursor = null;
        do
        {
            string request = ExtendedJson.Serialize(new WandbMap { { "query", Queries.Runs }, { "variables", PageVariables(cursor, pageSize, withCount: false) }, { "operationName", "Runs" } });
            using HttpResponseMessage response = http.PostAsync(new Uri(baseUrl, "/graphql"), new StringContent(request, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            string body = response.EnsureSuccessStatusCode().Content.ReadAsStringAsync().GetAwaiter().GetResult();
            bodies.Add(body);
            cursor = NextCursor(RunsOf(DataOf(body)));
        }
        while (cursor is not null);
        return bodies;
    }

    private static void ClearRequests(HttpClient admin) =>
        admin.Send(new HttpRequestMessage(HttpMethod.Delete, "/_fake/requests")).EnsureSuccessStatusCode().Dispose();

    /// <summary>
    /// The Runs requests the server answered since the last clear, and their bytes on the wire (a prefetch cancelled by
    /// an earlier early stop may be recorded after the clear, unanswered: it is not counted).
    /// </summary>
    private static (int Count, long Bytes) RunsRequests(HttpClient admin)
    {
        using HttpResponseMessage response = admin.Send(new HttpRequestMessage(HttpMethod.Get, "/_fake/requests")).EnsureSuccessStatusCode();
        using JsonDocument log = JsonDocument.Parse(response.Content.ReadAsStream());
        int count = 0;
        long bytes = 0;
        foreach (JsonElement request in log.RootElement.EnumerateArray())
        {
            if (request.GetProperty("operationName").GetString() == "Runs" && request.GetProperty("statusCode").GetInt32() == 200)
            {
                count++;
                bytes += request.GetProperty("responseBytes").GetInt64();
            }
        }

        return (count, bytes);
    }

    private static WandbMap PageVariables(string? cursor, int perPage, bool withCount) => new WandbMap
    {
        { "entity", "bench" }, { "project", "bench" }, { "cursor", cursor }, { "perPage", perPage },
        { "order", "+created_at" }, { "filters", "{}" }, { "withCount", withCount },
    };

    private static WandbMap DataOf(string body) => (WandbMap)((WandbMap)ExtendedJson.Parse(body)!)["data"]!;

    private static WandbMap RunsOf(WandbMap data) => (WandbMap)((WandbMap)data["project"]!)["runs"]!;

    private static string? NextCursor(WandbMap runs)
    {
        var info = (WandbMap)runs["pageInfo"]!;
        return info["hasNextPage"] is true ? info["endCursor"] as string : null;
    }

    private const string SdkRunsQuery =
        "query Runs($entity: String!, $project: String!, $cursor: String, $perPage: Int, $order: String, $filters: JSONString, $withCount: Boolean!) { " +
        "project(name: $project, entityName: $entity) { runCount(filters: $filters) @include(if: $withCount) " +
        "runs(filters: $filters, after: $cursor, first: $perPage, order: $order) { edges { node { id name displayName state config summaryMetrics createdAt heartbeatAt tags group jobType sweepName notes host computeSeconds historyLineCount user { name username } } cursor } pageInfo { endCursor hasNextPage } } } }";
}
