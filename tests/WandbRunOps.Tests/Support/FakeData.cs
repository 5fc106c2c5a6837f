using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Tests.Support
{
    /// <summary>Data for the loopback W&amp;B server: the sample runs as W&amp;B would hold them, or many synthetic runs.</summary>
    public static class FakeData
    {
        public const string ApiKey = "local-test0123456789abcdef0123456789abcdef0123";
        public const string Entity = "acme-ml";
        public const string Project = "mnist-sweep";

        public static FakeDataset FromRuns(IEnumerable<WandbRun> runs)
        {
            var data = WithUser();
            var project = new FakeProject { Entity = Entity, Name = Project };
            int artifactId = 1000;
            foreach (WandbRun run in runs)
            {
                FakeRun fake = ToFake(run);
                foreach (WandbArtifact artifact in run.LocalArtifacts(ArtifactDirection.Logged))
                {
                    fake.Logged.Add(Artifact(artifact, ++artifactId, 0));
                }

                foreach (WandbArtifact artifact in run.LocalArtifacts(ArtifactDirection.Used))
                {
                    // A used reference by alias resolves to some version on the server; by vN to that version.
                    fake.Used.Add(Artifact(artifact, ++artifactId, artifact.VersionIndex ?? 4));
                }

                project.Runs.Add(fake);
            }

            data.Projects.Add(project);
            return data;
        }

        /// <summary><paramref name="count"/> runs created a minute apart, with a config and summary each.</summary>
        public static FakeDataset Synthetic(int count)
        {
            var data = WithUser();
            var project = new FakeProject { Entity = Entity, Name = Project };
            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (int i = 0; i < count; i++)
            {
                project.Runs.Add(new FakeRun
                {
                    Id = "r" + i.ToString("D7"),
                    DisplayName = "run-" + i,
                    State = i % 10 == 9 ? "failed" : "finished",
                    CreatedAt = start.AddMinutes(i),
                    HeartbeatAt = start.AddMinutes(i).AddSeconds(30 + (i % 60)),
                    ConfigJson = "{\"lr\": {\"value\": " + (0.001 * (i % 20 + 1)).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ", \"desc\": null}, \"seed\": {\"value\": " + i + "}}",
                    SummaryJson = "{\"acc\": " + (i % 100 / 100.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ", \"_wandb\": {\"runtime\": " + (30 + i % 60) + "}}",
                    Username = "ana",
                });
            }

            data.Projects.Add(project);
            return data;
        }

        private static FakeDataset WithUser()
        {
            var data = new FakeDataset();
            data.Users.Add(new FakeUser { ApiKey = ApiKey, Username = "ana", Name = "Ana", Email = "ana@example.org", DefaultEntity = Entity });
            return data;
        }

        private static FakeRun ToFake(WandbRun run)
        {
            var config = new WandbMap();
            foreach (var pair in run.Config)
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

        private static FakeArtifact Artifact(WandbArtifact artifact, int id, int versionIndex) => new FakeArtifact
        {
            Id = Convert.ToBase64String(Encoding.ASCII.GetBytes("Artifact:" + id)),
            Name = artifact.Name,
            ProjectEntity = Entity,
            ProjectName = Project,
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

        private static IReadOnlyList<WandbArtifact> LocalArtifacts(this WandbRun run, ArtifactDirection direction) =>
            new Local.LocalRunSource(Array.Empty<string>(), Diagnostics.ReadDiagnostics.None).GetArtifacts(run, direction, default);
    }
}
