using System;
using System.Collections.Generic;
using System.Linq;
using GraphQL;
using GraphQL.Utilities;

namespace WandbRunOps.FakeWandb;

// An artifact from its own side (research notes §7.3): found in its project by "name:alias" or "name:vN", with its
// producer (createdBy: the run that logged this very artifact) and its consumers (usedBy: the runs that used the same
// collection and version).
public static partial class WandbSchema
{
    private static void ConfigureLineage(SchemaBuilder b)
    {
        Field<ProjectNode>(b, "Project", "artifact", (p, rc, ctx) =>
        {
            string reference = ctx.GetArgument<string>("name");
            int colon = reference.LastIndexOf(':');
            string name = colon < 0 ? reference : reference.Substring(0, colon);
            string selector = colon < 0 ? "latest" : reference.Substring(colon + 1);
            IEnumerable<FakeArtifact> named = SnapshotRuns(rc, p).SelectMany(r => r.Logged.Concat(r.Used)).Where(a => a.Name == name);
            FakeArtifact? found = selector.Length > 1 && selector[0] == 'v' && int.TryParse(selector.Substring(1), out int index)
                ? named.FirstOrDefault(a => a.VersionIndex == index)
                : named.FirstOrDefault(a => a.Aliases.Contains(selector));
            return found is null ? null : new ArtifactNode(found);
        });
        Field<ArtifactNode>(b, "Artifact", "createdBy", (a, rc, _) =>
        {
            foreach ((ProjectNode project, FakeRun run) in ProjectRuns(rc))
            {
                if (run.Logged.Contains(a.Artifact))
                {
                    return new RunNode(project, run);
                }
            }

            return null;
        });
        Field<ArtifactNode>(b, "Artifact", "usedBy", (a, rc, ctx) =>
        {
            List<RunNode> users = ProjectRuns(rc)
                .Where(x => x.Run.Used.Any(u => u.Name == a.Artifact.Name && u.VersionIndex == a.Artifact.VersionIndex))
                .Select(x => new RunNode(x.Project, x.Run))
                .ToList();
            return Page(users, ctx, rc.Options.MaxPageSize, r => r);
        });
    }

    /// <summary>Every run of every project, with its project, as one consistent snapshot.</summary>
    private static List<(ProjectNode Project, FakeRun Run)> ProjectRuns(RequestContext rc)
    {
        lock (rc.Data.SyncRoot)
        {
            return rc.Data.Projects
                .SelectMany(p => p.Runs.Select(r => (new ProjectNode(p.Entity, p.Name, p), r)))
                .ToList();
        }
    }
}
