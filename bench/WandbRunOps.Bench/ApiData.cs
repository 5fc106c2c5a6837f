using System;
using System.Globalization;
using System.Linq;
using WandbRunOps.FakeWandb;

namespace WandbRunOps.Bench;

/// <summary>The API scenarios' data: one project of finished runs with 20 config and 20 summary values each.</summary>
internal static class ApiData
{
    public const string Key = "local-bench0123456789abcdef0123456789abcdef0123";

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string Config = "{" + string.Join(",", Enumerable.Range(0, 20).Select(k => "\"param_" + k + "\": {\"value\": " + (k * 0.1).ToString("R", CultureInfo.InvariantCulture) + ", \"desc\": null}")) + "}";

    private static readonly string Summary = "{" + string.Join(",", Enumerable.Range(0, 20).Select(k => "\"metric_" + k + "\": " + (k * 0.01).ToString("R", CultureInfo.InvariantCulture))) + ", \"_wandb\": {\"runtime\": 120}}";

    /// <summary>The runs held in the dataset (what a test's server holds).</summary>
    public static FakeDataset Synthetic(int runs)
    {
        var project = new FakeProject { Entity = "bench", Name = "bench" };
        for (int i = 0; i < runs; i++)
        {
            project.Runs.Add(new FakeRun { Id = "r" + i.ToString("D7"), DisplayName = "run-" + i, State = "finished", CreatedAt = Start.AddSeconds(i), HeartbeatAt = Start.AddSeconds(i + 120), ConfigJson = Config, SummaryJson = Summary });
        }

        return WithProject(project);
    }

    /// <summary>The same runs made by the server from their index as they are asked for (a project of any size in constant memory).</summary>
    public static FakeDataset Series(int runs) => WithProject(new FakeProject
    {
        Entity = "bench",
        Name = "bench",
        Series = new FakeRunSeries
        {
            Count = runs,
            Template = new FakeRun { DisplayName = "run", State = "finished", CreatedAt = Start, HeartbeatAt = Start.AddSeconds(120), ConfigJson = Config, SummaryJson = Summary },
        },
    });

    private static FakeDataset WithProject(FakeProject project)
    {
        var data = new FakeDataset();
        data.Users.Add(new FakeUser { ApiKey = Key, Username = "bench", DefaultEntity = "bench" });
        data.Projects.Add(project);
        return data;
    }
}
