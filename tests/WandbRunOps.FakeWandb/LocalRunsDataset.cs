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
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Values;
using WandbRunOps.Sources;

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
            fake.Files = FilesOf(run);
            foreach (WandbArtifact artifact in artifacts.Artifacts.Read(run, ArtifactDirection.Logged, CancellationToken.None))
            {
                fake.Logged.Add(Artifact(artifact, ++artifactId, 0, entity, project));
            }

            foreach (WandbArtifact artifact in artifacts.Artifacts.Read(run, ArtifactDirection.Used, CancellationToken.None))
            {
                // A reference by alias resolves to some version on the server; by vN, to that version.
                fake.Used.Add(Artifact(artifact, ++artifactId, artifact.VersionIndex ?? 4, entity, project));
            }

            fakeProject.Runs.Add(fake);
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
