using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.History;
using WandbRunOps.Json;
using WandbRunOps.Local;
using WandbRunOps.Metadata;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Values;
using WandbRunOps.Sources;
using WandbRunOps.SystemMetrics;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// Local run folders (a wandb/ directory) as W&amp;B's server would hold them after a sync: config wrapped as
/// <c>{value, desc}</c>, summary as JSON text, logged artifacts at v0 and used ones at the version they name. Lets a
/// runbook that was tested against local folders be tested against "the API" with the very same runs.
/// </summary>
public static class LocalRunsDataset
{
    public static FakeDataset FromWandbFolder(string wandbFolder, string entity, string project, string apiKey, string username = "ana")
    {
        var source = new LocalRunSource(new[] { wandbFolder }, ReadDiagnostics.None);
        List<WandbRun> runs = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).ToList();
        return FromRuns(runs, entity, project, apiKey, username);
    }

    public static FakeDataset FromRuns(IEnumerable<WandbRun> runs, string entity, string project, string apiKey, string username = "ana")
    {
        var data = new FakeDataset();
        data.Users.Add(new FakeUser { ApiKey = apiKey, Username = username, DefaultEntity = entity });
        var fakeProject = new FakeProject { Entity = entity, Name = project };
        var artifacts = new LocalRunSource(Array.Empty<string>(), ReadDiagnostics.None);
        int artifactId = 1000;
        foreach (WandbRun run in runs)
        {
            FakeRun fake = ToFake(run);
            fake.HistoryRowsJson = HistoryOf(artifacts, run);
            fake.EventsRowsJson = EventsOf(artifacts, run, out string lastSample);
            fake.SystemMetricsJson = lastSample;
            fake.MetadataJson = MetadataOf(artifacts, run);
            fake.LogLines = LogLinesOf(artifacts, run);
            fake.Files = FilesOf(run);
            foreach (WandbArtifact artifact in artifacts.Artifacts.Read(run, ArtifactDirection.Logged, CancellationToken.None))
            {
                FakeArtifact logged = Artifact(artifact, ++artifactId, 0, entity, project);
                logged.Files = ArtifactFilesOf(artifacts, artifact);
                fake.Logged.Add(logged);
            }

            foreach (WandbArtifact artifact in artifacts.Artifacts.Read(run, ArtifactDirection.Used, CancellationToken.None))
            {
                // A reference by alias resolves to some version on the server; by vN, to that version.
                fake.Used.Add(Artifact(artifact, ++artifactId, artifact.VersionIndex ?? 4, entity, project));
            }

            fakeProject.Runs.Add(fake);
        }

        // Each sweep the runs belong to, as the server keeps it once they are synced: running while one of its runs is.
        // The server knows the sweep's configuration (method, metric), which run folders do not hold: a bayes search
        // maximizing accuracy, the samples' sweep metric.
        foreach (IGrouping<string, FakeRun> sweep in fakeProject.Runs.Where(r => r.SweepName is not null).GroupBy(r => r.SweepName!))
        {
            fakeProject.Sweeps.Add(new FakeSweep
            {
                Id = sweep.Key,
                State = sweep.Any(r => r.State == "running") ? "RUNNING" : "FINISHED",
                Method = "bayes",
                ConfigYaml = "method: bayes\nmetric:\n  name: accuracy\n  goal: maximize\nparameters:\n  learning_rate:\n    min: 0.0001\n    max: 0.1\n",
                CreatedAt = sweep.Min(r => r.CreatedAt),
            });
        }

        data.Projects.Add(fakeProject);
        return data;
    }

    /// <summary>The run's history rows as W&amp;B stores them after a sync: one JSON object per step, nested keys as nested objects.</summary>
    private static List<string> HistoryOf(LocalRunSource source, WandbRun run)
    {
        if (run.Folders.Length == 0 && run.Path is null)
        {
            return new List<string>();
        }

        return source.History.Read(run, new HistoryQuery(), CancellationToken.None).Select(row => ExtendedJson.Serialize(row.Values)).ToList();
    }

    /// <summary>
    /// The run's system-metric samples as W&amp;B's events stream holds them after a sync: one JSON object per sample,
    /// <c>_timestamp</c> (epoch seconds) and <c>_runtime</c> beside the <c>system.…</c> metrics; and the last sample's
    /// metrics, which the server keeps as <c>systemMetrics</c>.
    /// </summary>
    private static List<string> EventsOf(LocalRunSource source, WandbRun run, out string lastSample)
    {
        lastSample = "{}";
        var rows = new List<string>();
        if (run.Folders.Length == 0 && run.Path is null)
        {
            return rows;
        }

        foreach (SystemMetricRow row in source.SystemMetrics.Read(run, new SystemMetricQuery(), CancellationToken.None))
        {
            var members = new List<string>();
            if (row.Timestamp is DateTime at)
            {
                members.Add(Member(SystemMetricNames.TimestampKey, (at - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond));
            }

            if (row.Runtime is double runtime)
            {
                members.Add(Member(SystemMetricNames.RuntimeKey, runtime));
            }

            members.Add(Member("_wandb", true));
            List<string> metrics = row.Values.Select(pair => Member(pair.Key, pair.Value)).ToList();
            members.AddRange(metrics);
            rows.Add("{" + string.Join(",", members) + "}");
            lastSample = "{" + string.Join(",", metrics) + "}";
        }

        return rows;
    }

    /// <summary>
    /// One member of a sample's JSON object. A whole double keeps its ".0" (the SDK writes 87.0 as Python's json does,
    /// and W&amp;B gives it back so), which the module's serializer, writing the shortest form, would drop.
    /// </summary>
    private static string Member(string key, object? value) =>
        ExtendedJson.Quote(key) + ":" + (value is double d && !double.IsNaN(d) && !double.IsInfinity(d) && d == Math.Floor(d) && Math.Abs(d) < 1e15
            ? d.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)
            : ExtendedJson.Serialize(value));

    /// <summary>
    /// What the server holds as the run's metadata: its wandb-metadata.json as written (the oldest folder's), else —
    /// for a run whose log alone records its start (current offline runs) — the file a sync would upload, made from
    /// the log's environment record; null when the run recorded neither.
    /// </summary>
    private static string? MetadataOf(LocalRunSource source, WandbRun run)
    {
        if (run.Folders.Length == 0 && run.Path is null)
        {
            return null;
        }

        foreach (string folder in run.Folders)
        {
            string path = RunFolder.At(folder, run.Id).MetadataPath;
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        RunMetadata metadata = source.Metadata.Read(run, CancellationToken.None);
        return metadata.IsEmpty ? null : ExtendedJson.Serialize(RunMetadataJson.ToFile(metadata));
    }

    /// <summary>
    /// The run's console lines as W&amp;B holds them after a sync: as the module reads them locally, escape codes kept
    /// (the client removes them, as from W&amp;B's), stderr as level "error", stdout as "", an unknown stream as null.
    /// </summary>
    private static List<FakeLogLine> LogLinesOf(LocalRunSource source, WandbRun run)
    {
        if (run.Folders.Length == 0 && run.Path is null)
        {
            return new List<FakeLogLine>();
        }

        return source.Logs.Read(run, new Logs.LogQuery { Raw = true }, CancellationToken.None)
            .Select(line => new FakeLogLine
            {
                Timestamp = line.Timestamp,
                Level = line.Stream switch { "stderr" => "error", "stdout" => "", _ => null },
                Line = line.Text,
            })
            .ToList();
    }

    /// <summary>
    /// The run's files as a sync would have uploaded them, read here on their own (not through the module's reader, so
    /// the two sources can be compared): every regular file under each folder's <c>files/</c> (a legacy folder without
    /// a log: the folder itself), a newer folder winning; a link that resolves outside the run folder is left out, as
    /// the module leaves it out; size and MD5 from the bytes.
    /// </summary>
    private static List<FakeRunFile> FilesOf(WandbRun run)
    {
        var byName = new SortedDictionary<string, FakeRunFile>(StringComparer.Ordinal);
        foreach (string folder in run.Folders.Count > 0 ? run.Folders : run.Path is null ? Array.Empty<string>() : new[] { run.Path })
        {
            string files = System.IO.Path.Combine(folder, "files");
            string? root = System.IO.Directory.Exists(files) ? files : System.IO.Directory.EnumerateFiles(folder, "*.wandb").Any() ? null : folder;
            if (root is null)
            {
                continue;
            }

            string realFolder = RealPath(folder);
            var options = new System.IO.EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
            foreach (string path in System.IO.Directory.EnumerateFiles(root, "*", options))
            {
                if (!IsUnderRealDirectories(root, path) || !RealPath(path).StartsWith(realFolder + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                byte[] bytes = System.IO.File.ReadAllBytes(path);
                string name = System.IO.Path.GetRelativePath(root, path).Replace(System.IO.Path.DirectorySeparatorChar, '/');
                byName[name] = new FakeRunFile
                {
                    Name = name,
                    SizeBytes = bytes.LongLength,
                    Md5 = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(bytes)),
                    UpdatedAt = run.HeartbeatAt,
                    SourcePath = path,
                };
            }
        }

        return byName.Values.ToList();
    }

    /// <summary>A path with every link in it resolved.</summary>
    private static string RealPath(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string? parent = System.IO.Path.GetDirectoryName(full);
        string real = parent is null ? full : System.IO.Path.Combine(RealPath(parent), System.IO.Path.GetFileName(full));
        FileSystemInfo info = System.IO.Directory.Exists(real) ? new System.IO.DirectoryInfo(real) : new System.IO.FileInfo(real);
        return info.LinkTarget is null ? real : RealPath(info.ResolveLinkTarget(true)!.FullName);
    }

    /// <summary>False when a folder between <paramref name="root"/> and the file is a link (the module does not follow links to folders).</summary>
    private static bool IsUnderRealDirectories(string root, string path)
    {
        for (string? dir = System.IO.Path.GetDirectoryName(path); dir is not null && dir.Length > root.Length; dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (new System.IO.DirectoryInfo(dir).LinkTarget is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static FakeRun ToFake(WandbRun run)
    {
        var config = new WandbMap();
        foreach (KeyValuePair<string, object?> pair in run.Config)
        {
            config.Set(pair.Key, new WandbMap { { "value", pair.Value }, { "desc", null } });
        }

        return new FakeRun
        {
            Id = run.Id,
            DisplayName = run.Name,
            State = run.State.ToString().ToLowerInvariant(),
            CreatedAt = run.CreatedAt,
            HeartbeatAt = run.HeartbeatAt,
            Group = run.Group,
            JobType = run.JobType,
            Tags = run.Tags.ToList(),
            Notes = run.Notes,
            Host = run.Host,
            SweepName = run.SweepId,
            Username = run.Username,
            ComputeSeconds = run.ReportedSeconds,
            HistoryLineCount = run.HistoryCount,
            ConfigJson = ExtendedJson.Serialize(config),
            SummaryJson = ExtendedJson.Serialize(run.Summary),
        };
    }

    /// <summary>
    /// A logged artifact's manifest entries as the server holds them once the SDK uploaded them: a stored entry's bytes
    /// are those at its recorded local path while that still exists (with the recorded digest), else bytes made from its
    /// path at its recorded size (the sample runs record sizes but no files), with their own digest; reference entries
    /// stay references.
    /// </summary>
    private static List<FakeArtifactFile> ArtifactFilesOf(LocalRunSource source, WandbArtifact artifact) =>
        source.ArtifactFiles.List(artifact, CancellationToken.None)
            .Select(f => f.Entry)
            .Select(e => e.IsReference
                ? new FakeArtifactFile { Path = e.Path, Size = e.Size, Digest = e.Digest, Ref = e.Ref }
                : e.LocalPath is not null && File.Exists(e.LocalPath)
                    ? new FakeArtifactFile { Path = e.Path, Size = e.Size, Digest = e.Digest, SourcePath = e.LocalPath }
                    : new FakeArtifactFile { Path = e.Path, Size = e.Size })
            .ToList();

    private static FakeArtifact Artifact(WandbArtifact artifact, int id, int versionIndex, string entity, string project) => new FakeArtifact
    {
        Id = Convert.ToBase64String(Encoding.ASCII.GetBytes("Artifact:" + id)),
        Name = artifact.Name,
        ProjectEntity = entity,
        ProjectName = project,
        VersionIndex = versionIndex,
        Type = artifact.Type ?? "unknown",
        Aliases = artifact.Aliases.ToList(),
        Digest = artifact.Digest ?? "0000",
        Size = artifact.Size ?? 0,
        FileCount = artifact.FileCount ?? 0,
        CreatedAt = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc),
        Description = artifact.Description,
        MetadataJson = ExtendedJson.Serialize(artifact.Metadata),
    };
}
