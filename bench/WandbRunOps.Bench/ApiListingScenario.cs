using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.FakeWandb;
using WandbRunOps.Json;
using WandbRunOps.Selection;
using WandbRunOps.Values;
using WandbRunOps.Sources;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 3: the Python SDK's request pattern against Get-WandbRun's source, on one loopback server with injected
/// latency; the page size swept to choose the default; and the time split into latency, the client's own decoding
/// (measured on the same response bodies) and the rest, which is the server's work.
/// </summary>
internal static class ApiListingScenario
{
    public static void Measure(BenchTable table, int runs, TimeSpan latency, bool quick)
    {
        using FakeWandbServer server = FakeWandbServer.StartAsync(ApiData.Synthetic(runs), new FakeServerOptions { Latency = latency }).GetAwaiter().GetResult();
        var client = new GraphQLClient(new Uri(server.BaseUrl), new ApiCredential(ApiData.Key, ApiKeySource.Parameter));
        string label = "3 API listing (" + runs.ToString("N0") + " runs, " + latency.TotalMilliseconds + " ms latency)";

        // (a) The SDK's pattern: perPage 50, one page at a time, the same fields.
        server.ClearRequests();
        int sdkCount = 0;
        double sdkSeconds = Timing.Seconds(() => sdkCount = SequentialPages(client, 50));
        (int sdkRequests, long sdkBytes) = (server.Requests.Count, server.Requests.Sum(r => r.ResponseBytes));
        table.Add(label, "SDK pattern (perPage 50, sequential)", sdkSeconds, "s", sdkRequests + " requests, " + (sdkBytes / 1048576.0).ToString("N1") + " MB on the wire, " + sdkCount + " runs");

        // (b) Get-WandbRun's source at several page sizes (next page prefetched while this one is decoded), after one
        // untimed listing so the first row measured does not also pay for compiling the listing code.
        new ApiRunSource(client, "bench", "bench", ReadDiagnostics.None).GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Count();
        double defaultSeconds = 0;
        int defaultRequests = 0;
        foreach (int? pageSize in quick ? new int?[] { null, 100, 1000 } : new int?[] { null, 50, 100, 250, 500, 1000 })
        {
            server.ClearRequests();
            var module = new ApiRunSource(client, "bench", "bench", ReadDiagnostics.None);
            var listing = new RunListOptions { PageSize = pageSize };
            int count = 0;
            double seconds = Timing.Seconds(() => count = module.GetRuns(new RunSelector(null, null), listing, e => throw e, CancellationToken.None).Count());
            int requests = server.Requests.Count(r => r.OperationName == "Runs");
            double first = Timing.Seconds(() => module.GetRuns(new RunSelector(null, null), listing, e => throw e, CancellationToken.None).First());
            bool isDefault = pageSize is null;
            if (isDefault)
            {
                (defaultSeconds, defaultRequests) = (seconds, requests);
            }

            string size = pageSize is int fixedSize ? "page size " + fixedSize : "default pages (" + ApiRunSource.FirstPageSize + ", then " + ApiRunSource.DefaultPageSize + ")";
            table.Add(label, "Get-WandbRun, " + size, seconds, "s",
                requests + " requests, " + (sdkSeconds / seconds).ToString("N1") + "x faster than the SDK pattern; first run after " + (first * 1000).ToString("N0") + " ms");
        }

        // The client's own work on the same bytes: parse each page body and decode its runs (no network).
        List<string> bodies = RawPages(server.BaseUrl, 1000);
        double decode = Timing.Best(3, () =>
        {
            var appUrl = ApiRunDecoder.AppUrlFor(new Uri(server.BaseUrl));
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
        double serverWork = Math.Max(0, defaultSeconds - (defaultRequests * latency.TotalSeconds) - decode);
        table.Add(label, "client decoding of the same pages", decode, "s", (megabytes / decode).ToString("N0") + " MB/s of JSON, " + (runs / decode).ToString("N0") + " runs/s");
        table.Add(label, "floor (fewest requests × latency + decoding)", floor, "s",
            "default / floor = " + (defaultSeconds / floor).ToString("N2") + " (goal ≤ 1.3); of the default's " + defaultSeconds.ToString("N2") +
            " s, latency " + (defaultRequests * latency.TotalSeconds).ToString("N2") + " s, decoding " + decode.ToString("N2") + " s, the loopback server's own work about " + serverWork.ToString("N2") + " s");
    }

    /// <summary>One page at a time: the next request only after the whole page is consumed, as the SDK's iterator does.</summary>
    private static int SequentialPages(GraphQLClient client, int perPage)
    {
        int count = 0;
        string? cursor = null;
        do
        {
            GraphQLResponse response = client.Query("Runs", SdkRunsQuery, PageVariables(cursor, perPage), CancellationToken.None);
            WandbMap runs = RunsOf(response.Data);
            count += ((IReadOnlyList<object?>)runs["edges"]!).Count;
            cursor = NextCursor(runs);
        }
        while (cursor is not null);
        return count;
    }

    /// <summary>The listing's response bodies as text, fetched once with a plain HTTP client.</summary>
    private static List<string> RawPages(string baseUrl, int pageSize)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("api:" + ApiData.Key)));
        var bodies = new List<string>();
        string? cursor = null;
        do
        {
            string request = ExtendedJson.Serialize(new WandbMap { { "query", Queries.Runs }, { "variables", PageVariables(cursor, pageSize) }, { "operationName", "Runs" } });
            using HttpResponseMessage response = http.PostAsync(baseUrl.TrimEnd('/') + "/graphql", new StringContent(request, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            string body = response.EnsureSuccessStatusCode().Content.ReadAsStringAsync().GetAwaiter().GetResult();
            bodies.Add(body);
            cursor = NextCursor(RunsOf(DataOf(body)));
        }
        while (cursor is not null);
        return bodies;
    }

    private static WandbMap PageVariables(string? cursor, int perPage) => new WandbMap
    {
        { "entity", "bench" }, { "project", "bench" }, { "cursor", cursor }, { "perPage", perPage },
        { "order", "+created_at" }, { "filters", "{}" }, { "withCount", false },
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
