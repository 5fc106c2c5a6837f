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

        public static FakeDataset FromRuns(IEnumerable<WandbRun> runs) => LocalRunsDataset.FromRuns(runs, Entity, Project, ApiKey);

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
    }
}
