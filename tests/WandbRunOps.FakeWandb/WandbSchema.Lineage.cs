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
        Field<ProjectNode>(b, "Project", "artifactCollection", (p, rc, ctx) =>
        {
            string name = ctx.GetArgument<string>("name");
            return ProjectArtifacts(rc, p).Any(a => a.Name == name) ? new CollectionNode(SequenceKind, name, p.Entity, p.Name) : null;
        });
        Field<ProjectNode>(b, "Project", "artifactTypes", (p, rc, ctx) =>
            Page(ProjectArtifacts(rc, p).Select(a => a.Type).Distinct().OrderBy(t => t, StringComparer.Ordinal).Select(t => new NamedNode("ArtifactType", t, p)).ToList(), ctx, rc.Options.MaxPageSize, t => t));
        Field<CollectionNode>(b, SequenceKind, "artifacts", (c, rc, ctx) =>
        {
            var project = new ProjectNode(c.Entity, c.Project, rc.Data.FindProject(c.Entity, c.Project));
            return Page(ProjectArtifacts(rc, project).Where(a => a.Name == c.Name).ToList(), ctx, rc.Options.MaxPageSize, a => new ArtifactNode(a));
        });
        foreach (string connection in new[] { "ArtifactTypeConnection", "ArtifactCollectionConnection" })
        {
            Field<ConnectionNode>(b, connection, "edges", (c, _, _) => c.Edges);
            Field<ConnectionNode>(b, connection, "pageInfo", (c, _, _) => c.PageInfo);
        }

        foreach (string edge in new[] { "ArtifactTypeEdge", "ArtifactCollectionEdge" })
        {
            Field<EdgeNode>(b, edge, "node", (e, _, _) => e.Node);
            Field<EdgeNode>(b, edge, "cursor", (e, _, _) => e.Cursor);
        }

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

    /// <summary>A project's artifact versions, each once (a version several runs used is one version), logged ones first.</summary>
    private static List<FakeArtifact> ProjectArtifacts(RequestContext rc, ProjectNode p)
    {
        var seen = new HashSet<(string, int)>();
        FakeRun[] runs = SnapshotRuns(rc, p);
        lock (rc.Data.SyncRoot)
        {
            return runs.SelectMany(r => r.Logged).Concat(runs.SelectMany(r => r.Used))
                .Where(a => seen.Add((a.Name, a.VersionIndex)))
                .OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.VersionIndex)
                .ToList();
        }
    }

    private static object TypeCollections(NamedNode type, RequestContext rc, IResolveFieldContext ctx)
    {
        List<CollectionNode> collections = type.Project is null
            ? new List<CollectionNode>()
            : ProjectArtifacts(rc, type.Project).Where(a => a.Type == type.Name).Select(a => a.Name).Distinct()
                .Select(name => new CollectionNode(SequenceKind, name, type.Project.Entity, type.Project.Name)).ToList();
        return Page(collections, ctx, rc.Options.MaxPageSize, c => c);
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
