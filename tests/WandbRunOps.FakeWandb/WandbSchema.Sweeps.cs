using System;
using System.Collections.Generic;
using System.Linq;
using GraphQL;
using GraphQL.Utilities;

namespace WandbRunOps.FakeWandb;

// Sweeps and the project's own times (research notes §7.4): a sweep's run count is the runs that name it; a project
// was created with its first run and was last active at its newest heartbeat.
public static partial class WandbSchema
{
    private sealed record SweepNode(ProjectNode Project, FakeSweep Sweep);

    private static void ConfigureSweeps(SchemaBuilder b)
    {
        Field<ProjectNode>(b, "Project", "createdAt", (p, rc, _) => SnapshotRuns(rc, p).Select(r => (DateTime?)r.CreatedAt).Min());
        Field<ProjectNode>(b, "Project", "lastActive", (p, rc, _) => SnapshotRuns(rc, p).Select(r => (DateTime?)r.HeartbeatAt).Max());
        Field<ProjectNode>(b, "Project", "totalSweeps", (p, rc, _) => SnapshotSweeps(rc, p).Count);
        Field<ProjectNode>(b, "Project", "sweeps", (p, rc, ctx) =>
            Page(SnapshotSweeps(rc, p), ctx, rc.Options.MaxPageSize, s => new SweepNode(p, s)));
        Field<ProjectNode>(b, "Project", "sweep", (p, rc, ctx) =>
        {
            string name = ctx.GetArgument<string>("sweepName");
            FakeSweep? sweep = SnapshotSweeps(rc, p).FirstOrDefault(s => string.Equals(s.Id, name, StringComparison.Ordinal));
            return sweep is null ? null : new SweepNode(p, sweep);
        });
        Field<ConnectionNode>(b, "SweepConnection", "edges", (c, _, _) => c.Edges);
        Field<ConnectionNode>(b, "SweepConnection", "pageInfo", (c, _, _) => c.PageInfo);
        Field<EdgeNode>(b, "SweepEdge", "node", (e, _, _) => e.Node);
        Field<EdgeNode>(b, "SweepEdge", "cursor", (e, _, _) => e.Cursor);

        Field<SweepNode>(b, "Sweep", "id", (s, _, _) => WandbEncoding.StorageId("Sweep", WandbEncoding.StableNumber("sweep/" + s.Project.Entity + "/" + s.Project.Name + "/" + s.Sweep.Id)));
        Field<SweepNode>(b, "Sweep", "name", (s, _, _) => s.Sweep.Id);
        Field<SweepNode>(b, "Sweep", "displayName", (s, _, _) => s.Sweep.DisplayName);
        Field<SweepNode>(b, "Sweep", "state", (s, _, _) => s.Sweep.State);
        Field<SweepNode>(b, "Sweep", "method", (s, _, _) => s.Sweep.Method);
        Field<SweepNode>(b, "Sweep", "description", (_, _, _) => null);
        Field<SweepNode>(b, "Sweep", "bestLoss", (_, _, _) => null);
        Field<SweepNode>(b, "Sweep", "config", (s, _, _) => s.Sweep.ConfigYaml);
        Field<SweepNode>(b, "Sweep", "createdAt", (s, _, _) => s.Sweep.CreatedAt);
        Field<SweepNode>(b, "Sweep", "updatedAt", (s, _, _) => s.Sweep.CreatedAt);
        Field<SweepNode>(b, "Sweep", "runCount", (s, rc, _) => SnapshotRuns(rc, s.Project).Count(r => r.SweepName == s.Sweep.Id));
        Field<SweepNode>(b, "Sweep", "runCountExpected", (s, _, _) => s.Sweep.RunCountExpected);
    }

    private static List<FakeSweep> SnapshotSweeps(RequestContext rc, ProjectNode p)
    {
        if (p.Project is null)
        {
            return new List<FakeSweep>();
        }

        lock (rc.Data.SyncRoot)
        {
            return p.Project.Sweeps.ToList();
        }
    }
}
