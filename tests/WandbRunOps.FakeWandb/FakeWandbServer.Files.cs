using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace WandbRunOps.FakeWandb;

/// <summary>Where the server serves run files itself: the API's file URLs and the "signed" direct URLs.</summary>
public static class FileRoutes
{
    /// <summary><c>/files/{entity}/{project}/{run}/{name}</c>: W&amp;B's file URL (<c>url</c>), which needs the key.</summary>
    public const string FilesPrefix = "/files/";

    /// <summary><c>/_direct/{entity}/{project}/{run}/{name}?sig=…</c>: the direct URL, signed, needing no key (as storage URLs).</summary>
    public const string DirectPrefix = "/_direct/";

    /// <summary>
    /// <c>/_artifacts/{artifact id}/manifest</c> and <c>…/files/{path}</c>: an artifact version's manifest and stored
    /// files, signed direct URLs only (as W&amp;B's storage URLs). The id, not name and version, names the version: two
    /// runs may each have logged a <c>model:v0</c> the server has not yet told apart.
    /// </summary>
    public const string ArtifactsPrefix = "/_artifacts/";

    public static string Path(string prefix, string entity, string project, string run, string name) =>
        prefix + Uri.EscapeDataString(entity) + "/" + Uri.EscapeDataString(project) + "/" + Uri.EscapeDataString(run) + "/" +
        string.Join("/", name.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The key (for <see cref="Signature(string)"/>) of an artifact version's manifest (<paramref name="path"/> null) or stored file.</summary>
    public static string ArtifactKey(FakeArtifact artifact, string? path) =>
        "artifact/" + WandbSchema.ArtifactId(artifact) + (path is null ? "/manifest" : "/files/" + path);

    /// <summary>The direct path of an artifact version's manifest (<paramref name="path"/> null) or stored file.</summary>
    public static string ArtifactPath(FakeArtifact artifact, string? path) =>
        ArtifactsPrefix + Uri.EscapeDataString(WandbSchema.ArtifactId(artifact)) + (path is null ? "/manifest" : "/files/" + string.Join("/", path.Split('/').Select(Uri.EscapeDataString)));

    /// <summary>The signature a direct URL carries: stable for the path, so a tampered or foreign URL gets 403.</summary>
    public static string Signature(string entity, string project, string run, string name) => Signature(entity + "/" + project + "/" + run + "/" + name);

    /// <summary>The signature of a file's key (<see cref="FileNode"/>).</summary>
    public static string Signature(string key) =>
        WandbEncoding.StableNumber("direct/" + key).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A file route answering 200 with the file's full length but its first byte changed (bytes that fail their digest).</summary>
public sealed record CorruptBodyFault : Fault;

/// <summary>A file route answering 302 with <paramref name="Location"/> (a server sending a download on to its storage).</summary>
public sealed record RedirectFault(string Location) : Fault;

/// <summary>One request on the file routes as the server saw it (tests check which carried the key).</summary>
public sealed record RecordedFileRequest(DateTime ReceivedUtc, string Path, string? Authorization, int StatusCode);

public sealed partial class FakeWandbServer
{
    private readonly object _fileRequestsGate = new();
    private readonly List<RecordedFileRequest> _fileRequests = new();

    /// <summary>A snapshot of every request on the file routes so far, oldest first.</summary>
    public IReadOnlyList<RecordedFileRequest> FileRequests
    {
        get
        {
            lock (_fileRequestsGate)
            {
                return _fileRequests.ToArray();
            }
        }
    }

    /// <summary>
    /// GET of a run file: <see cref="FileRoutes.FilesPrefix"/> with the key, <see cref="FileRoutes.DirectPrefix"/> with a
    /// valid signature; of an artifact version's manifest or file: <see cref="FileRoutes.ArtifactsPrefix"/>, signed. Faults
    /// also take corrupt (the right length, a wrong byte). Latency and faults come from <see cref="FileFaults"/> (status, html, reset, truncated: the
    /// announced length and half the bytes, truncated-json: a complete answer with half the bytes, delay, stalled-body).
    /// </summary>
    private async Task HandleFileAsync(HttpContext ctx, string path)
    {
        string? authorization = ctx.Request.Headers.Authorization.Count > 0 ? ctx.Request.Headers.Authorization.ToString() : null;
        int status = 0;
        DateTime received = DateTime.UtcNow;
        CancellationToken ct = ctx.RequestAborted;
        try
        {
            if (FileFaults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(FileFaults.Latency, ct).ConfigureAwait(false);
            }

            bool artifactRoute = path.StartsWith(FileRoutes.ArtifactsPrefix, StringComparison.Ordinal);
            bool direct = artifactRoute || path.StartsWith(FileRoutes.DirectPrefix, StringComparison.Ordinal);
            string[] parts = path[(artifactRoute ? FileRoutes.ArtifactsPrefix : direct ? FileRoutes.DirectPrefix : FileRoutes.FilesPrefix).Length..].Split('/').Select(Uri.UnescapeDataString).ToArray();
            if (!HttpMethods.IsGet(ctx.Request.Method) || parts.Length < (artifactRoute ? 2 : 4))
            {
                status = 404;
                await WriteAsync(ctx, 404, JsonContentType, ErrorBody("not found: " + path), allowGzip: false, truncate: false).ConfigureAwait(false);
                return;
            }

            string key = artifactRoute ? "artifact/" + string.Join("/", parts) : string.Join("/", parts);
            if (direct ? ctx.Request.Query["sig"].ToString() != FileRoutes.Signature(key) : Authenticate(authorization ?? "") is null)
            {
                status = 403;
                await WriteAsync(ctx, 403, "application/xml", Encoding.UTF8.GetBytes("<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>"), allowGzip: false, truncate: false).ConfigureAwait(false);
                return;
            }

            byte[]? bytes;
            if (artifactRoute)
            {
                bytes = ArtifactBytes(parts);
            }
            else
            {
                string entity = parts[0], project = parts[1], run = parts[2];
                string name = string.Join("/", parts.Skip(3));
                FakeRunFile? file;
                lock (Data.SyncRoot)
                {
                    file = Data.FindProject(entity, project)?.Runs.FirstOrDefault(r => r.Id == run)?.Files.FirstOrDefault(f => f.Name == name);
                }

                bytes = file is null ? null : file.SourcePath is not null ? (File.Exists(file.SourcePath) ? await File.ReadAllBytesAsync(file.SourcePath, ct).ConfigureAwait(false) : null) : file.Content;
            }

            Fault? fault = FileFaults.TryDequeue(null, "", path);
            if (fault is DelayFault delay)
            {
                await Task.Delay(delay.Delay, ct).ConfigureAwait(false);
                fault = null;
            }

            switch (fault)
            {
                case StatusFault sf:
                    status = sf.Status;
                    await WriteAsync(ctx, sf.Status, sf.ContentType, Encoding.UTF8.GetBytes(sf.Body), allowGzip: false, truncate: false).ConfigureAwait(false);
                    return;
                case HtmlErrorFault hf:
                    status = hf.Status;
                    await WriteAsync(ctx, hf.Status, "text/html", HtmlPage(hf.Status), allowGzip: false, truncate: false).ConfigureAwait(false);
                    return;
                case ResetFault:
                    ctx.Abort();
                    return;
                case RedirectFault redirect:
                    status = 302;
                    ctx.Response.Headers.Location = redirect.Location;
                    await WriteAsync(ctx, 302, "text/plain", Array.Empty<byte>(), allowGzip: false, truncate: false).ConfigureAwait(false);
                    return;
            }

            if (bytes is null)
            {
                status = 404;
                await WriteAsync(ctx, 404, "application/xml", Encoding.UTF8.GetBytes("<Error><Code>NoSuchKey</Code></Error>"), allowGzip: false, truncate: false).ConfigureAwait(false);
                return;
            }

            status = 200;
            switch (fault)
            {
                case CorruptBodyFault:
                    bytes = (byte[])bytes.Clone();
                    if (bytes.Length > 0)
                    {
                        bytes[0] ^= 0xFF;
                    }

                    break;
                case TruncatedJsonFault:
                    await WriteAsync(ctx, 200, "application/octet-stream", bytes.AsSpan(0, bytes.Length / 2).ToArray(), allowGzip: false, truncate: false).ConfigureAwait(false);
                    return;
                case StalledBodyFault stalled:
                    ctx.Response.StatusCode = 200;
                    ctx.Response.ContentType = "application/octet-stream";
                    ctx.Response.ContentLength = bytes.Length;
                    await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), ct).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    await Task.Delay(stalled.Stall, ct).ConfigureAwait(false);
                    await ctx.Response.Body.WriteAsync(bytes.AsMemory(bytes.Length / 2), ct).ConfigureAwait(false);
                    return;
            }

            await WriteAsync(ctx, 200, "application/octet-stream", bytes, allowGzip: false, truncate: fault is TruncatedBodyFault).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_fileRequestsGate)
            {
                _fileRequests.Add(new RecordedFileRequest(received, path, authorization, status));
            }
        }
    }

    /// <summary>The manifest JSON or a stored file's bytes of an artifact version (parts: its id, then "manifest", or "files" and the path); null when there is none.</summary>
    private byte[]? ArtifactBytes(string[] parts)
    {
        FakeArtifact? artifact;
        lock (Data.SyncRoot)
        {
            artifact = Data.Projects.SelectMany(p => p.Runs).SelectMany(r => r.Logged.Concat(r.Used)).FirstOrDefault(a => WandbSchema.ArtifactId(a) == parts[0]);
            if (artifact is null)
            {
                return null;
            }

            if (parts.Length == 2 && parts[1] == "manifest")
            {
                return Encoding.UTF8.GetBytes(artifact.ManifestJson());
            }
        }

        string name = string.Join("/", parts.Skip(2));
        FakeArtifactFile? file = parts[1] == "files" ? artifact.Files.FirstOrDefault(f => f.Path == name && f.Ref is null) : null;
        return file?.Bytes();
    }
}
