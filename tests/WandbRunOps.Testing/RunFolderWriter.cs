using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace WandbRunOps.Testing;

/// <summary>Which SDK generation's folder layout and file shapes to imitate.</summary>
public enum RunEra
{
    /// <summary>≤0.9: no files/ folder, files (and wandb-history.jsonl) directly in the run folder, usually no .wandb.</summary>
    Legacy,
    /// <summary>0.10–0.17 Python internal process: files/, config.yaml with wandb_version and desc.</summary>
    Python,
    /// <summary>0.18+ wandb-core: files/, compact summary, 4-space config.yaml.</summary>
    Core,
}

/// <summary>What one run folder should contain. Null members are simply not written.</summary>
public sealed class RunFolderSpec
{
    public required string RunId { get; init; }
    /// <summary>Formatted as-is (yyyyMMdd_HHmmss) into the folder name; the SDK uses local time, samples pass UTC.</summary>
    public required DateTime FolderTime { get; init; }
    /// <summary>Names the folder offline-run-… instead of run-….</summary>
    public bool Offline { get; init; }
    public RunEra Era { get; init; } = RunEra.Core;

    /// <summary>Record payloads (see <see cref="Records"/>) for run-&lt;id&gt;.wandb. The log is written when this or <see cref="AppendToLog"/> is set.</summary>
    public IReadOnlyList<byte[]>? Records { get; init; }
    /// <summary>Called after <see cref="Records"/> with the open writer, for damage (bad CRC, zeros, dangling FIRST…).</summary>
    public Action<WandbLogWriter>? AppendToLog { get; init; }
    /// <summary>False writes the log without its 7-byte header.</summary>
    public bool LogHeader { get; init; } = true;

    /// <summary>config.yaml content: top-level key → raw value (the writer adds the era's value/desc wrapping).</summary>
    public JsonMap? ConfigFile { get; init; }
    public JsonMap? SummaryFile { get; init; }
    /// <summary>wandb-metadata.json content, e.g. from <see cref="MetadataShapes"/>.</summary>
    public JsonMap? MetadataFile { get; init; }
    /// <summary>Legacy wandb-history.jsonl rows (one JSON object per line).</summary>
    public IReadOnlyList<JsonMap>? LegacyHistory { get; init; }
    /// <summary>Any other files, path relative to the run folder ('/' separated) → text.</summary>
    public IReadOnlyDictionary<string, string>? ExtraFiles { get; init; }

    /// <summary>Last-write time for every file and folder written (so a "heartbeat" by mtime is controlled).</summary>
    public DateTime? LastWriteUtc { get; init; }
    /// <summary>Last-write time of the .wandb log; overrides <see cref="LastWriteUtc"/> for it.</summary>
    public DateTime? LogLastWriteUtc { get; init; }
}

/// <summary>Writes run folders under a wandb/ directory in the layouts the SDK produced over time.</summary>
public static class RunFolderWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    /// <summary><c>{run|offline-run}-{yyyyMMdd_HHmmss}-{id}</c>.</summary>
    public static string FolderName(bool offline, DateTime folderTime, string runId) =>
        (offline ? "offline-run-" : "run-") + folderTime.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture) + "-" + runId;

    public static string LogFileName(string runId) => "run-" + runId + ".wandb";

    /// <summary>Writes the folder (creating or overwriting files) and returns its full path.</summary>
    public static string Write(string wandbDir, RunFolderSpec spec)
    {
        string runDir = Path.GetFullPath(Path.Combine(wandbDir, FolderName(spec.Offline, spec.FolderTime, spec.RunId)));
        Directory.CreateDirectory(runDir);
        var written = new List<string>();

        if (spec.Records is not null || spec.AppendToLog is not null)
        {
            string logPath = Path.Combine(runDir, LogFileName(spec.RunId));
            using (WandbLogWriter log = WandbLogWriter.Create(logPath, spec.LogHeader))
            {
                foreach (byte[] record in spec.Records ?? Array.Empty<byte[]>()) log.WriteRecord(record);
                spec.AppendToLog?.Invoke(log);
            }
            if ((spec.LogLastWriteUtc ?? spec.LastWriteUtc) is DateTime logTime) File.SetLastWriteTimeUtc(logPath, logTime);
        }

        bool legacy = spec.Era == RunEra.Legacy;
        bool python = spec.Era != RunEra.Core;
        string filesDir = legacy ? runDir : Path.Combine(runDir, "files");
        var style = python ? ConfigYamlStyle.Python : ConfigYamlStyle.Core;

        if (spec.ConfigFile is not null)
            written.Add(WriteText(filesDir, "config.yaml", YamlText.ConfigFile(spec.ConfigFile, style)));
        if (spec.SummaryFile is not null)
            written.Add(WriteText(filesDir, "wandb-summary.json", JsonText.Serialize(spec.SummaryFile, python ? JsonLayout.Spaced : JsonLayout.Compact)));
        if (spec.MetadataFile is not null)
            written.Add(WriteText(filesDir, "wandb-metadata.json", JsonText.Serialize(spec.MetadataFile, python ? JsonLayout.Indent4 : JsonLayout.Indent2)));
        if (spec.LegacyHistory is not null)
        {
            var sb = new StringBuilder();
            foreach (JsonMap row in spec.LegacyHistory) sb.Append(JsonText.Serialize(row, JsonLayout.Spaced)).Append('\n');
            written.Add(WriteText(filesDir, "wandb-history.jsonl", sb.ToString()));
        }
        if (spec.ExtraFiles is not null)
        {
            foreach (var kv in spec.ExtraFiles) written.Add(WriteText(runDir, kv.Key, kv.Value));
        }

        if (spec.LastWriteUtc is DateTime time)
        {
            foreach (string file in written) File.SetLastWriteTimeUtc(file, time);
            // Folders last: writing files into them bumps their mtime.
            if (Directory.Exists(filesDir) && filesDir != runDir) Directory.SetLastWriteTimeUtc(filesDir, time);
            Directory.SetLastWriteTimeUtc(runDir, time);
        }
        return runDir;
    }

    private static string WriteText(string dir, string relativePath, string text)
    {
        string path = Path.Combine(dir, relativePath.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, Utf8NoBom);
        return path;
    }
}
