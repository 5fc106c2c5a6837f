using System.Collections.Generic;
using System.Linq;
using GraphQL;
using GraphQL.Utilities;
using WandbRunOps.History;

namespace WandbRunOps.FakeWandb;

// A run's system metrics and metadata (research notes §7.2): events(samples) spreads at most `samples` rows evenly
// over the run, first and last kept, as W&B samples; metadata is the run's wandb-metadata.json as a JSON string;
// runInfo is the server's own summary of the run's start.
public static partial class WandbSchema
{
    /// <summary>The rows events() gives without a samples argument (the SDK's default).</summary>
    public const int DefaultEventSamples = 500;

    private static void ConfigureRunMetrics(SchemaBuilder b)
    {
        Field<RunNode>(b, "Run", "events", (r, rc, ctx) =>
        {
            List<string> rows;
            lock (rc.Data.SyncRoot)
            {
                rows = r.Run.EventsRowsJson.ToList();
            }

            int samples = ctx.GetArgument<int?>("samples") ?? DefaultEventSamples;
            return HistoryQuery.EvenlySpread(rows.Count, samples).Select(i => rows[i]).ToList();
        });
        Field<RunNode>(b, "Run", "metadata", (r, _, _) => r.Run.MetadataJson);
        Field<RunNode>(b, "Run", "runInfo", (r, _, _) => r.Run.RunInfo);

        Field<FakeRunInfo>(b, "RunInfo", "program", (i, _, _) => i.Program);
        Field<FakeRunInfo>(b, "RunInfo", "args", (i, _, _) => i.Args.ToList());
        Field<FakeRunInfo>(b, "RunInfo", "os", (i, _, _) => i.Os);
        Field<FakeRunInfo>(b, "RunInfo", "python", (i, _, _) => i.Python);
        Field<FakeRunInfo>(b, "RunInfo", "gpu", (i, _, _) => i.Gpu);
        Field<FakeRunInfo>(b, "RunInfo", "gpuCount", (i, _, _) => i.GpuCount);
        Field<FakeRunInfo>(b, "RunInfo", "cpuCount", (i, _, _) => i.CpuCount);
        Field<FakeRunInfo>(b, "RunInfo", "git", (i, _, _) => i.GitRemote is null && i.GitCommit is null ? null : i);
        Field<FakeRunInfo>(b, "GitInfo", "remote", (i, _, _) => i.GitRemote);
        Field<FakeRunInfo>(b, "GitInfo", "commit", (i, _, _) => i.GitCommit);
    }
}
