using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// The server's own checks over real HTTP with HttpClient: each one a case of the xunit suite
/// (tests/WandbRunOps.Tests/FakeServer/FakeWandbServerTests.cs).
/// </summary>
public static class ServerChecks
{
    private const string RunFields =
        "id name displayName state config summaryMetrics systemMetrics createdAt heartbeatAt updatedAt tags group jobType sweepName " +
        "commit notes description host computeSeconds historyLineCount historyKeys user { name username } project { name entityName }";

    private const string RunsQuery =
        "query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50, $order: String, $filters: JSONString) {\n" +
        "  project(name: $project, entityName: $entity) { internalId runCount(filters: $filters) readOnly\n" +
        "    runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {\n" +
        "      totalCount edges { node { name displayName state createdAt } cursor } pageInfo { endCursor hasNextPage } } } }";

    private const string ArtifactFields =
        "__typename id versionIndex state size digest fileCount createdAt updatedAt description metadata ttlDurationSeconds ttlIsInherited " +
        "artifactType { name } artifactSequence { __typename name project { id internalId name entityName entity { name } } } " +
        "aliases @include(if: $includeAliases) { __typename id alias artifactCollection { __typename name project { name entityName } } }";

    private static readonly (string Name, Func<Context, Task> Body)[] Checks =
    {
        ("binds 127.0.0.1 only, BaseUrl shape", BindsLoopbackOnly),
        ("viewer with a good key (Basic api:<key>) -> 200", ViewerGoodKey),
        ("viewer with Bearer <key> -> 200", ViewerBearer),
        ("bad key / no key -> 401 'user is not logged in'", ViewerBadKey),
        ("runs: 3 pages of first:2, arrayconnection cursors, hasNextPage", RunsThreePages),
        ("runs: -created_at, and a run inserted while paging duplicates one", RunsInsertWhilePaging),
        ("runs: first capped at MaxPageSize", RunsMaxPageSize),
        ("runs: filters name / $in / $regex / display_name / state / $and / $or", RunsFilters),
        ("runs: unsupported filter -> 400 errors[]", RunsUnsupportedFilter),
        ("run(name:) found: encodings (JSONString verbatim, NaN, DateTime, ids)", RunFoundEncodings),
        ("run(name:) missing -> run null; missing project -> project null", RunMissing),
        ("history(minStep, maxStep) rows as JSON strings", History),
        ("sampledHistory: one list per spec, only rows with every key", SampledHistory),
        ("unknown field -> 400 validation error", UnknownField),
        ("syntax error -> 400", SyntaxError),
        ("introspection __type(name: \"Run\")", Introspection),
        ("gzip response when Accept-Encoding: gzip", Gzip),
        ("artifacts: output/input connections, aliases incl. foreign (portfolio)", Artifacts),
        ("files: names filter, base64 md5 of the bytes, url needs the key, signed directUrl does not, faults", Files),
        ("fault: 429 with Retry-After, consumed in order", Fault429),
        ("fault: reset -> HttpRequestException", FaultReset),
        ("fault: truncated body -> client read fails", FaultTruncated),
        ("fault: HTML 502 page", FaultHtml),
        ("fault: GraphQL error, with and without partial data", FaultGraphQLError),
        ("fault: delay, cancelled by the client, frees the request", FaultDelayCancelled),
        ("latency applies to every request", Latency),
        ("admin HTTP: POST/DELETE /_fake/faults, GET /_fake/requests, POST /_fake/runs", AdminHttp),
        ("recorded requests: operation, variables, auth, UA, status, bytes", Recorded),
        ("64 concurrent requests, all answered and recorded", Concurrent),
        ("FakeDataset Save/Load round trip", SaveLoad),
        ("mutations: upsertBucket by storage id (tags replace, notes, config); a name, a bad tag, an unknown field refused", UpsertBucket),
        ("mutations: stopRun sets stopped; deleteRun removes; a read-only project answers 403", StopAndDelete),
        ("fault targets: a mutations-only fault lets reads pass; a lost answer still applies the change", TargetedFaults),
    };

    /// <summary>The name of every check, in order (xunit runs each as its own case).</summary>
    public static IReadOnlyList<string> CheckNames { get; } = Checks.Select(c => c.Name).ToList();

    /// <summary>An HTTP client as the checks expect: no automatic decompression (the gzip check reads the raw body).</summary>
    public static HttpClient NewClient()
    {
        var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });
        http.DefaultRequestHeaders.UserAgent.ParseAdd("W&B-Public-Client-SelfTest/1.0");
        return http;
    }

    /// <summary>
    /// Runs one check against <paramref name="server"/> after putting it back to its starting state (no faults, no
    /// latency, the sample dataset, no recorded requests). A failed check throws, naming what it found.
    /// </summary>
    public static async Task RunCheckAsync(string name, FakeWandbServer server, HttpClient http)
    {
        Func<Context, Task> body = Checks.Single(c => c.Name == name).Body;
        server.Faults.Clear();
        server.Faults.Latency = TimeSpan.Zero;
        server.FileFaults.Clear();
        server.FileFaults.Latency = TimeSpan.Zero;
        server.Data.Projects.Clear();
        server.Data.Users.Clear();
        FakeDataset fresh = FakeSampleData.Create();
        server.Data.Projects.AddRange(fresh.Projects);
        server.Data.Users.AddRange(fresh.Users);
        server.ClearRequests();
        await body(new Context(server, http)).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ checks

    private static async Task BindsLoopbackOnly(Context c)
    {
        var uri = new Uri(c.Server.BaseUrl);
        Expect(c.Server.BaseUrl == "http://127.0.0.1:" + uri.Port, "BaseUrl " + c.Server.BaseUrl);
        Expect(!c.Server.BaseUrl.EndsWith('/'), "trailing slash");
        foreach (IPAddress address in (await Dns.GetHostAddressesAsync(Dns.GetHostName()).ConfigureAwait(false))
                     .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)))
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            bool connected;
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, uri.Port), cts.Token).ConfigureAwait(false);
                connected = true;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                connected = false;
            }

            Expect(!connected, "the port answers on " + address);
        }
    }

    private static async Task ViewerGoodKey(Context c)
    {
        Reply r = await c.PostAsync("query Viewer { viewer { id entity username email name teams { edges { node { name } } } } }").ConfigureAwait(false);
        Expect(r.Status == 200, "status " + r.Status + " " + r.Text);
        JsonNode viewer = r.Json!["data"]!["viewer"]!;
        Expect((string?)viewer["username"] == "alice" && (string?)viewer["entity"] == "alice", r.Text);
        Expect((string?)viewer["teams"]!["edges"]![0]!["node"]!["name"] == FakeSampleData.Entity, "teams");
        Expect(WandbEncoding.FromBase64((string)viewer["id"]!)!.StartsWith("User:", StringComparison.Ordinal), "viewer id");
    }

    private static async Task ViewerBearer(Context c)
    {
        Reply r = await c.PostAsync("{ viewer { username } }", auth: "Bearer " + FakeSampleData.ApiKey).ConfigureAwait(false);
        Expect(r.Status == 200 && (string?)r.Json!["data"]!["viewer"]!["username"] == "alice", r.Status + " " + r.Text);
    }

    private static async Task ViewerBadKey(Context c)
    {
        foreach (string? auth in new[] { Basic("not-a-real-key"), null, "Basic !!!", Basic2("user", FakeSampleData.ApiKey) })
        {
            Reply r = await c.PostAsync("{ viewer { id entity } }", auth: auth ?? "").ConfigureAwait(false);
            Expect(r.Status == 401, "status " + r.Status + " for auth '" + auth + "'");
            Expect((string?)r.Json!["errors"]![0]!["message"] == "user is not logged in", r.Text);
        }
    }

    private static async Task RunsThreePages(Context c)
    {
        string? cursor = null;
        var names = new List<string>();
        var cursors = new List<string>();
        var hasNext = new List<bool>();
        for (int page = 0; page < 3; page++)
        {
            Reply r = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("cursor", cursor), ("perPage", 2), ("order", "+created_at"), ("filters", "{}")), "Runs").ConfigureAwait(false);
            Expect(r.Status == 200, r.Text);
            JsonNode project = r.Json!["data"]!["project"]!;
            Expect((int)project["runCount"]! == 5 && (int)project["runs"]!["totalCount"]! == 5, "counts");
            JsonArray edges = project["runs"]!["edges"]!.AsArray();
            foreach (JsonNode? e in edges)
            {
                names.Add((string)e!["node"]!["name"]!);
                cursors.Add(WandbEncoding.FromBase64((string)e["cursor"]!)!);
            }

            JsonNode pageInfo = project["runs"]!["pageInfo"]!;
            hasNext.Add((bool)pageInfo["hasNextPage"]!);
            cursor = (string?)pageInfo["endCursor"];
            Expect(cursor == (string?)edges[^1]!["cursor"], "endCursor is the last edge's cursor");
        }

        Expect(string.Join(",", names) == "run01abc,run02abc,run03abc,run04abc,run05abc", string.Join(",", names));
        Expect(string.Join(",", cursors) == "arrayconnection:0,arrayconnection:1,arrayconnection:2,arrayconnection:3,arrayconnection:4", string.Join(",", cursors));
        Expect(string.Join(",", hasNext) == "True,True,False", string.Join(",", hasNext));
        Expect(cursor == "YXJyYXljb25uZWN0aW9uOjQ=", "last endCursor " + cursor);
    }

    private static async Task RunsInsertWhilePaging(Context c)
    {
        Reply p1 = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("perPage", 2), ("order", "-created_at"))).ConfigureAwait(false);
        List<string> first = RunNames(p1);
        Expect(string.Join(",", first) == "run05abc,run04abc", string.Join(",", first));
        FakeProject project = c.Server.Data.FindProject("ml-team", "demo")!;
        lock (c.Server.Data.SyncRoot)
        {
            project.Runs.Add(new FakeRun { Id = "run06abc", State = "running", CreatedAt = new DateTime(2023, 11, 6, 0, 0, 0, DateTimeKind.Utc), HeartbeatAt = new DateTime(2023, 11, 6, 0, 0, 0, DateTimeKind.Utc) });
        }

        string cursor = (string)p1.Json!["data"]!["project"]!["runs"]!["pageInfo"]!["endCursor"]!;
        Reply p2 = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("perPage", 2), ("order", "-created_at"), ("cursor", cursor))).ConfigureAwait(false);
        List<string> second = RunNames(p2);
        Expect(string.Join(",", second) == "run04abc,run03abc", "page 2 after an insert: " + string.Join(",", second));
    }

    private static async Task RunsMaxPageSize(Context c)
    {
        await using FakeWandbServer small = await FakeWandbServer.StartAsync(FakeSampleData.Create(), new FakeServerOptions { MaxPageSize = 3 }).ConfigureAwait(false);
        var sc = new Context(small, c.Http);
        Reply r = await sc.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("perPage", 100))).ConfigureAwait(false);
        Expect(RunNames(r).Count == 3, "edges " + RunNames(r).Count);
        Expect((bool)r.Json!["data"]!["project"]!["runs"]!["pageInfo"]!["hasNextPage"]!, "hasNextPage");
    }

    private static async Task RunsFilters(Context c)
    {
        var cases = new (string Filter, string Expected)[]
        {
            ("{}", "run01abc,run02abc,run03abc,run04abc,run05abc"),
            ("{\"name\": \"run02abc\"}", "run02abc"),
            ("{\"name\": {\"$in\": [\"run01abc\", \"run04abc\", \"nope\"]}}", "run01abc,run04abc"),
            ("{\"name\": {\"$regex\": \"^run0[23]\"}}", "run02abc,run03abc"),
            ("{\"display_name\": {\"$regex\": \"^sunny\"}}", "run01abc,run03abc,run05abc"),
            ("{\"displayName\": {\"$eq\": \"rainy-field-2\"}}", "run02abc"),
            ("{\"state\": \"finished\"}", "run01abc,run05abc"),
            ("{\"$and\": [{\"state\": \"finished\"}, {\"display_name\": {\"$regex\": \"5$\"}}]}", "run05abc"),
            ("{\"$or\": [{\"state\": \"crashed\"}, {\"name\": \"run04abc\"}]}", "run03abc,run04abc"),
            ("{\"tags\": \"baseline\"}", "run01abc"),
        };
        foreach ((string filter, string expected) in cases)
        {
            Reply r = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("filters", filter))).ConfigureAwait(false);
            Expect(r.Status == 200, filter + " -> " + r.Status + " " + r.Text);
            string got = string.Join(",", RunNames(r));
            Expect(got == expected, filter + " -> " + got);
            Expect((int)r.Json!["data"]!["project"]!["runCount"]! == expected.Split(',').Length, filter + " runCount");
        }
    }

    private static async Task RunsUnsupportedFilter(Context c)
    {
        foreach (string filter in new[] { "{\"summary.epoch\": 9}", "{\"tags\": [\"train\"]}", "{\"Name\": \"a\"}", "{\"state\": {\"$in\": \"x\"}}", "not json" })
        {
            Reply r = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("filters", filter))).ConfigureAwait(false);
            Expect(r.Status == 400, filter + " -> " + r.Status);
            string message = (string)r.Json!["errors"]![0]!["message"]!;
            Expect(message.StartsWith("unsupported filter: ", StringComparison.Ordinal), message);
            Expect(r.Json["data"] is null, "no data with a refused filter");
        }

        // $all under tags fails as W&B is reported to fail on it (wandb/wandb#5967); W&B's clients' form works.
        foreach (string filter in new[] { "{\"tags\": {\"$all\": [\"baseline\"]}}", "{\"$or\": [{\"tags\": {\"$not\": {\"$all\": [\"a\"]}}}]}" })
        {
            Reply all = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("filters", filter))).ConfigureAwait(false);
            Expect(all.Status == 500 && all.Json!["data"] is null, filter + " -> " + all.Status);
        }

        Reply tagIn = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("filters", "{\"$and\": [{\"tags\": {\"$in\": [\"baseline\"]}}]}"))).ConfigureAwait(false);
        Expect(tagIn.Status == 200, "tags $in -> " + tagIn.Status);

        Reply o = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("order", "+no_such_key"))).ConfigureAwait(false);
        Expect(o.Status == 400 && ((string)o.Json!["errors"]![0]!["message"]!).StartsWith("unsupported order", StringComparison.Ordinal), o.Text);
    }

    private static async Task RunFoundEncodings(Context c)
    {
        string query = "query Run($project: String!, $entity: String!, $name: String!) { project(name: $project, entityName: $entity) { run(name: $name) { projectId " + RunFields + " } } }";
        Reply r = await c.PostAsync(query, Vars(("project", "demo"), ("entity", "ml-team"), ("name", "run02abc"))).ConfigureAwait(false);
        Expect(r.Status == 200, r.Text);
        JsonNode run = r.Json!["data"]!["project"]!["run"]!;
        FakeRun fake = c.Server.Data.FindProject("ml-team", "demo")!.Runs.Single(x => x.Id == "run02abc");
        Expect(run["config"]!.GetValueKind() == JsonValueKind.String && (string)run["config"]! == fake.ConfigJson, "config is the stored text as a string");
        Expect((string)run["summaryMetrics"]! == fake.SummaryJson && ((string)run["summaryMetrics"]!).Contains("NaN", StringComparison.Ordinal), "summary verbatim with NaN");
        Expect((string)run["systemMetrics"]! == fake.SystemMetricsJson, "systemMetrics");
        Expect((string)run["createdAt"]! == "2023-11-05T18:46:35", "createdAt " + run["createdAt"]);
        Expect((string)run["heartbeatAt"]! == "2023-11-05T18:57:35", "heartbeatAt " + run["heartbeatAt"]);
        Expect((string)run["updatedAt"]! == "2023-11-05T18:57:35.500000", "updatedAt " + run["updatedAt"]);
        Expect(WandbEncoding.FromBase64((string)run["id"]!)!.StartsWith("Run:", StringComparison.Ordinal), "id " + WandbEncoding.FromBase64((string)run["id"]!));
        Expect((string)run["name"]! == "run02abc" && (string)run["displayName"]! == "rainy-field-2" && (string)run["state"]! == "failed", "identity");
        Expect(run["historyKeys"]!.GetValueKind() == JsonValueKind.Object && (long)run["historyKeys"]!["lastStep"]! == 2, "historyKeys " + run["historyKeys"]);
        Expect((string)run["user"]!["username"]! == "alice" && (string)run["user"]!["name"]! == "Alice Example", "user");
        Expect((string)run["project"]!["entityName"]! == "ml-team" && (string)run["project"]!["name"]! == "demo", "project");
        Expect((double)run["computeSeconds"]! == 660 && (int)run["historyLineCount"]! == 3, "numbers");
        Expect(run["tags"]!.AsArray().Select(t => (string)t!).SequenceEqual(new[] { "exp", "v1" }), "tags");
        Expect(run["notes"] is null && run["sweepName"] is null, "nulls");
        Expect(r.Text.Contains(@"""summaryMetrics"":""{\""loss\"": NaN", StringComparison.Ordinal), "raw body: " + r.Text[..Math.Min(200, r.Text.Length)]);
    }

    private static async Task RunMissing(Context c)
    {
        Reply r = await c.PostAsync("query { project(name: \"demo\", entityName: \"ml-team\") { run(name: \"zzzzzzzz\") { id } } }").ConfigureAwait(false);
        Expect(r.Status == 200 && r.Json!["errors"] is null, r.Text);
        Expect(r.Json!["data"]!["project"]!["run"] is null && r.Json["data"]!["project"]!.AsObject().ContainsKey("run"), r.Text);
        Reply p = await c.PostAsync("query { project(name: \"nope\", entityName: \"ml-team\") { id } }").ConfigureAwait(false);
        Expect(p.Status == 200 && p.Json!["data"]!["project"] is null && p.Json["errors"] is null, p.Text);
        Reply d = await c.PostAsync("query { project(name: \"scratch\") { entityName runCount runs { edges { cursor } pageInfo { endCursor hasNextPage } } } }").ConfigureAwait(false);
        Expect((string?)d.Json!["data"]!["project"]!["entityName"] == "alice", "entityName defaults to the viewer's entity: " + d.Text);
        Expect(d.Json["data"]!["project"]!["runs"]!["pageInfo"]!["endCursor"] is null, "empty connection endCursor null");
    }

    private static async Task History(Context c)
    {
        Reply r = await c.PostAsync("query { project(name: \"demo\", entityName: \"ml-team\") { run(name: \"run01abc\") { historyKeys history(minStep: 1, maxStep: 3, samples: 1000) } } }").ConfigureAwait(false);
        Expect(r.Status == 200, r.Text);
        JsonArray rows = r.Json!["data"]!["project"]!["run"]!["history"]!.AsArray();
        Expect(rows.Count == 2 && rows.All(x => x!.GetValueKind() == JsonValueKind.String), r.Text);
        Expect(((string)rows[1]!).Contains("NaN", StringComparison.Ordinal), "row 2 keeps NaN");
    }

    private static async Task SampledHistory(Context c)
    {
        const string specs = "[\"{\\\"keys\\\": [\\\"_step\\\", \\\"loss\\\"], \\\"samples\\\": 2}\", \"{\\\"keys\\\": [\\\"_step\\\", \\\"loss\\\", \\\"acc\\\"]}\"]";
        Reply r = await c.PostAsync("query { project(name: \"demo\", entityName: \"ml-team\") { run(name: \"run01abc\") { sampledHistory(specs: " + specs + ") } } }").ConfigureAwait(false);
        Expect(r.Status == 200, r.Text);
        JsonArray lists = r.Json!["data"]!["project"]!["run"]!["sampledHistory"]!.AsArray();
        Expect(lists.Count == 2, r.Text);
        JsonArray loss = lists[0]!.AsArray();
        Expect(loss.Count == 2 && (long)loss[0]!["_step"]! == 0 && (long)loss[1]!["_step"]! == 2 && (string)loss[1]!["loss"]! == "NaN", "2 evenly spread rows, NaN as a string: " + r.Text);
        Expect(lists[1]!.AsArray().Count == 0, "no row has both loss and acc: " + r.Text);
    }

    private static async Task UnknownField(Context c)
    {
        Reply r = await c.PostAsync("query { project(name: \"demo\", entityName: \"ml-team\") { run(name: \"run01abc\") { name notAWandbField } } }").ConfigureAwait(false);
        Expect(r.Status == 400, "status " + r.Status);
        string message = (string)r.Json!["errors"]![0]!["message"]!;
        Expect(message.Contains("notAWandbField", StringComparison.Ordinal) && message.Contains("Run", StringComparison.Ordinal), message);
        Expect(r.Json["data"] is null, "no data");
        Reply v = await c.PostAsync("{ viewer { apiKeys { edges { node { id } } } } }").ConfigureAwait(false);
        Expect(v.Status == 400, "apiKeys is not served");
    }

    private static async Task SyntaxError(Context c)
    {
        Reply r = await c.PostAsync("query { viewer { id ").ConfigureAwait(false);
        Expect(r.Status == 400 && r.Json!["errors"]!.AsArray().Count > 0, r.Status + " " + r.Text);
        Reply b = await c.PostRawAsync("{not json", Basic(FakeSampleData.ApiKey)).ConfigureAwait(false);
        Expect(b.Status == 400, "bad body " + b.Status);
    }

    private static async Task Introspection(Context c)
    {
        Reply r = await c.PostAsync("{ __type(name: \"Run\") { fields { name } } }").ConfigureAwait(false);
        Expect(r.Status == 200, r.Text);
        var names = r.Json!["data"]!["__type"]!["fields"]!.AsArray().Select(f => (string)f!["name"]!).ToHashSet();
        Expect(names.Contains("summaryMetrics") && names.Contains("historyKeys") && names.Contains("outputArtifacts"), string.Join(",", names));
    }

    private static async Task Gzip(Context c)
    {
        using var request = c.Request("{ viewer { username } }", null, Basic(FakeSampleData.ApiKey));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using HttpResponseMessage response = await c.Http.SendAsync(request).ConfigureAwait(false);
        Expect(response.StatusCode == HttpStatusCode.OK, "status");
        Expect(response.Content.Headers.ContentEncoding.Contains("gzip"), "Content-Encoding: " + string.Join(",", response.Content.Headers.ContentEncoding));
        byte[] compressed = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        Expect(compressed.Length > 2 && compressed[0] == 0x1f && compressed[1] == 0x8b, "gzip magic");
        using var gz = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        string text = await reader.ReadToEndAsync().ConfigureAwait(false);
        Expect((string?)JsonNode.Parse(text)!["data"]!["viewer"]!["username"] == "alice", text);
        RecordedRequest rec = c.Server.Requests.Last();
        Expect(rec.AcceptGzip && rec.ResponseBytes == compressed.Length, "recorded gzip " + rec);

        using var plain = c.Request("{ viewer { username } }", null, Basic(FakeSampleData.ApiKey));
        using HttpResponseMessage plainResponse = await c.Http.SendAsync(plain).ConfigureAwait(false);
        Expect(plainResponse.Content.Headers.ContentEncoding.Count == 0, "no gzip unless asked");
    }

    private static async Task Artifacts(Context c)
    {
        string query = "query RunOutputArtifacts($entity: String!, $project: String!, $run: String!, $cursor: String, $perPage: Int, $includeAliases: Boolean = true) {\n" +
            " project(entityName: $entity, name: $project) { run(name: $run) {\n" +
            "  artifacts: outputArtifacts(after: $cursor, first: $perPage) { totalCount pageInfo { endCursor hasNextPage } edges { cursor node { " + ArtifactFields + " } } }\n" +
            "  used: inputArtifacts(first: 10) { totalCount edges { node { id versionIndex createdAt artifactType { name } artifactSequence { name } aliases { alias } } } } } } }";
        Reply r = await c.PostAsync(query, Vars(("entity", "ml-team"), ("project", "demo"), ("run", "run01abc"), ("perPage", 1)), "RunOutputArtifacts").ConfigureAwait(false);
        Expect(r.Status == 200, r.Text);
        JsonNode arts = r.Json!["data"]!["project"]!["run"]!["artifacts"]!;
        Expect((int)arts["totalCount"]! == 2 && (bool)arts["pageInfo"]!["hasNextPage"]!, "paging " + arts["pageInfo"]);
        JsonNode a = arts["edges"]![0]!["node"]!;
        Expect((string)a["__typename"]! == "Artifact" && (string)a["state"]! == "COMMITTED", "typename/state");
        Expect(WandbEncoding.FromBase64((string)a["id"]!) == "Artifact:3000", "id");
        Expect(a["size"]!.GetValueKind() == JsonValueKind.Number && (long)a["size"]! == 1_048_576, "size");
        Expect((string)a["metadata"]! == "{\"val_acc\": NaN}", "metadata JSONString verbatim");
        Expect((string)a["artifactType"]!["name"]! == "model" && (string)a["artifactSequence"]!["name"]! == "model-run01abc", "type/sequence");
        Expect((string)a["artifactSequence"]!["__typename"]! == "ArtifactSequence" && (string)a["artifactSequence"]!["project"]!["entity"]!["name"]! == "ml-team", "sequence project");
        JsonArray aliases = a["aliases"]!.AsArray();
        Expect(aliases.Count == 2, "aliases " + aliases.ToJsonString());
        Expect((string)aliases[0]!["alias"]! == "latest" && (string)aliases[0]!["artifactCollection"]!["__typename"]! == "ArtifactSequence"
            && (string)aliases[0]!["artifactCollection"]!["name"]! == "model-run01abc", "own alias");
        Expect((string)aliases[1]!["alias"]! == "production" && (string)aliases[1]!["artifactCollection"]!["__typename"]! == "ArtifactPortfolio"
            && (string)aliases[1]!["artifactCollection"]!["project"]!["entityName"]! == "acme-org", "foreign alias");
        Expect(!aliases.Any(x => ((string)x!["alias"]!).StartsWith('v')), "no vN alias");
        Expect(a["updatedAt"] is null && (long)a["ttlDurationSeconds"]! == -1, "updatedAt / ttl");

        JsonNode used = r.Json["data"]!["project"]!["run"]!["used"]!["edges"]![0]!["node"]!;
        Expect((string)used["artifactSequence"]!["name"]! == "mnist" && (int)used["versionIndex"]! == 2, "used artifact");
        Expect((string)used["createdAt"]! == "2023-11-05T17:16:35.123456", "fractional createdAt " + used["createdAt"]);

        string next = (string)arts["pageInfo"]!["endCursor"]!;
        Reply r2 = await c.PostAsync(query, Vars(("entity", "ml-team"), ("project", "demo"), ("run", "run01abc"), ("perPage", 1), ("cursor", next), ("includeAliases", false))).ConfigureAwait(false);
        JsonNode arts2 = r2.Json!["data"]!["project"]!["run"]!["artifacts"]!;
        Expect(!(bool)arts2["pageInfo"]!["hasNextPage"]! && (string)arts2["edges"]![0]!["node"]!["artifactType"]!["name"]! == "wandb-history", r2.Text);
        Expect(arts2["edges"]![0]!["node"]!["aliases"] is null && !arts2["edges"]![0]!["node"]!.AsObject().ContainsKey("aliases"), "@include(if: false)");
    }

    private static async Task Files(Context c)
    {
        byte[] log = Encoding.UTF8.GetBytes("epoch 1\nCUDA out of memory\n");
        lock (c.Server.Data.SyncRoot)
        {
            List<FakeRunFile> files = c.Server.Data.FindProject("ml-team", "demo")!.Runs.Single(r => r.Id == "run01abc").Files;
            files.Add(FakeRunFile.FromBytes("output.log", log, new DateTime(2023, 11, 5, 17, 46, 35, DateTimeKind.Utc)));
            files.Add(FakeRunFile.FromBytes("media/images/a b.png", new byte[] { 1, 2, 3 }, new DateTime(2023, 11, 5, 17, 46, 35, DateTimeKind.Utc)));
        }

        const string query = "query RunFiles($entity: String!, $project: String!, $run: String!, $names: [String], $cursor: String, $perPage: Int) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { files(names: $names, after: $cursor, first: $perPage) { " +
            "pageInfo { endCursor hasNextPage } edges { node { id name url directUrl sizeBytes md5 updatedAt mimetype } } } } } }";
        Reply all = await c.PostAsync(query, Vars(("entity", "ml-team"), ("project", "demo"), ("run", "run01abc"), ("perPage", 1))).ConfigureAwait(false);
        Expect(all.Status == 200, all.Text);
        JsonNode page = all.Json!["data"]!["project"]!["run"]!["files"]!;
        Expect((bool)page["pageInfo"]!["hasNextPage"]! && (string)page["edges"]![0]!["node"]!["name"]! == "media/images/a b.png", "name order, paging " + page);

        Reply one = await c.PostAsync(query, Vars(("entity", "ml-team"), ("project", "demo"), ("run", "run01abc"), ("names", new JsonArray("output.log")))).ConfigureAwait(false);
        JsonArray edges = one.Json!["data"]!["project"]!["run"]!["files"]!["edges"]!.AsArray();
        Expect(edges.Count == 1, "names: " + one.Text);
        JsonNode file = edges[0]!["node"]!;
        Expect((string)file["md5"]! == Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(log)) && (long)file["sizeBytes"]! == log.Length, "md5/size " + file);
        Expect((string)file["updatedAt"]! == "2023-11-05T17:46:35", "updatedAt " + file["updatedAt"]);

        // The file URL needs the key; the signed direct URL does not, and a changed signature is refused.
        using (HttpResponseMessage bare = await c.Http.GetAsync((string)file["url"]!).ConfigureAwait(false))
        {
            Expect(bare.StatusCode == HttpStatusCode.Forbidden, "url without the key: " + bare.StatusCode);
        }

        using (var keyed = new HttpRequestMessage(HttpMethod.Get, (string)file["url"]!))
        {
            keyed.Headers.TryAddWithoutValidation("Authorization", Basic(FakeSampleData.ApiKey));
            using HttpResponseMessage answer = await c.Http.SendAsync(keyed).ConfigureAwait(false);
            Expect((await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).SequenceEqual(log), "url with the key");
        }

        string direct = (string)file["directUrl"]!;
        Expect((await c.Http.GetByteArrayAsync(direct).ConfigureAwait(false)).SequenceEqual(log), "directUrl bytes");
        using (HttpResponseMessage tampered = await c.Http.GetAsync(direct + "0").ConfigureAwait(false))
        {
            Expect(tampered.StatusCode == HttpStatusCode.Forbidden, "tampered signature: " + tampered.StatusCode);
        }

        // Faults of the file routes: a targeted status, then a short complete body.
        c.Server.FileFaults.Enqueue(new StatusFault(404), 1, new FaultTarget(VariablesContain: "output.log"));
        c.Server.FileFaults.Enqueue(new TruncatedJsonFault(), 1, new FaultTarget(VariablesContain: "output.log"));
        using (HttpResponseMessage missing = await c.Http.GetAsync(direct).ConfigureAwait(false))
        {
            Expect(missing.StatusCode == HttpStatusCode.NotFound, "404 fault: " + missing.StatusCode);
        }

        Expect((await c.Http.GetByteArrayAsync(direct).ConfigureAwait(false)).Length == log.Length / 2, "short body fault");
        Expect(c.Server.FileRequests.Count == 6 && c.Server.FileRequests.All(r => r.Path.Contains("output.log", StringComparison.Ordinal)), "recorded file requests");
    }

    private static async Task Fault429(Context c)
    {
        c.Server.Faults.Enqueue(new StatusFault(429, "{\"error\":\"rate limit exceeded\"}", RetryAfter: "2"), times: 2);
        c.Server.Faults.Enqueue(new StatusFault(503));
        for (int i = 0; i < 2; i++)
        {
            using var req = c.Request("{ viewer { id } }", null, Basic(FakeSampleData.ApiKey));
            using HttpResponseMessage resp = await c.Http.SendAsync(req).ConfigureAwait(false);
            Expect((int)resp.StatusCode == 429, "status " + (int)resp.StatusCode);
            Expect(resp.Headers.RetryAfter?.Delta == TimeSpan.FromSeconds(2), "Retry-After " + resp.Headers.RetryAfter);
            Expect(await resp.Content.ReadAsStringAsync().ConfigureAwait(false) == "{\"error\":\"rate limit exceeded\"}", "body");
        }

        Reply third = await c.PostAsync("{ viewer { id } }").ConfigureAwait(false);
        Expect(third.Status == 503 && (string)third.Json!["errors"]![0]!["message"]! == "internal error", "third " + third.Status);
        Reply fourth = await c.PostAsync("{ viewer { id } }").ConfigureAwait(false);
        Expect(fourth.Status == 200, "fourth " + fourth.Status);

        string date = DateTime.UtcNow.AddSeconds(30).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        c.Server.Faults.Enqueue(new StatusFault(429, RetryAfter: date));
        using var dreq = c.Request("{ viewer { id } }", null, Basic(FakeSampleData.ApiKey));
        using HttpResponseMessage dresp = await c.Http.SendAsync(dreq).ConfigureAwait(false);
        Expect(dresp.Headers.RetryAfter?.Date is not null, "Retry-After as a date: " + dresp.Headers.RetryAfter);
        Expect(c.Server.Requests.Select(x => x.StatusCode).SequenceEqual(new[] { 429, 429, 503, 200, 429 }), "recorded statuses");
    }

    private static async Task FaultReset(Context c)
    {
        c.Server.Faults.Enqueue(new ResetFault());
        try
        {
            await c.PostAsync("{ viewer { id } }").ConfigureAwait(false);
            throw new InvalidOperationException("expected HttpRequestException");
        }
        catch (HttpRequestException)
        {
        }

        Reply after = await c.PostAsync("{ viewer { id } }").ConfigureAwait(false);
        Expect(after.Status == 200, "next request " + after.Status);
        Expect(c.Server.Requests[0].StatusCode == 0, "reset recorded with status 0");
    }

    private static async Task FaultTruncated(Context c)
    {
        c.Server.Faults.Enqueue(new TruncatedBodyFault());
        using var req = c.Request("{ viewer { id entity username email } }", null, Basic(FakeSampleData.ApiKey));
        int? status = null;
        try
        {
            using HttpResponseMessage resp = await c.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            status = (int)resp.StatusCode;
            await resp.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new InvalidOperationException("expected the body read to fail");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
        }

        Expect(status == 200, "status line " + status);
        RecordedRequest rec = c.Server.Requests.Single();
        Expect(rec.StatusCode == 200 && rec.ResponseBytes > 0, "recorded " + rec);
    }

    private static async Task FaultHtml(Context c)
    {
        c.Server.Faults.Enqueue(new HtmlErrorFault(502));
        using var req = c.Request("{ viewer { id } }", null, Basic(FakeSampleData.ApiKey));
        using HttpResponseMessage resp = await c.Http.SendAsync(req).ConfigureAwait(false);
        string body = await resp.Content.ReadAsStringAsync().ConfigureAwait(false);
        Expect((int)resp.StatusCode == 502 && resp.Content.Headers.ContentType?.MediaType == "text/html", "status/type");
        Expect(body.Contains("<h1>502 Bad Gateway</h1>", StringComparison.Ordinal), body);
    }

    private static async Task FaultGraphQLError(Context c)
    {
        c.Server.Faults.Enqueue(new GraphQLErrorFault("backend hiccup", WithPartialData: true));
        c.Server.Faults.Enqueue(new GraphQLErrorFault("backend down", WithPartialData: false));
        Reply partial = await c.PostAsync("{ viewer { username } }").ConfigureAwait(false);
        Expect(partial.Status == 200 && (string)partial.Json!["errors"]![0]!["message"]! == "backend hiccup", partial.Text);
        Expect((string?)partial.Json!["data"]!["viewer"]!["username"] == "alice", "partial data");
        Reply none = await c.PostAsync("{ viewer { username } }").ConfigureAwait(false);
        Expect(none.Status == 200 && (string)none.Json!["errors"]![0]!["message"]! == "backend down" && none.Json["data"] is null, none.Text);
    }

    private static async Task FaultDelayCancelled(Context c)
    {
        c.Server.Faults.Enqueue(new DelayFault(TimeSpan.FromSeconds(30)));
        var sw = Stopwatch.StartNew();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            try
            {
                await c.PostAsync("{ viewer { id } }", ct: cts.Token).ConfigureAwait(false);
                throw new InvalidOperationException("expected a cancellation");
            }
            catch (OperationCanceledException)
            {
            }
        }

        Expect(sw.Elapsed < TimeSpan.FromSeconds(5), "cancel took " + sw.Elapsed);
        var wait = Stopwatch.StartNew();
        while (c.Server.Requests.Count == 0 && wait.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        Expect(c.Server.Requests.Count == 1 && c.Server.Requests[0].StatusCode == 0, "the delayed request ended with the client: " + string.Join(";", c.Server.Requests));

        c.Server.Faults.Enqueue(new DelayFault(TimeSpan.FromMilliseconds(250)));
        sw.Restart();
        Reply r = await c.PostAsync("{ viewer { id } }").ConfigureAwait(false);
        Expect(r.Status == 200 && sw.Elapsed >= TimeSpan.FromMilliseconds(240), "short delay then answer: " + sw.ElapsedMilliseconds + " ms");
    }

    private static async Task Latency(Context c)
    {
        c.Server.Faults.Latency = TimeSpan.FromMilliseconds(300);
        var sw = Stopwatch.StartNew();
        Reply r = await c.PostAsync("{ viewer { id } }").ConfigureAwait(false);
        Expect(r.Status == 200 && sw.Elapsed >= TimeSpan.FromMilliseconds(290), "took " + sw.ElapsedMilliseconds + " ms");
        c.Server.Faults.Latency = TimeSpan.Zero;
        await using FakeWandbServer slow = await FakeWandbServer.StartAsync(FakeSampleData.Create(), new FakeServerOptions { Latency = TimeSpan.FromMilliseconds(200) }).ConfigureAwait(false);
        sw.Restart();
        Reply s = await new Context(slow, c.Http).PostAsync("{ viewer { id } }").ConfigureAwait(false);
        Expect(s.Status == 200 && sw.Elapsed >= TimeSpan.FromMilliseconds(190), "options latency took " + sw.ElapsedMilliseconds + " ms");
    }

    private static async Task AdminHttp(Context c)
    {
        using (var post = new StringContent("{\"kind\":\"status\",\"status\":429,\"retryAfter\":\"1\",\"times\":2}", Encoding.UTF8, "application/json"))
        {
            using HttpResponseMessage resp = await c.Http.PostAsync(c.Server.BaseUrl + "/_fake/faults", post).ConfigureAwait(false);
            Expect(resp.StatusCode == HttpStatusCode.OK, "POST faults " + (int)resp.StatusCode + " " + await resp.Content.ReadAsStringAsync().ConfigureAwait(false));
        }

        Expect(c.Server.Faults.Pending == 2, "pending " + c.Server.Faults.Pending);
        using (var req = c.Request("{ viewer { id } }", null, Basic(FakeSampleData.ApiKey)))
        {
            using HttpResponseMessage resp = await c.Http.SendAsync(req).ConfigureAwait(false);
            Expect((int)resp.StatusCode == 429 && resp.Headers.RetryAfter?.Delta == TimeSpan.FromSeconds(1), "429 via admin");
        }

        using (HttpResponseMessage del = await c.Http.DeleteAsync(c.Server.BaseUrl + "/_fake/faults").ConfigureAwait(false))
        {
            Expect(del.StatusCode == HttpStatusCode.OK && c.Server.Faults.Pending == 0, "DELETE faults");
        }

        foreach (string body in new[] { "{\"kind\":\"html\",\"status\":503}", "{\"kind\":\"reset\"}", "{\"kind\":\"truncated\"}", "{\"kind\":\"delay\",\"delayMs\":10}", "{\"kind\":\"graphql-error\",\"message\":\"x\",\"withPartialData\":true}" })
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using HttpResponseMessage resp = await c.Http.PostAsync(c.Server.BaseUrl + "/_fake/faults", content).ConfigureAwait(false);
            Expect(resp.StatusCode == HttpStatusCode.OK, body + " -> " + (int)resp.StatusCode);
        }

        Expect(c.Server.Faults.Pending == 5, "5 kinds queued");
        c.Server.Faults.Clear();
        using (var bad = new StringContent("{\"kind\":\"meteor\"}", Encoding.UTF8, "application/json"))
        {
            using HttpResponseMessage resp = await c.Http.PostAsync(c.Server.BaseUrl + "/_fake/faults", bad).ConfigureAwait(false);
            Expect(resp.StatusCode == HttpStatusCode.BadRequest, "unknown kind -> 400");
        }

        using (var run = new StringContent("{\"id\":\"zz9\",\"state\":\"running\",\"createdAt\":\"2030-01-01T00:00:00Z\",\"heartbeatAt\":\"2030-01-01T00:00:00Z\"}", Encoding.UTF8, "application/json"))
        {
            using HttpResponseMessage resp = await c.Http.PostAsync(c.Server.BaseUrl + "/_fake/runs?entity=ml-team&project=demo", run).ConfigureAwait(false);
            Expect(resp.StatusCode == HttpStatusCode.OK, "POST runs");
        }

        Reply r = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("order", "-created_at"), ("perPage", 1))).ConfigureAwait(false);
        Expect(RunNames(r).Single() == "zz9", "the added run is newest");

        string json = await c.Http.GetStringAsync(c.Server.BaseUrl + "/_fake/requests").ConfigureAwait(false);
        JsonArray list = JsonNode.Parse(json)!.AsArray();
        Expect(list.Count == 2 && (int)list[0]!["statusCode"]! == 429 && (string?)list[1]!["operationName"] == "Runs", json);
    }

    private static async Task Recorded(Context c)
    {
        Reply r = await c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("perPage", 2)), "Runs").ConfigureAwait(false);
        Reply anon = await c.PostAsync("query GetDefaultEntity { viewer { id entity } }").ConfigureAwait(false);
        Expect(r.Status == 200 && anon.Status == 200, "statuses");
        IReadOnlyList<RecordedRequest> recs = c.Server.Requests;
        Expect(recs.Count == 2, "count " + recs.Count);
        Expect(recs[0].OperationName == "Runs" && recs[1].OperationName == "GetDefaultEntity", "operation names " + recs[0].OperationName + "/" + recs[1].OperationName);
        Expect(recs[0].Query == RunsQuery, "query text");
        using (JsonDocument vars = JsonDocument.Parse(recs[0].VariablesJson))
        {
            Expect(vars.RootElement.GetProperty("perPage").GetInt32() == 2, recs[0].VariablesJson);
        }

        Expect(recs[0].Authorization == Basic(FakeSampleData.ApiKey), "authorization");
        Expect(recs[0].UserAgent == "W&B-Public-Client-SelfTest/1.0", "UA " + recs[0].UserAgent);
        Expect(recs[0].StatusCode == 200 && recs[0].ResponseBytes == Encoding.UTF8.GetByteCount(r.Text), "bytes " + recs[0].ResponseBytes);
        Expect(recs[1].VariablesJson == "{}" && !recs[1].AcceptGzip, "no variables");
        Expect((DateTime.UtcNow - recs[0].ReceivedUtc) < TimeSpan.FromMinutes(1) && recs[0].ReceivedUtc.Kind == DateTimeKind.Utc, "received time");
        c.Server.ClearRequests();
        Expect(c.Server.Requests.Count == 0, "cleared");
    }

    private static async Task Concurrent(Context c)
    {
        Reply[] replies = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            c.PostAsync(RunsQuery, Vars(("project", "demo"), ("entity", "ml-team"), ("perPage", 1 + (i % 5))), "Runs"))).ConfigureAwait(false);
        Expect(replies.All(r => r.Status == 200), "statuses " + string.Join(",", replies.Select(r => r.Status).Distinct()));
        Expect(replies.Select((r, i) => RunNames(r).Count == 1 + (i % 5)).All(x => x), "page sizes");
        Expect(c.Server.Requests.Count == 64 && c.Server.Requests.All(r => r.StatusCode == 200), "recorded " + c.Server.Requests.Count);
    }

    private static Task SaveLoad(Context c)
    {
        string path = Path.Combine(Path.GetTempPath(), "fakewandb-selftest-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            FakeDataset original = FakeSampleData.Create();
            original.Save(path);
            FakeDataset loaded = FakeDataset.Load(path);
            Expect(loaded.ToJson() == original.ToJson(), "round trip differs");
            FakeRun run = loaded.Projects[0].Runs[1];
            Expect(run.SummaryJson.Contains("NaN", StringComparison.Ordinal) && run.CreatedAt.Kind == DateTimeKind.Utc, "NaN text and UTC kind survive");
            Expect(loaded.Projects[0].Runs[0].Logged[0].ForeignAliases.Single() == new FakeForeignAlias("production", "mnist-classifier", "acme-org", "wandb-registry-model"), "foreign alias record");
            Expect(loaded.Users.Single().ApiKey == FakeSampleData.ApiKey, "user");
        }
        finally
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------ helpers

    private static List<string> RunNames(Reply r)
    {
        Expect(r.Status == 200, "status " + r.Status + " " + r.Text);
        return r.Json!["data"]!["project"]!["runs"]!["edges"]!.AsArray().Select(e => (string)e!["node"]!["name"]!).ToList();
    }

    private static JsonObject Vars(params (string Name, object? Value)[] values)
    {
        var o = new JsonObject();
        foreach ((string name, object? value) in values)
        {
            o[name] = value switch
            {
                null => null,
                string s => JsonValue.Create(s),
                int i => JsonValue.Create(i),
                bool b => JsonValue.Create(b),
                JsonNode node => node,
                _ => throw new ArgumentException("unsupported variable type"),
            };
        }

        return o;
    }

    private static string Basic(string key) => Basic2("api", key);

    private static string Basic2(string user, string key) => "Basic " + WandbEncoding.Base64(user + ":" + key);

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }

    private const string UpsertMutation =
        "mutation UpsertBucket($input: UpsertBucketInput!) { upsertBucket(input: $input) { bucket { id name tags notes config } } }";

    private static async Task<string> StorageIdOf(Context c, string run)
    {
        Reply r = await c.PostAsync("query R($run: String!) { project(name: \"demo\", entityName: \"ml-team\") { run(name: $run) { id } } }", Vars(("run", run))).ConfigureAwait(false);
        return (string)r.Json!["data"]!["project"]!["run"]!["id"]!;
    }

    private static async Task UpsertBucket(Context c)
    {
        string id = await StorageIdOf(c, "run02abc").ConfigureAwait(false);
        var input = new JsonObject { ["id"] = id, ["tags"] = new JsonArray("a", "b"), ["notes"] = "ticket 42", ["config"] = "{\"lr\":{\"value\":0.5,\"desc\":null}}" };
        Reply r = await c.PostAsync(UpsertMutation, new JsonObject { ["input"] = input }).ConfigureAwait(false);
        JsonNode bucket = r.Json!["data"]!["upsertBucket"]!["bucket"]!;
        Expect(r.Status == 200 && (string)bucket["name"]! == "run02abc", r.Text);
        Expect(string.Join(",", bucket["tags"]!.AsArray().Select(t => (string)t!)) == "a,b", "tags replace the list: " + r.Text);
        Expect((string)bucket["notes"]! == "ticket 42" && (string)bucket["config"]! == "{\"lr\":{\"value\":0.5,\"desc\":null}}", r.Text);
        Expect(c.Server.Requests[^1].IsMutation && !c.Server.Requests[0].IsMutation, "IsMutation tells the change from the read");

        Reply byName = await c.PostAsync(UpsertMutation, new JsonObject { ["input"] = new JsonObject { ["id"] = "run02abc", ["notes"] = "x" } }).ConfigureAwait(false);
        Expect(byName.Json!["errors"]![0]!["message"]!.ToString().Contains("not its name", StringComparison.Ordinal), "a run name where the storage id belongs: " + byName.Text);

        Reply badTag = await c.PostAsync(UpsertMutation, new JsonObject { ["input"] = new JsonObject { ["id"] = id, ["tags"] = new JsonArray("ok", new string('x', 65)) } }).ConfigureAwait(false);
        Expect(badTag.Json!["errors"]![0]!["message"]!.ToString().Contains("invalid tag", StringComparison.Ordinal), badTag.Text);

        Reply unknown = await c.PostAsync(UpsertMutation, new JsonObject { ["input"] = new JsonObject { ["id"] = id, ["colour"] = "red" } }).ConfigureAwait(false);
        Expect(unknown.Status == 400, "an unknown input field fails validation: " + unknown.Status + " " + unknown.Text);

        FakeRun stored = c.Server.Data.FindProject("ml-team", "demo")!.Runs.Single(x => x.Id == "run02abc");
        Expect(stored.Tags.SequenceEqual(new[] { "a", "b" }) && stored.Notes == "ticket 42", "the refused changes left the run as it was");
    }

    private static async Task StopAndDelete(Context c)
    {
        string id = await StorageIdOf(c, "run04abc").ConfigureAwait(false);
        const string stop = "mutation StopRun($input: StopRunInput!) { stopRun(input: $input) { success } }";
        Reply stopped = await c.PostAsync(stop, new JsonObject { ["input"] = new JsonObject { ["id"] = id } }).ConfigureAwait(false);
        Expect((bool)stopped.Json!["data"]!["stopRun"]!["success"]!, stopped.Text);
        Reply again = await c.PostAsync(stop, new JsonObject { ["input"] = new JsonObject { ["id"] = id } }).ConfigureAwait(false);
        Expect((bool)again.Json!["data"]!["stopRun"]!["success"]!, "a repeated stop is fine: " + again.Text);
        Reply status = await c.PostAsync("{ project(name: \"demo\", entityName: \"ml-team\") { run(name: \"run04abc\") { stopped state } } }").ConfigureAwait(false);
        Expect((bool)status.Json!["data"]!["project"]!["run"]!["stopped"]! && (string)status.Json!["data"]!["project"]!["run"]!["state"]! == "running", status.Text);

        const string delete = "mutation DeleteRun($input: DeleteRunInput!) { deleteRun(input: $input) { clientMutationId } }";
        Reply deleted = await c.PostAsync(delete, new JsonObject { ["input"] = new JsonObject { ["id"] = id, ["deleteArtifacts"] = false } }).ConfigureAwait(false);
        Expect(deleted.Status == 200 && deleted.Json!["errors"] is null, deleted.Text);
        Expect(c.Server.Data.FindProject("ml-team", "demo")!.Runs.All(x => x.Id != "run04abc"), "the run is gone");
        Reply twice = await c.PostAsync(delete, new JsonObject { ["input"] = new JsonObject { ["id"] = id } }).ConfigureAwait(false);
        Expect(twice.Json!["errors"]![0]!["message"]!.ToString().StartsWith("run not found", StringComparison.Ordinal), "a second delete: " + twice.Text);

        c.Server.Data.FindProject("ml-team", "demo")!.ReadOnly = true;
        string other = await StorageIdOf(c, "run01abc").ConfigureAwait(false);
        Reply refused = await c.PostAsync(stop, new JsonObject { ["input"] = new JsonObject { ["id"] = other } }).ConfigureAwait(false);
        Expect(refused.Status == 403 && (string)refused.Json!["errors"]![0]!["message"]! == "permission denied", refused.Status + " " + refused.Text);
    }

    private static async Task TargetedFaults(Context c)
    {
        string id = await StorageIdOf(c, "run01abc").ConfigureAwait(false);
        string other = await StorageIdOf(c, "run03abc").ConfigureAwait(false);
        c.Server.Faults.Enqueue(new StatusFault(500), target: new FaultTarget(MutationsOnly: true, VariablesContain: other));
        c.Server.Faults.Enqueue(new LostAnswerFault(), target: new FaultTarget(MutationsOnly: true));

        Reply read = await c.PostAsync("{ viewer { id } }").ConfigureAwait(false);
        Expect(read.Status == 200, "a read passes a mutations-only fault: " + read.Status);
        try
        {
            await c.PostAsync(UpsertMutation, new JsonObject { ["input"] = new JsonObject { ["id"] = id, ["notes"] = "applied" } }).ConfigureAwait(false);
            throw new InvalidOperationException("expected the answer to be lost");
        }
        catch (HttpRequestException)
        {
        }

        Expect(c.Server.Data.FindProject("ml-team", "demo")!.Runs.Single(x => x.Id == "run01abc").Notes == "applied", "the change was applied before the answer was lost");
        Reply failed = await c.PostAsync(UpsertMutation, new JsonObject { ["input"] = new JsonObject { ["id"] = other, ["notes"] = "x" } }).ConfigureAwait(false);
        Expect(failed.Status == 500, "the fault waited for the mutation of run03abc: " + failed.Status);
        Expect(c.Server.Faults.Pending == 0, "both faults consumed");
    }

    private sealed record Reply(int Status, string Text, JsonNode? Json);

    private sealed class Context
    {
        public Context(FakeWandbServer server, HttpClient http)
        {
            Server = server;
            Http = http;
        }

        public FakeWandbServer Server { get; }
        public HttpClient Http { get; }

        public HttpRequestMessage Request(string query, JsonObject? variables, string auth, string? operationName = null)
        {
            var body = new JsonObject { ["query"] = query };
            if (variables is not null)
            {
                body["variables"] = variables;
            }

            if (operationName is not null)
            {
                body["operationName"] = operationName;
            }

            var request = new HttpRequestMessage(HttpMethod.Post, Server.BaseUrl + "/graphql")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            if (auth.Length > 0)
            {
                request.Headers.TryAddWithoutValidation("Authorization", auth);
            }

            return request;
        }

        public Task<Reply> PostAsync(string query, JsonObject? variables = null, string? operationName = null, string? auth = null, CancellationToken ct = default) =>
            SendAsync(Request(query, variables, auth ?? Basic(FakeSampleData.ApiKey), operationName), ct);

        public Task<Reply> PostRawAsync(string body, string auth)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Server.BaseUrl + "/graphql")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", auth);
            return SendAsync(request, default);
        }

        private async Task<Reply> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            using (request)
            {
                using HttpResponseMessage response = await Http.SendAsync(request, ct).ConfigureAwait(false);
                string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                JsonNode? json = null;
                try
                {
                    json = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                }

                return new Reply((int)response.StatusCode, text, json);
            }
        }
    }
}
