using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// Everything the fake server serves. Plain mutable classes so tests build data in C#; the server reads the lists
/// on every request, so a test may add runs while a client pages through a listing. A test that mutates lists from
/// another thread while requests are in flight should do so under <see cref="SyncRoot"/> (the server snapshots
/// lists under the same lock).
/// </summary>
public sealed class FakeDataset
{
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public List<FakeUser> Users { get; } = new();

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public List<FakeProject> Projects { get; } = new();

    /// <summary>Lock taken by the server while it copies lists out of the dataset.</summary>
    [JsonIgnore]
    public object SyncRoot { get; } = new();

    public static FakeDataset Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        FakeDataset? data = JsonSerializer.Deserialize<FakeDataset>(stream, DatasetJson.Options);
        return data ?? throw new InvalidDataException($"'{path}' holds no dataset (null).");
    }

    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(path, ToJson());
    }

    public string ToJson() => JsonSerializer.Serialize(this, DatasetJson.Options);

    public static FakeDataset FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<FakeDataset>(json, DatasetJson.Options)
            ?? throw new InvalidDataException("the JSON holds no dataset (null).");
    }

    /// <summary>Finds a project by entity and name (ordinal), or null.</summary>
    public FakeProject? FindProject(string entity, string name)
    {
        lock (SyncRoot)
        {
            foreach (FakeProject p in Projects)
            {
                if (string.Equals(p.Entity, entity, StringComparison.Ordinal) && string.Equals(p.Name, name, StringComparison.Ordinal))
                {
                    return p;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Gives the artifact that <paramref name="reference"/> (<c>name:alias</c> or <c>name:vN</c>) names in any project
    /// one more alias, as a user promoting a version in W&amp;B's UI after the runs were synced; false when none matches.
    /// </summary>
    public bool AddArtifactAlias(string reference, string alias)
    {
        int colon = reference.IndexOf(':');
        string name = colon < 0 ? reference : reference[..colon];
        string selector = colon < 0 ? "latest" : reference[(colon + 1)..];
        lock (SyncRoot)
        {
            foreach (FakeArtifact artifact in Projects.SelectMany(p => p.Runs).SelectMany(r => r.Logged))
            {
                bool match = artifact.Name == name && (selector == "v" + artifact.VersionIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) || artifact.Aliases.Contains(selector));
                if (match)
                {
                    if (!artifact.Aliases.Contains(alias))
                    {
                        artifact.Aliases.Add(alias);
                    }

                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Finds the user whose API key is <paramref name="apiKey"/>, or null.</summary>
    public FakeUser? FindUserByKey(string apiKey)
    {
        lock (SyncRoot)
        {
            foreach (FakeUser u in Users)
            {
                if (!string.IsNullOrEmpty(u.ApiKey) && string.Equals(u.ApiKey, apiKey, StringComparison.Ordinal))
                {
                    return u;
                }
            }
        }

        return null;
    }

    internal FakeUser? FindUserByName(string username)
    {
        lock (SyncRoot)
        {
            foreach (FakeUser u in Users)
            {
                if (string.Equals(u.Username, username, StringComparison.Ordinal))
                {
                    return u;
                }
            }
        }

        return null;
    }
}

public sealed class FakeUser
{
    public string ApiKey { get; set; } = "";
    public string Username { get; set; } = "";
    public string? Name { get; set; }
    public string? Email { get; set; }

    /// <summary>The viewer's <c>entity</c>; when null the username is used.</summary>
    public string? DefaultEntity { get; set; }

    public List<string> Teams { get; set; } = new();
}

public sealed class FakeProject
{
    public string Entity { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>Changes to this project's runs are refused with 403 "permission denied" (a project the viewer may only read).</summary>
    public bool ReadOnly { get; set; }

    public List<FakeRun> Runs { get; set; } = new();

    /// <summary>Runs made on demand instead of <see cref="Runs"/> (a project of millions of runs in constant memory); null for none.</summary>
    public FakeRunSeries? Series { get; set; }

    /// <summary>The project's sweeps; a sweep's runs are the runs whose <c>SweepName</c> is its id.</summary>
    public List<FakeSweep> Sweeps { get; set; } = new();
}

/// <summary>A sweep as W&amp;B keeps it (research notes §7.4): its id is its <c>name</c>, its configuration YAML text.</summary>
public sealed class FakeSweep
{
    public string Id { get; set; } = "";
    public string? DisplayName { get; set; }

    /// <summary>"RUNNING", "PAUSED", "CANCELED", "FINISHED", "CRASHED".</summary>
    public string State { get; set; } = "FINISHED";

    public string? Method { get; set; }
    public string ConfigYaml { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public long? RunCountExpected { get; set; }
}

public sealed class FakeRun
{
    /// <summary>GraphQL <c>name</c>: the 8-character run id.</summary>
    public string Id { get; set; } = "";

    /// <summary>GraphQL <c>displayName</c>.</summary>
    public string? DisplayName { get; set; }

    /// <summary>"running", "finished", "failed", "crashed", "killed", "preempting", "preempted", "pending".</summary>
    public string State { get; set; } = "finished";

    public DateTime CreatedAt { get; set; }
    public DateTime HeartbeatAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public string? Group { get; set; }
    public string? JobType { get; set; }
    public List<string> Tags { get; set; } = new();
    public string? Notes { get; set; }

    /// <summary>Set by <c>stopRun</c>; the training process learns of it by polling <c>run { stopped }</c>.</summary>
    public bool Stopped { get; set; }

    public string? Host { get; set; }
    public string? SweepName { get; set; }
    public string? Commit { get; set; }
    public string? Username { get; set; }
    public string? UserFullName { get; set; }
    public double? ComputeSeconds { get; set; }
    public long HistoryLineCount { get; set; }

    /// <summary>Served verbatim as the JSONString <c>config</c>; already in W&amp;B's server shape
    /// <c>{"lr":{"value":0.1,"desc":null}}</c>. May contain bare NaN.</summary>
    public string ConfigJson { get; set; } = "{}";

    /// <summary>Served verbatim as the JSONString <c>summaryMetrics</c>: a plain dict. May contain bare NaN/Infinity.</summary>
    public string SummaryJson { get; set; } = "{}";

    /// <summary>Served verbatim as the JSONString <c>systemMetrics</c>.</summary>
    public string SystemMetricsJson { get; set; } = "{}";

    /// <summary>Output artifacts (GraphQL <c>outputArtifacts</c>).</summary>
    public List<FakeArtifact> Logged { get; set; } = new();

    /// <summary>Input artifacts (GraphQL <c>inputArtifacts</c>).</summary>
    public List<FakeArtifact> Used { get; set; } = new();

    /// <summary>One JSON object text per history row, served verbatim by <c>history(...)</c>.</summary>
    public List<string> HistoryRowsJson { get; set; } = new();

    /// <summary>The run's files (<c>run.files</c>), served from <see cref="FakeRunFile.SourcePath"/> or <see cref="FakeRunFile.Content"/>.</summary>
    public List<FakeRunFile> Files { get; set; } = new();

    /// <summary>One JSON object text per system-metrics sample (<c>_timestamp</c>, <c>_runtime</c>, <c>system.…</c>), served by <c>events(samples)</c>.</summary>
    public List<string> EventsRowsJson { get; set; } = new();

    /// <summary>Served verbatim as the JSONString <c>metadata</c>: the run's wandb-metadata.json; null when the server has none.</summary>
    public string? MetadataJson { get; set; }

    /// <summary>Served as <c>runInfo</c>; null when the server has none.</summary>
    public FakeRunInfo? RunInfo { get; set; }

    /// <summary>The run's console lines in order (<c>logLines</c>; <c>number</c> is the index).</summary>
    public List<FakeLogLine> LogLines { get; set; } = new();
}

/// <summary>The server's summary of a run's start (GraphQL <c>runInfo</c>).</summary>
public sealed class FakeRunInfo
{
    public string? Program { get; set; }
    public List<string> Args { get; set; } = new();
    public string? Os { get; set; }
    public string? Python { get; set; }
    public string? Gpu { get; set; }
    public int? GpuCount { get; set; }
    public int? CpuCount { get; set; }
    public string? GitRemote { get; set; }
    public string? GitCommit { get; set; }
}

/// <summary>One console line as W&amp;B serves it: level "error" for stderr, "" for stdout, null where unknown.</summary>
public sealed class FakeLogLine
{
    public DateTime? Timestamp { get; set; }
    public string? Level { get; set; }
    public string Line { get; set; } = "";
}

/// <summary>One file of a run, as W&amp;B's server lists it; its bytes are read when served.</summary>
public sealed class FakeRunFile
{
    /// <summary>The path inside the run's files, <c>/</c>-separated.</summary>
    public string Name { get; set; } = "";

    public long SizeBytes { get; set; }

    /// <summary>Base64 MD5 of the bytes, as W&amp;B gives it.</summary>
    public string? Md5 { get; set; }

    public DateTime? UpdatedAt { get; set; }

    public string? MimeType { get; set; }

    /// <summary>A file on disk whose bytes are served (a run folder's file).</summary>
    public string? SourcePath { get; set; }

    /// <summary>The bytes, for a file built in code (used when <see cref="SourcePath"/> is null).</summary>
    public byte[]? Content { get; set; }

    /// <summary>A file made from bytes: size and MD5 computed from them.</summary>
    public static FakeRunFile FromBytes(string name, byte[] content, DateTime updatedAt) => new()
    {
        Name = name,
        SizeBytes = content.LongLength,
        Md5 = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(content)),
        UpdatedAt = updatedAt,
        Content = content,
    };
}

public sealed class FakeArtifact
{
    /// <summary>GraphQL <c>id</c>: base64 of "Artifact:n". When empty the server derives one.</summary>
    public string Id { get; set; } = "";

    /// <summary>The artifact collection (sequence) name, e.g. "model".</summary>
    public string Name { get; set; } = "";

    public string ProjectEntity { get; set; } = "";
    public string ProjectName { get; set; } = "";
    public int VersionIndex { get; set; }
    public string Type { get; set; } = "";

    /// <summary>User aliases of this collection, e.g. "latest", "best". Never "vN" (the server does not add it either).</summary>
    public List<string> Aliases { get; set; } = new();

    /// <summary>Aliases that belong to another collection (a portfolio / registry link).</summary>
    public List<FakeForeignAlias> ForeignAliases { get; set; } = new();

    public string Digest { get; set; } = "";
    public long Size { get; set; }
    public int FileCount { get; set; }

    /// <summary>PENDING, COMMITTED, DELETED, GARBAGE_COLLECTED or PENDING_DELETION.</summary>
    public string State { get; set; } = "COMMITTED";

    public DateTime CreatedAt { get; set; }

    /// <summary>GraphQL <c>updatedAt</c>; null when unset.</summary>
    public DateTime? UpdatedAt { get; set; }

    public string? Description { get; set; }

    /// <summary>Served verbatim as the JSONString <c>metadata</c>; null when unset.</summary>
    public string? MetadataJson { get; set; }

    /// <summary>The version's manifest entries: stored files (<c>files</c>, served at their direct URLs) and reference entries (<c>Ref</c>).</summary>
    public List<FakeArtifactFile> Files { get; set; } = new();

    /// <summary>W&amp;B's manifest file of the version: <c>{"version":1, "storagePolicy", "contents": {path: {digest, size, ref?}}}</c>.</summary>
    public string ManifestJson()
    {
        var contents = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (FakeArtifactFile file in Files)
        {
            contents[file.Path] = file.Ref is null
                ? new { digest = file.ServedDigest(), size = file.Size }
                : new { digest = file.Digest ?? "", size = file.Size, @ref = file.Ref };
        }

        return JsonSerializer.Serialize(new { version = 1, storagePolicy = "wandb-storage-policy-v1", storagePolicyConfig = new { storageLayout = "V2" }, contents });
    }
}

/// <summary>
/// One manifest entry of an artifact version. A stored file's bytes are <see cref="Content"/>, else the file at
/// <see cref="SourcePath"/>, else <see cref="Size"/> bytes made from its path (the same every time); its digest is
/// <see cref="Digest"/> when set, else the base64 MD5 of those bytes. A reference entry (<see cref="Ref"/>) has no bytes here.
/// </summary>
public sealed class FakeArtifactFile
{
    private string? _computed;

    /// <summary>The path inside the artifact, <c>/</c>-separated.</summary>
    public string Path { get; set; } = "";

    public long Size { get; set; }

    /// <summary>The manifest's digest (base64 MD5 for a stored file); null: computed from the bytes.</summary>
    public string? Digest { get; set; }

    /// <summary>Where a reference entry's bytes are (<c>s3://…</c>); null for a stored file.</summary>
    public string? Ref { get; set; }

    public byte[]? Content { get; set; }

    public string? SourcePath { get; set; }

    /// <summary>A stored file made from bytes: size and digest from them.</summary>
    public static FakeArtifactFile FromBytes(string path, byte[] content) => new()
    {
        Path = path,
        Size = content.LongLength,
        Digest = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(content)),
        Content = content,
    };

    /// <summary>The bytes served for this file.</summary>
    public byte[] Bytes()
    {
        if (Content is not null)
        {
            return Content;
        }

        if (SourcePath is not null && File.Exists(SourcePath))
        {
            return File.ReadAllBytes(SourcePath);
        }

        // Made from the path: a small xorshift over its hash, so a 50 MB sample file costs no memory until it is served.
        var bytes = new byte[Size];
        ulong state = 0x9E3779B97F4A7C15UL ^ (ulong)WandbEncoding.StableNumber("artifact-file/" + Path);
        for (int i = 0; i < bytes.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes[i] = (byte)state;
        }

        return bytes;
    }

    /// <summary>The digest the manifest gives.</summary>
    public string ServedDigest() => Digest ?? (_computed ??= Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(Bytes())));
}

/// <summary>An alias that links an artifact version into another collection (portfolio or registry).</summary>
public sealed record FakeForeignAlias(string Alias, string CollectionName, string Entity, string Project);

internal static class DatasetJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };
}
