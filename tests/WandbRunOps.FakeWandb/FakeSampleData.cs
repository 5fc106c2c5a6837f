using System;
using System.Collections.Generic;
using System.Globalization;

namespace WandbRunOps.FakeWandb;

/// <summary>A small dataset for the server's own checks (ServerChecks) and for standalone use (--write-sample).</summary>
public static class FakeSampleData
{
    /// <summary>The sample user's API key (41 characters, like a real key's shape).</summary>
    public const string ApiKey = "fakefakefake0123456789abcdef0123456789abcd";

    public const string Entity = "ml-team";
    public const string Project = "demo";

    /// <summary>
    /// User "alice" (key <see cref="ApiKey"/>, default entity "alice", team "ml-team"); project ml-team/demo with five runs
    /// created an hour apart (run01…run05, states finished/failed/crashed/running/finished), configs in W&amp;B's server shape,
    /// a NaN in a summary, artifacts with user and registry aliases; and an empty project alice/scratch.
    /// </summary>
    public static FakeDataset Create()
    {
        var data = new FakeDataset();
        data.Users.Add(new FakeUser
        {
            ApiKey = ApiKey,
            Username = "alice",
            Name = "Alice Example",
            Email = "alice@example.com",
            DefaultEntity = "alice",
            Teams = new List<string> { Entity },
        });

        var t0 = new DateTime(2023, 11, 5, 17, 46, 35, DateTimeKind.Utc);
        string[] states = { "finished", "failed", "crashed", "running", "finished" };
        var project = new FakeProject { Entity = Entity, Name = Project };

        var dataset = new FakeArtifact
        {
            Id = WandbEncoding.StorageId("Artifact", 2096664479),
            Name = "mnist",
            ProjectEntity = Entity,
            ProjectName = Project,
            VersionIndex = 2,
            Type = "dataset",
            Aliases = new List<string> { "latest" },
            Digest = "4e56f82bd30e9ec61572a8b570f53298",
            Size = 11_594_722,
            FileCount = 4,
            CreatedAt = t0.AddMinutes(-30).AddTicks(1_234_560),
            Description = "MNIST, 60k/10k split",
            MetadataJson = "{\"rows\": 70000}",
        };

        for (int i = 0; i < states.Length; i++)
        {
            string id = "run0" + (i + 1).ToString(CultureInfo.InvariantCulture) + "abc";
            DateTime created = t0.AddHours(i);
            var run = new FakeRun
            {
                Id = id,
                DisplayName = (i % 2 == 0 ? "sunny-" : "rainy-") + "field-" + (i + 1).ToString(CultureInfo.InvariantCulture),
                State = states[i],
                CreatedAt = created,
                HeartbeatAt = created.AddMinutes(10 + i),
                UpdatedAt = created.AddMinutes(10 + i).AddTicks(5_000_000),
                Group = "sweep-a",
                JobType = "train",
                Tags = i == 0 ? new List<string> { "baseline" } : new List<string> { "exp", "v" + i.ToString(CultureInfo.InvariantCulture) },
                Notes = i == 0 ? "first try" : null,
                Host = "gpu-box-" + (i % 2).ToString(CultureInfo.InvariantCulture),
                Commit = "a1b2c3d" + i.ToString(CultureInfo.InvariantCulture),
                Username = "alice",
                UserFullName = "Alice Example",
                ComputeSeconds = 600 + (60 * i),
                HistoryLineCount = 3,
                ConfigJson = "{\"lr\": {\"value\": 0." + (i + 1).ToString(CultureInfo.InvariantCulture) + ", \"desc\": null}, "
                    + "\"optimizer\": {\"value\": {\"name\": \"adam\", \"betas\": [0.9, 0.999]}, \"desc\": null}, "
                    + "\"_wandb\": {\"value\": {\"t\": {\"1\": [1, 5]}}}, \"wandb_version\": {\"value\": \"0.17.0\"}}",
                SummaryJson = i == 1
                    ? "{\"loss\": NaN, \"acc\": -Infinity, \"_step\": 2, \"_runtime\": 660.5, \"_wandb\": {\"runtime\": 660}}"
                    : "{\"loss\": 0." + (9 - i).ToString(CultureInfo.InvariantCulture) + ", \"acc\": 0.8" + i.ToString(CultureInfo.InvariantCulture)
                      + ", \"_step\": 2, \"_runtime\": " + (600 + (60 * i)).ToString(CultureInfo.InvariantCulture) + ".25, \"_wandb\": {\"runtime\": "
                      + (600 + (60 * i)).ToString(CultureInfo.InvariantCulture) + "}}",
                SystemMetricsJson = "{\"system.cpu\": 12.5, \"system.gpu.0.gpu\": 97}",
                HistoryRowsJson = new List<string>
                {
                    "{\"_step\": 0, \"loss\": 2.3}",
                    "{\"_step\": 1, \"loss\": 1.1}",
                    "{\"_step\": 2, \"loss\": NaN}",
                },
            };
            run.Used.Add(dataset);
            run.Logged.Add(new FakeArtifact
            {
                Id = WandbEncoding.StorageId("Artifact", 3000 + i),
                Name = "model-" + id,
                ProjectEntity = Entity,
                ProjectName = Project,
                VersionIndex = 0,
                Type = "model",
                Aliases = new List<string> { "latest" },
                ForeignAliases = i == 0
                    ? new List<FakeForeignAlias> { new("production", "mnist-classifier", "acme-org", "wandb-registry-model") }
                    : new List<FakeForeignAlias>(),
                Digest = (0xABCDEF00 + i).ToString("x8", CultureInfo.InvariantCulture) + "0000000000000000aaaaaaaa",
                Size = 1_048_576L * (i + 1),
                FileCount = 1,
                CreatedAt = created.AddMinutes(9),
                MetadataJson = i == 0 ? "{\"val_acc\": NaN}" : null,
            });
            run.Logged.Add(new FakeArtifact
            {
                Id = WandbEncoding.StorageId("Artifact", 4000 + i),
                Name = "run-" + id + "-history",
                ProjectEntity = Entity,
                ProjectName = Project,
                VersionIndex = 0,
                Type = "wandb-history",
                Digest = "00000000000000000000000000000000",
                Size = 2048,
                FileCount = 1,
                CreatedAt = created.AddMinutes(9),
            });
            project.Runs.Add(run);
        }

        data.Projects.Add(project);
        data.Projects.Add(new FakeProject { Entity = "alice", Name = "scratch" });
        return data;
    }
}
