using System;
using System.Collections.Generic;

namespace WandbRunOps.Testing;

/// <summary>
/// A config, summary or history item. Python-era writers set <see cref="Key"/>; wandb-core sets
/// <see cref="NestedKey"/> (a one-element path for top-level keys). ValueJson is W&amp;B's extended JSON.
/// </summary>
public readonly record struct Item(string? Key, string[]? NestedKey, string? ValueJson)
{
    /// <summary>Python-era form: a flat <c>key</c>.</summary>
    public static Item ByKey(string key, string? valueJson) => new(key, null, valueJson);

    /// <summary>wandb-core form: a <c>nested_key</c> path, never split on dots.</summary>
    public static Item ByPath(string[] path, string? valueJson) => new(null, path, valueJson);

    /// <summary>A remove item (no value).</summary>
    public static Item Remove(string key) => new(key, null, null);
}

/// <summary>Fields of a RunRecord; null/default members are left out of the message.</summary>
public sealed class RunSpec
{
    public string? RunId { get; init; }
    public string? Entity { get; init; }
    public string? Project { get; init; }
    /// <summary>RunRecord.config.update items; null writes no config sub-message.</summary>
    public IReadOnlyList<Item>? Config { get; init; }
    public string? RunGroup { get; init; }
    public string? JobType { get; init; }
    public string? DisplayName { get; init; }
    public string? Notes { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? SweepId { get; init; }
    public string? Host { get; init; }
    public long StartingStep { get; init; }
    public DateTime? StartTime { get; init; }
    public bool Resumed { get; init; }
    public int Runtime { get; init; }
    public string? GitRemoteUrl { get; init; }
    public string? GitCommit { get; init; }
}

/// <summary>Fields of an EnvironmentRecord (the wandb-core era's system metadata).</summary>
public sealed class EnvSpec
{
    public string? Os { get; init; }
    public string? Python { get; init; }
    public DateTime? StartedAt { get; init; }
    public string? Host { get; init; }
    public string? Username { get; init; }
    public string? Email { get; init; }
    public string? Program { get; init; }
    public string? WriterId { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    public string? GitRemoteUrl { get; init; }
    public string? GitCommit { get; init; }
    public string? Executable { get; init; }
    public int CpuCount { get; init; }
    public string? GpuType { get; init; }
    public int GpuCount { get; init; }
}

/// <summary>MetricRecord.summary flags: which aggregates the summary keeps for the metric.</summary>
public sealed class MetricSummarySpec
{
    public bool Min { get; init; }
    public bool Max { get; init; }
    public bool Mean { get; init; }
    public bool Best { get; init; }
    public bool Last { get; init; }
    public bool None { get; init; }
    public bool Copy { get; init; }
    public bool First { get; init; }
}

/// <summary>
/// One ArtifactManifestEntry; <see cref="Digest"/> is base64 MD5 in real files; <see cref="Ref"/> makes it a reference
/// entry; <see cref="LocalPath"/> is where the SDK staged or cached its bytes.
/// </summary>
public readonly record struct ManifestEntry(string Path, string Digest, long Size, string? Ref = null, string? LocalPath = null);

/// <summary>Fields of an ArtifactRecord (logged artifact; the local record has no version).</summary>
public sealed class ArtifactSpec
{
    public string? RunId { get; init; }
    public string? Project { get; init; }
    public string? Entity { get; init; }
    public string? Type { get; init; }
    public string? Name { get; init; }
    public string? Digest { get; init; }
    public string? Description { get; init; }
    /// <summary>ArtifactRecord.metadata: a JSON object as text.</summary>
    public string? MetadataJson { get; init; }
    public IReadOnlyList<string>? Aliases { get; init; }
    public int ManifestVersion { get; init; } = 1;
    public IReadOnlyList<ManifestEntry>? Entries { get; init; }
    public string? ClientId { get; init; }
}
