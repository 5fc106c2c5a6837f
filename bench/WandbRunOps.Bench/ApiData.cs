using System;
using System.Globalization;
using System.Linq;
using WandbRunOps.FakeWandb;

namespace WandbRunOps.Bench;

/// <summary>The API scenarios' data: one project of finished runs with 20 config and 20 summary values each.</summary>
internal static class ApiData
{
    public const string Key = "local-bench0123456789abcdef0123456789abcdef0123";

    public static FakeDataset Synthetic(int runs)
    {
        var data = new FakeDataset();
        data.Users.Add(new FakeUser { ApiKey = Key, Username = "bench", DefaultEntity = "bench" });
        var project = new FakeProject { Entity = "bench", Name = "bench" };
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string config = "{" + string.Join(",", Enumerable.Range(0, 20).Select(k => "\"param_" + k + "\": {\"value\": " + (k * 0.1).ToString("R", CultureInfo.InvariantCulture) + ", \"desc\": null}")) + "}";
        string summary = "{" + string.Join(",", Enumerable.Range(0, 20).Select(k => "\"metric_" + k + "\": " + (k * 0.01).ToString("R", CultureInfo.InvariantCulture))) + ", \"_wandb\": {\"runtime\": 120}}";
        for (int i = 0; i < runs; i++)
        {
            project.Runs.Add(new FakeRun { Id = "r" + i.ToString("D7"), DisplayName = "run-" + i, State = "finished", CreatedAt = start.AddSeconds(i), HeartbeatAt = start.AddSeconds(i + 120), ConfigJson = config, SummaryJson = summary });
        }

        data.Projects.Add(project);
        return data;
    }
}
