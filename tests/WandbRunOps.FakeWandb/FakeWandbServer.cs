using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// A W&amp;B-compatible GraphQL server on 127.0.0.1 (never any other interface), serving <see cref="Data"/>.
/// POST {BaseUrl}/graphql with Basic auth "api:&lt;key&gt;" (or Bearer &lt;key&gt;); faults from <see cref="Faults"/>;
/// admin endpoints under {BaseUrl}/_fake/ need no auth.
/// </summary>
public sealed partial class FakeWandbServer : IAsyncDisposable, IDisposable
{
    private const string JsonContentType = "application/json";

    private static readonly TimeSpan TruncateGrace = TimeSpan.FromMilliseconds(150);

    private static readonly Lazy<ISchema> SharedSchema = new(WandbSchema.Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions AdminJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        WriteIndented = false,
    };

    private readonly WebApplication _app;
    private readonly FakeServerOptions _options;
    private readonly DocumentExecuter _executer = new();
    private readonly GraphQLSerializer _serializer = new(
        o => o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // '"' inside JSONString values goes out as \", as W&B's Go server writes it
        new ErrorInfoProvider(o => o.ExposeExtensions = false));
    private readonly object _requestsGate = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private int _inFlight;

    private FakeWandbServer(WebApplication app, FakeDataset data, FakeServerOptions options)
    {
        _app = app;
        Data = data;
        _options = options;
        Faults = new FaultPlan { Latency = options.Latency };
        FileFaults = new FaultPlan();
        BaseUrl = "";
    }

    /// <summary>e.g. "http://127.0.0.1:41237" (no trailing slash); https when <see cref="FakeServerOptions.Certificate"/> is set.</summary>
    public string BaseUrl { get; private set; }

    /// <summary>The served data; mutable while the server runs.</summary>
    public FakeDataset Data { get; }

    public FaultPlan Faults { get; }

    /// <summary>
    /// Faults and latency of the file routes (direct URLs and file URLs), apart from /graphql's: a fault targeted with
    /// <see cref="FaultTarget.VariablesContain"/> waits for a request whose path contains that text.
    /// </summary>
    public FaultPlan FileFaults { get; }

    /// <summary>A snapshot of every /graphql request so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requestsGate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>
    /// How many /graphql requests are being handled right now (received, not yet answered or abandoned): after a
    /// client cancels, this drops once the server has seen it go away.
    /// </summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void ClearRequests()
    {
        lock (_requestsGate)
        {
            _requests.Clear();
        }
    }

    /// <summary>Starts listening on http://127.0.0.1:<see cref="FakeServerOptions.Port"/> (0: a free port) and returns once it listens.</summary>
    public static async Task<FakeWandbServer> StartAsync(FakeDataset data, FakeServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new FakeServerOptions();
        if (options.MaxPageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxPageSize must be at least 1.");
        }

        _ = SharedSchema.Value; // build (and validate) the schema before listening
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (options.Certificate is not null)
                {
                    listen.UseHttps(options.Certificate);
                }
            });
        });
        WebApplication app = builder.Build();
        var server = new FakeWandbServer(app, data, options);
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        server.BaseUrl = (options.Certificate is null ? "http" : "https") + "://127.0.0.1:" + new Uri(address).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Requests still running after the grace period are dropped.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task HandleAsync(HttpContext ctx)
    {
        string path = ctx.Request.Path.Value ?? "/";
        try
        {
            if (path is "/graphql" or "/graphql/")
            {
                await HandleGraphQLAsync(ctx).ConfigureAwait(false);
            }
            else if (path.StartsWith(FileRoutes.FilesPrefix, StringComparison.Ordinal) || path.StartsWith(FileRoutes.DirectPrefix, StringComparison.Ordinal) || path.StartsWith(FileRoutes.ArtifactsPrefix, StringComparison.Ordinal))
            {
                await HandleFileAsync(ctx, path).ConfigureAwait(false);
            }
            else if (path.StartsWith("/_fake/", StringComparison.Ordinal))
            {
                await HandleAdminAsync(ctx, path).ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(ctx, 404, JsonContentType, ErrorBody("not found: " + path), allowGzip: false, truncate: false).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!ctx.Response.HasStarted && !ctx.RequestAborted.IsCancellationRequested)
        {
            // A bug in the fake itself: say so in the body rather than answering an empty 500.
            ctx.Response.Clear();
            await WriteAsync(ctx, 500, JsonContentType, ErrorBody("FakeWandb internal failure: " + ex), allowGzip: false, truncate: false).ConfigureAwait(false);
        }
    }

    // ---------------------------------------------------------------- /graphql

    private async Task HandleGraphQLAsync(HttpContext ctx)
    {
        DateTime received = DateTime.UtcNow;
        string? authorization = ctx.Request.Headers.Authorization.Count > 0 ? ctx.Request.Headers.Authorization.ToString() : null;
        string? userAgent = ctx.Request.Headers.UserAgent.Count > 0 ? ctx.Request.Headers.UserAgent.ToString() : null;
        bool acceptGzip = ctx.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
        CancellationToken ct = linked.Token;

        var parsed = new ParsedRequest();
        bool recorded = false;
        Interlocked.Increment(ref _inFlight);

        // The record is added just before the response goes out, so a client that has its answer always finds
        // the request in Requests.
        void Record(int status, long bytes)
        {
            if (recorded)
            {
                return;
            }

            recorded = true;
            var record = new RecordedRequest(received, parsed.OperationName, parsed.Query, parsed.VariablesJson, authorization, userAgent, status, bytes, acceptGzip, ctx.Connection.Id);
            lock (_requestsGate)
            {
                _requests.Add(record);
            }
        }

        try
        {
            parsed = await ReadRequestAsync(ctx, ct).ConfigureAwait(false);

            TimeSpan latency = Faults.Latency;
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, ct).ConfigureAwait(false);
            }

            Fault? fault = WithEcho(Faults.TryDequeue(parsed.OperationName, parsed.Query, parsed.VariablesJson), authorization);
            if (fault is DelayFault delay)
            {
                await Task.Delay(delay.Delay, ct).ConfigureAwait(false);
                fault = null;
            }

            switch (fault)
            {
                case ResetFault:
                    Record(0, 0);
                    ctx.Abort();
                    return;

                case StatusFault sf:
                    if (sf.RetryAfter is not null)
                    {
                        ctx.Response.Headers.RetryAfter = sf.RetryAfter;
                    }

                    await WriteAsync(ctx, sf.Status, sf.ContentType, Encoding.UTF8.GetBytes(sf.Body), allowGzip: false, truncate: false, Record).ConfigureAwait(false);
                    return;

                case HtmlErrorFault hf:
                    await WriteAsync(ctx, hf.Status, "text/html", HtmlPage(hf.Status), allowGzip: false, truncate: false, Record).ConfigureAwait(false);
                    return;

                case GraphQLErrorFault gf when !gf.WithPartialData:
                    await WriteAsync(ctx, 200, JsonContentType, ErrorBody(gf.Message), acceptGzip, truncate: false, Record).ConfigureAwait(false);
                    return;

                case EndlessBodyFault:
                    await WriteEndlessAsync(ctx, null, TimeSpan.Zero, Record, ct).ConfigureAwait(false);
                    return;

                case HugeContentLengthFault huge:
                    await WriteEndlessAsync(ctx, huge.ContentLength, TimeSpan.Zero, Record, ct).ConfigureAwait(false);
                    return;

                case DripBodyFault drip:
                    await WriteEndlessAsync(ctx, null, drip.Interval, Record, ct).ConfigureAwait(false);
                    return;

                case InvalidGzipFault:
                {
                    byte[] plain = ErrorBody("this body is plain JSON, not gzip");
                    ctx.Response.Headers.ContentEncoding = "gzip";
                    await WriteAsync(ctx, 200, JsonContentType, plain, allowGzip: false, truncate: false, Record).ConfigureAwait(false);
                    return;
                }
            }

            (int status, byte[] body) = await ExecuteAsync(ctx, parsed, fault as GraphQLErrorFault, ct).ConfigureAwait(false);
            if (fault is LostAnswerFault)
            {
                Record(status, 0);
                ctx.Abort();
                return;
            }

            if (fault is StalledBodyFault stalled && status == 200)
            {
                await WriteStalledAsync(ctx, body, stalled.Stall, Record).ConfigureAwait(false);
                return;
            }

            if (fault is TruncatedJsonFault && status == 200)
            {
                body = body.AsSpan(0, body.Length / 2).ToArray();
            }

            bool truncate = fault is TruncatedBodyFault && status == 200;
            await WriteAsync(ctx, status, JsonContentType, body, acceptGzip, truncate, Record).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away (or the server is stopping): no response.
        }
        catch (IOException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            Record(0, 0);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<(int Status, byte[] Body)> ExecuteAsync(HttpContext ctx, ParsedRequest parsed, GraphQLErrorFault? extraError, CancellationToken ct)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "POST";
            return (405, ErrorBody("method not allowed: use POST"));
        }

        FakeUser? viewer = Authenticate(ctx.Request.Headers.Authorization.ToString());
        if (viewer is null)
        {
            return (401, ErrorBody("user is not logged in"));
        }

        if (parsed.Error is not null)
        {
            return (400, ErrorBody(parsed.Error));
        }

        Inputs variables;
        try
        {
            variables = parsed.VariablesRaw is null ? Inputs.Empty : _serializer.Deserialize<Inputs>(parsed.VariablesRaw) ?? Inputs.Empty;
        }
        catch (JsonException ex)
        {
            return (400, ErrorBody("variables are not a JSON object: " + ex.Message));
        }

        ExecutionResult result = await _executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = SharedSchema.Value,
            Query = parsed.Query,
            OperationName = parsed.OperationName,
            Variables = variables,
            UserContext = new RequestContext(Data, _options, viewer) { BaseUrl = BaseUrl },
            CancellationToken = ct,
            ThrowOnUnhandledException = false,
            UnhandledExceptionDelegate = context =>
            {
                context.ErrorMessage = context.OriginalException.Message;
                return Task.CompletedTask;
            },
        }).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();

        List<UnsupportedQueryException> refused = result.Errors?.OfType<UnsupportedQueryException>().ToList() ?? new();
        if (refused.Count > 0)
        {
            // W&B answers a filter it cannot run with a 4xx/5xx and errors[], no data.
            var errors = new JsonArray();
            foreach (string message in refused.Select(e => e.Message).Distinct(StringComparer.Ordinal))
            {
                errors.Add(new JsonObject { ["message"] = message });
            }

            return (refused.Max(e => e.Status), Encoding.UTF8.GetBytes(new JsonObject { ["errors"] = errors }.ToJsonString(BodyJson)));
        }

        if (extraError is not null && result.Executed)
        {
            result.Errors ??= new ExecutionErrors();
            result.Errors.Add(new ExecutionError(extraError.Message));
        }

        int status = result.Executed ? 200 : 400;
        return (status, Encoding.UTF8.GetBytes(_serializer.Serialize(result)));
    }

    /// <summary>The fault with <see cref="Fault.EchoAuthorization"/> and <see cref="Fault.EchoCredentials"/> filled in from this request.</summary>
    private static Fault? WithEcho(Fault? fault, string? authorization)
    {
        string Fill(string text) => text
            .Replace(Fault.EchoAuthorization, authorization ?? "", StringComparison.Ordinal)
            .Replace(Fault.EchoCredentials, BasicCredentials(authorization ?? "") ?? "", StringComparison.Ordinal);
        return fault switch
        {
            StatusFault sf => sf with { Body = Fill(sf.Body) },
            GraphQLErrorFault gf => gf with { Message = Fill(gf.Message) },
            _ => fault,
        };
    }

    /// <summary>"user:password" of a Basic Authorization header, or null when it is not one.</summary>
    private static string? BasicCredentials(string header) =>
        header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? WandbEncoding.FromBase64(header[6..].Trim()) : null;

    private FakeUser? Authenticate(string header)
    {
        string? key = null;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string? decoded = BasicCredentials(header);
            int colon = decoded?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (decoded is not null && colon >= 0 && string.Equals(decoded[..colon], "api", StringComparison.Ordinal))
            {
                key = decoded[(colon + 1)..];
            }
        }
        else if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = header[7..].Trim();
        }

        return string.IsNullOrEmpty(key) ? null : Data.FindUserByKey(key);
    }

    private static async Task<ParsedRequest> ReadRequestAsync(HttpContext ctx, CancellationToken ct)
    {
        Stream input = ctx.Request.Body;
        if (ctx.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            input = new GZipStream(input, CompressionMode.Decompress);
        }

        string text;
        using (var reader = new StreamReader(input, Encoding.UTF8))
        {
            text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        }

        var parsed = new ParsedRequest { Query = text };
        if (text.Length == 0)
        {
            parsed.Error = "the request body is empty; send {\"query\": ..., \"variables\": ...}";
            return parsed;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                parsed.Error = "the request body must be a JSON object";
                return parsed;
            }

            if (root.TryGetProperty("query", out JsonElement q) && q.ValueKind == JsonValueKind.String)
            {
                parsed.Query = q.GetString()!;
            }
            else
            {
                parsed.Error = "the request has no query";
            }

            if (root.TryGetProperty("variables", out JsonElement v) && v.ValueKind != JsonValueKind.Null)
            {
                parsed.VariablesJson = v.GetRawText();
                if (v.ValueKind == JsonValueKind.Object)
                {
                    parsed.VariablesRaw = parsed.VariablesJson;
                }
                else
                {
                    parsed.Error ??= "variables must be a JSON object";
                }
            }

            if (root.TryGetProperty("operationName", out JsonElement op) && op.ValueKind == JsonValueKind.String)
            {
                parsed.OperationName = op.GetString();
            }
        }
        catch (JsonException ex)
        {
            parsed.Error = "the request body is not JSON: " + ex.Message;
        }

        parsed.OperationName ??= OperationNameFromQuery(parsed.Query);
        return parsed;
    }

    private static string? OperationNameFromQuery(string query)
    {
        System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(
            query, @"^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)");
        return m.Success ? m.Groups[1].Value : null;
    }

    private sealed class ParsedRequest
    {
        public string Query { get; set; } = "";
        public string VariablesJson { get; set; } = "{}";
        public string? VariablesRaw { get; set; }
        public string? OperationName { get; set; }
        public string? Error { get; set; }
    }

    // ---------------------------------------------------------------- responses

    /// <summary>Writes a response with Content-Length; gzips it when allowed and accepted; when truncating, sends half and aborts. Calls <paramref name="beforeSend"/> with the status and the byte count just before sending. Returns bytes sent.</summary>
    private static async Task<long> WriteAsync(HttpContext ctx, int status, string contentType, byte[] body, bool allowGzip, bool truncate, Action<int, long>? beforeSend = null)
    {
        if (allowGzip && ctx.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(body);
            }

            body = buffer.ToArray();
            ctx.Response.Headers.ContentEncoding = "gzip";
            ctx.Response.Headers.Vary = "Accept-Encoding";
        }

        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = body.Length;
        beforeSend?.Invoke(status, truncate ? body.Length / 2 : body.Length);
        if (!truncate)
        {
            await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
            return body.Length;
        }

        int half = body.Length / 2;
        await ctx.Response.Body.WriteAsync(body.AsMemory(0, half), ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);

        // A flush hands the bytes to Kestrel's transport, not yet to the socket; aborting at once can drop them
        // (the client would then see a reset instead of a short body). Give the transport a moment first.
        await Task.Delay(TruncateGrace, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Abort();
        return half;
    }

    /// <summary>A 200 whose body stops halfway for <paramref name="stall"/> (headers and Content-Length already sent), then completes.</summary>
    private static async Task WriteStalledAsync(HttpContext ctx, byte[] body, TimeSpan stall, Action<int, long> beforeSend)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = JsonContentType;
        ctx.Response.ContentLength = body.Length;
        beforeSend(200, body.Length);
        int half = body.Length / 2;
        await ctx.Response.Body.WriteAsync(body.AsMemory(0, half), ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        await Task.Delay(stall, ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.WriteAsync(body.AsMemory(half), ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// A 200 that starts like a runs page and then sends blank space until the client goes away: as fast as it reads
    /// (<paramref name="drip"/> zero, 64 KiB a write) or one byte every <paramref name="drip"/>. With
    /// <paramref name="contentLength"/> it announces that length (and stops there, which no client reaches).
    /// </summary>
    private static async Task WriteEndlessAsync(HttpContext ctx, long? contentLength, TimeSpan drip, Action<int, long> beforeSend, CancellationToken ct)
    {
        byte[] start = Encoding.UTF8.GetBytes("{\"data\":{\"project\":{\"runs\":{\"edges\":[");
        byte[] blank = new byte[drip > TimeSpan.Zero ? 1 : 65536];
        blank.AsSpan().Fill((byte)' ');
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = JsonContentType;
        ctx.Response.ContentLength = contentLength;
        beforeSend(200, contentLength ?? -1);
        await ctx.Response.Body.WriteAsync(start, ct).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        long left = (contentLength ?? long.MaxValue) - start.Length;
        while (left > 0)
        {
            if (drip > TimeSpan.Zero)
            {
                await Task.Delay(drip, ct).ConfigureAwait(false);
            }

            int count = (int)Math.Min(blank.Length, left);
            await ctx.Response.Body.WriteAsync(blank.AsMemory(0, count), ct).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            left -= count;
        }
    }

    private static byte[] ErrorBody(string message) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message }) }.ToJsonString(BodyJson));

    private static byte[] HtmlPage(int status)
    {
        string reason = ReasonPhrases.GetReasonPhrase(status);
        string title = (status.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + reason).Trim();
        return Encoding.UTF8.GetBytes(
            "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
            "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }

    // ---------------------------------------------------------------- /_fake admin

    private async Task HandleAdminAsync(HttpContext ctx, string path)
    {
        string method = ctx.Request.Method;
        try
        {
            switch (path.TrimEnd('/'))
            {
                case "/_fake/faults" when HttpMethods.IsPost(method):
                {
                    FaultRequest request = await ReadAdminBodyAsync<FaultRequest>(ctx).ConfigureAwait(false);
                    Fault fault = request.ToFault();
                    int times = request.Times ?? 1;
                    FaultPlan plan = request.Files ? FileFaults : Faults;
                    plan.Enqueue(fault, times, request.ToTarget());
                    await WriteAdminAsync(ctx, 200, new { queued = times, pending = plan.Pending, fault = fault.ToString() }).ConfigureAwait(false);
                    return;
                }

                case "/_fake/faults" when HttpMethods.IsDelete(method):
                    Faults.Clear();
                    FileFaults.Clear();
                    await WriteAdminAsync(ctx, 200, new { pending = Faults.Pending }).ConfigureAwait(false);
                    return;

                case "/_fake/faults" when HttpMethods.IsGet(method):
                    await WriteAdminAsync(ctx, 200, new { pending = Faults.Pending, latencyMs = Faults.Latency.TotalMilliseconds }).ConfigureAwait(false);
                    return;

                case "/_fake/latency" when HttpMethods.IsPost(method) || HttpMethods.IsPut(method):
                {
                    LatencyRequest request = await ReadAdminBodyAsync<LatencyRequest>(ctx).ConfigureAwait(false);
                    FaultPlan plan = request.Files ? FileFaults : Faults;
                    plan.Latency = TimeSpan.FromMilliseconds(request.Ms);
                    await WriteAdminAsync(ctx, 200, new { latencyMs = plan.Latency.TotalMilliseconds }).ConfigureAwait(false);
                    return;
                }

                case "/_fake/requests" when HttpMethods.IsGet(method):
                    await WriteAdminAsync(ctx, 200, Requests).ConfigureAwait(false);
                    return;

                case "/_fake/requests" when HttpMethods.IsDelete(method):
                    ClearRequests();
                    await WriteAdminAsync(ctx, 200, new { cleared = true }).ConfigureAwait(false);
                    return;

                case "/_fake/data" when HttpMethods.IsGet(method):
                {
                    string json;
                    lock (Data.SyncRoot)
                    {
                        json = Data.ToJson();
                    }

                    await WriteAsync(ctx, 200, JsonContentType, Encoding.UTF8.GetBytes(json), allowGzip: false, truncate: false).ConfigureAwait(false);
                    return;
                }

                case "/_fake/runs" when HttpMethods.IsPost(method):
                {
                    // ?entity=E&project=P, body: a FakeRun; appends it (creating the project when missing).
                    string entity = ctx.Request.Query["entity"].ToString();
                    string project = ctx.Request.Query["project"].ToString();
                    if (entity.Length == 0 || project.Length == 0)
                    {
                        throw new ArgumentException("query parameters entity and project are required");
                    }

                    FakeRun run = await ReadAdminBodyAsync<FakeRun>(ctx, DatasetJson.Options).ConfigureAwait(false);
                    lock (Data.SyncRoot)
                    {
                        FakeProject? p = Data.Projects.FirstOrDefault(x => x.Entity == entity && x.Name == project);
                        if (p is null)
                        {
                            p = new FakeProject { Entity = entity, Name = project };
                            Data.Projects.Add(p);
                        }

                        p.Runs.Add(run);
                    }

                    await WriteAdminAsync(ctx, 200, new { added = run.Id }).ConfigureAwait(false);
                    return;
                }

                default:
                    await WriteAsync(ctx, 404, JsonContentType, ErrorBody("no admin endpoint " + method + " " + path), allowGzip: false, truncate: false).ConfigureAwait(false);
                    return;
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidDataException)
        {
            await WriteAsync(ctx, 400, JsonContentType, ErrorBody(ex.Message), allowGzip: false, truncate: false).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadAdminBodyAsync<T>(HttpContext ctx, JsonSerializerOptions? options = null)
    {
        T? value = await JsonSerializer.DeserializeAsync<T>(ctx.Request.Body, options ?? AdminJson, ctx.RequestAborted).ConfigureAwait(false);
        return value ?? throw new InvalidDataException("the body is null");
    }

    private static Task WriteAdminAsync(HttpContext ctx, int status, object value) =>
        WriteAsync(ctx, status, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(value, AdminJson), allowGzip: false, truncate: false);

    private sealed class LatencyRequest
    {
        public double Ms { get; set; }

        /// <summary>True: the latency of the file routes (<see cref="FileFaults"/>), not of /graphql.</summary>
        public bool Files { get; set; }
    }

    /// <summary>
    /// Body of POST /_fake/faults. kind: "status" (status, body, contentType, retryAfter), "html" (status), "reset",
    /// "truncated", "truncated-json", "stalled-body" (delayMs), "delay" (delayMs), "graphql-error" (message, withPartialData), "endless-body",
    /// "huge-content-length" (contentLength, default 1 TiB), "drip-body" (delayMs between bytes), "invalid-gzip"; times defaults to 1.
    /// </summary>
    private sealed class FaultRequest
    {
        public string? Kind { get; set; }
        public int? Status { get; set; }
        public string? Body { get; set; }
        public string? ContentType { get; set; }
        public string? RetryAfter { get; set; }
        public int? Times { get; set; }
        public double? DelayMs { get; set; }
        public string? Message { get; set; }
        public bool WithPartialData { get; set; }
        public long? ContentLength { get; set; }
        public bool MutationsOnly { get; set; }
        public string? Operation { get; set; }
        public string? VariablesContain { get; set; }

        /// <summary>True: the fault is for the file routes (<see cref="FileFaults"/>; VariablesContain then matches the file's path).</summary>
        public bool Files { get; set; }

        public FaultTarget? ToTarget() =>
            MutationsOnly || Operation is not null || VariablesContain is not null ? new FaultTarget(MutationsOnly, Operation, VariablesContain) : null;

        public Fault ToFault()
        {
            string kind = (Kind ?? "").Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
            switch (kind)
            {
                case "status":
                {
                    var fault = new StatusFault(Status ?? throw new ArgumentException("status is required"));
                    return fault with
                    {
                        Body = Body ?? fault.Body,
                        ContentType = ContentType ?? fault.ContentType,
                        RetryAfter = RetryAfter,
                    };
                }

                case "html":
                    return new HtmlErrorFault(Status ?? 502);
                case "reset":
                    return new ResetFault();
                case "lostanswer":
                    return new LostAnswerFault();
                case "truncated":
                    return new TruncatedBodyFault();
                case "truncatedjson":
                    return new TruncatedJsonFault();
                case "stalledbody":
                    return new StalledBodyFault(TimeSpan.FromMilliseconds(DelayMs ?? throw new ArgumentException("delayMs is required")));
                case "delay":
                    return new DelayFault(TimeSpan.FromMilliseconds(DelayMs ?? throw new ArgumentException("delayMs is required")));
                case "graphqlerror":
                    return new GraphQLErrorFault(Message ?? "internal error", WithPartialData);
                case "endlessbody":
                    return new EndlessBodyFault();
                case "hugecontentlength":
                    return ContentLength is long length ? new HugeContentLengthFault(length) : new HugeContentLengthFault();
                case "dripbody":
                    return new DripBodyFault(TimeSpan.FromMilliseconds(DelayMs ?? throw new ArgumentException("delayMs is required")));
                case "invalidgzip":
                    return new InvalidGzipFault();
                case "corrupt":
                    return new CorruptBodyFault();
                default:
                    throw new ArgumentException("unknown fault kind '" + Kind + "' (status, html, reset, truncated, truncated-json, stalled-body, delay, graphql-error, endless-body, huge-content-length, drip-body, invalid-gzip, corrupt)");
            }
        }
    }
}
