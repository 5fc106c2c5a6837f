using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace WandbRunOps.FakeWandb;

/// <summary>Per-request state handed to the resolvers as the GraphQL user context.</summary>
internal sealed class RequestContext : Dictionary<string, object?>
{
    public RequestContext(FakeDataset data, FakeServerOptions options, FakeUser viewer)
    {
        Data = data;
        Options = options;
        Viewer = viewer;
    }

    public FakeDataset Data { get; }
    public FakeServerOptions Options { get; }
    public FakeUser Viewer { get; }

    /// <summary>The server's own address (<c>http://127.0.0.1:N</c>), for the file URLs it serves itself.</summary>
    public string BaseUrl { get; init; } = "";
}

// The objects the resolvers pass down the tree.
internal sealed record ProjectNode(string Entity, string Name, FakeProject? Project);
internal sealed record RunNode(ProjectNode Project, FakeRun Run);
internal sealed record ArtifactNode(FakeArtifact Artifact);
internal sealed record CollectionNode(string Kind, string Name, string Entity, string Project);
internal sealed record AliasNode(string ArtifactId, string Alias, CollectionNode Collection);
internal sealed record UserNode(string? Username, string? Name, FakeUser? User);
internal sealed record EntityNode(string Name);
/// <summary>A named thing (an artifact type, a tag); an artifact type listed by its project knows the project, for its collections.</summary>
internal sealed record NamedNode(string Kind, string Name, ProjectNode? Project = null);
internal sealed record EdgeNode(object Node, string Cursor);
internal sealed record PageInfoNode(string? StartCursor, string? EndCursor, bool HasNextPage, bool HasPreviousPage);
internal sealed record ConnectionNode(int TotalCount, IReadOnlyList<EdgeNode> Edges, PageInfoNode PageInfo);

/// <summary>Builds the executable schema: <see cref="WandbSdl.Text"/> plus resolvers over a <see cref="FakeDataset"/>.</summary>
public static partial class WandbSchema
{
    private const string SequenceKind = "ArtifactSequence";
    private const string PortfolioKind = "ArtifactPortfolio";

    /// <summary>Creates and initializes the schema (thread-safe to execute against once built).</summary>
    public static ISchema Create()
    {
        Schema schema = Schema.For(WandbSdl.Text, builder =>
        {
            ConfigureQuery(builder);
            ConfigureUser(builder);
            ConfigureConnections(builder);
            ConfigureProject(builder);
            ConfigureRun(builder);
            ConfigureArtifact(builder);
            ConfigureRunMetrics(builder);
            ConfigureFiles(builder);
            ConfigureMutation(builder);
            ConfigureSweeps(builder);
            ConfigureLineage(builder);
            ConfigureArtifactFiles(builder);
            ConfigureLogs(builder);
        });
        schema.RegisterType(new JsonStringGraphType());
        schema.RegisterType(new JsonValueGraphType());
        schema.RegisterType(new WandbDateTimeGraphType());
        schema.RegisterType(new Int64GraphType());
        schema.Initialize();

        // Every field of every SDL object type must have its own resolver (interfaces must not have any).
        foreach (IGraphType type in schema.AllTypes)
        {
            if (type is IObjectGraphType obj && !obj.Name.StartsWith("__", StringComparison.Ordinal))
            {
                foreach (FieldType field in obj.Fields)
                {
                    if (field.Resolver is null && !(obj == schema.Query && field.Name.StartsWith("__", StringComparison.Ordinal)))
                    {
                        throw new InvalidOperationException($"FakeWandb schema: {obj.Name}.{field.Name} has no resolver.");
                    }
                }
            }
        }

        return schema;
    }

    private static void ConfigureQuery(SchemaBuilder b)
    {
        Field<object>(b, "Query", "viewer", (_, rc, _) => new UserNode(rc.Viewer.Username, rc.Viewer.Name, rc.Viewer));
        Field<object>(b, "Query", "project", (_, rc, ctx) =>
        {
            string name = ctx.GetArgument<string>("name");
            string entity = ctx.GetArgument<string?>("entityName") ?? rc.Viewer.DefaultEntity ?? rc.Viewer.Username;
            FakeProject? project = rc.Data.FindProject(entity, name);
            return project is null ? null : new ProjectNode(project.Entity, project.Name, project);
        });

        // projects(entityName:): an entity's projects, in the dataset's order (tab completion of -Project asks for them).
        Field<object>(b, "Query", "projects", (_, rc, ctx) =>
        {
            string entity = ctx.GetArgument<string>("entityName");
            List<FakeProject> projects;
            lock (rc.Data.SyncRoot)
            {
                projects = rc.Data.Projects.Where(p => string.Equals(p.Entity, entity, StringComparison.Ordinal)).ToList();
            }

            return Page(projects, ctx, rc.Options.MaxPageSize, p => new ProjectNode(p.Entity, p.Name, p));
        });
        Field<ConnectionNode>(b, "ProjectConnection", "edges", (c, _, _) => c.Edges);
        Field<ConnectionNode>(b, "ProjectConnection", "pageInfo", (c, _, _) => c.PageInfo);
        Field<EdgeNode>(b, "ProjectEdge", "node", (e, _, _) => e.Node);
        Field<EdgeNode>(b, "ProjectEdge", "cursor", (e, _, _) => e.Cursor);
    }

    private static void ConfigureUser(SchemaBuilder b)
    {
        Field<UserNode>(b, "User", "id", (u, _, _) => WandbEncoding.StorageId("User", WandbEncoding.StableNumber("user/" + u.Username)));
        Field<UserNode>(b, "User", "name", (u, _, _) => u.Name ?? u.User?.Name);
        Field<UserNode>(b, "User", "username", (u, _, _) => u.Username);
        Field<UserNode>(b, "User", "email", (u, _, _) => u.User?.Email);
        Field<UserNode>(b, "User", "entity", (u, _, _) => u.User is null ? u.Username : u.User.DefaultEntity ?? u.User.Username);
        Field<UserNode>(b, "User", "admin", (_, _, _) => false);
        Field<UserNode>(b, "User", "flags", (_, _, _) => "{}");
        Field<UserNode>(b, "User", "deletedAt", (_, _, _) => null);
        Field<UserNode>(b, "User", "teams", (u, rc, ctx) =>
        {
            List<string> teams = u.User?.Teams.ToList() ?? new List<string>();
            return Page(teams, ctx, rc.Options.MaxPageSize, t => new EntityNode(t));
        });

        Field<EntityNode>(b, "Entity", "id", (e, _, _) => WandbEncoding.StorageId("Entity", WandbEncoding.StableNumber("entity/" + e.Name)));
        Field<EntityNode>(b, "Entity", "name", (e, _, _) => e.Name);
    }

    private static void ConfigureConnections(SchemaBuilder b)
    {
        foreach (string type in new[] { "EntityConnection", "RunConnection", "ArtifactConnection", "FileConnection" })
        {
            Field<ConnectionNode>(b, type, "edges", (c, _, _) => c.Edges);
            Field<ConnectionNode>(b, type, "pageInfo", (c, _, _) => c.PageInfo);
            if (type != "EntityConnection" && type != "FileConnection")
            {
                Field<ConnectionNode>(b, type, "totalCount", (c, _, _) => c.TotalCount);
            }
        }

        foreach (string type in new[] { "EntityEdge", "RunEdge", "ArtifactEdge", "FileEdge" })
        {
            Field<EdgeNode>(b, type, "node", (e, _, _) => e.Node);
            Field<EdgeNode>(b, type, "cursor", (e, _, _) => e.Cursor);
        }

        Field<PageInfoNode>(b, "PageInfo", "startCursor", (p, _, _) => p.StartCursor);
        Field<PageInfoNode>(b, "PageInfo", "endCursor", (p, _, _) => p.EndCursor);
        Field<PageInfoNode>(b, "PageInfo", "hasNextPage", (p, _, _) => p.HasNextPage);
        Field<PageInfoNode>(b, "PageInfo", "hasPreviousPage", (p, _, _) => p.HasPreviousPage);
    }

    private static void ConfigureProject(SchemaBuilder b)
    {
        Field<ProjectNode>(b, "Project", "id", (p, _, _) => WandbEncoding.StorageId("Project", ProjectNumber(p)));
        Field<ProjectNode>(b, "Project", "internalId", (p, _, _) => ProjectNumber(p).ToString(CultureInfo.InvariantCulture));
        Field<ProjectNode>(b, "Project", "name", (p, _, _) => p.Name);
        Field<ProjectNode>(b, "Project", "entityName", (p, _, _) => p.Entity);
        Field<ProjectNode>(b, "Project", "entity", (p, _, _) => new EntityNode(p.Entity));
        Field<ProjectNode>(b, "Project", "readOnly", (_, _, _) => false);
        Field<ProjectNode>(b, "Project", "runCount", (p, rc, ctx) =>
        {
            if (p.Project?.Series is FakeRunSeries series)
            {
                return SeriesCount(series, ctx);
            }

            Func<FakeRun, bool> filter = RunFilter.Compile(ctx.GetArgument<string?>("filters"));
            return SnapshotRuns(rc, p).Count(filter);
        });
        Field<ProjectNode>(b, "Project", "runs", (p, rc, ctx) =>
        {
            if (p.Project?.Series is FakeRunSeries series)
            {
                return SeriesPage(p, series, rc, ctx);
            }

            Func<FakeRun, bool> filter = RunFilter.Compile(ctx.GetArgument<string?>("filters"));
            Func<IEnumerable<FakeRun>, IEnumerable<FakeRun>> order = RunOrder.Compile(ctx.GetArgument<string?>("order"));
            List<FakeRun> runs = order(SnapshotRuns(rc, p).Where(filter)).ToList();
            return Page(runs, ctx, rc.Options.MaxPageSize, r => new RunNode(p, r));
        });
        Field<ProjectNode>(b, "Project", "run", (p, rc, ctx) =>
        {
            string name = ctx.GetArgument<string>("name");
            if (p.Project?.Series is FakeRunSeries series)
            {
                return SeriesRun(p, series, name);
            }

            FakeRun? run = SnapshotRuns(rc, p).FirstOrDefault(r => string.Equals(r.Id, name, StringComparison.Ordinal));
            return run is null ? null : new RunNode(p, run);
        });
    }

    private static void ConfigureRun(SchemaBuilder b)
    {
        Field<RunNode>(b, "Run", "id", (r, _, _) => WandbEncoding.StorageId("Run", RunNumber(r)));
        Field<RunNode>(b, "Run", "name", (r, _, _) => r.Run.Id);
        Field<RunNode>(b, "Run", "displayName", (r, _, _) => r.Run.DisplayName);
        Field<RunNode>(b, "Run", "state", (r, _, _) => r.Run.State);
        Field<RunNode>(b, "Run", "projectId", (r, _, _) => ProjectNumber(r.Project).ToString(CultureInfo.InvariantCulture));
        Field<RunNode>(b, "Run", "readOnly", (_, _, _) => false);
        Field<RunNode>(b, "Run", "config", (r, _, _) => r.Run.ConfigJson);
        Field<RunNode>(b, "Run", "summaryMetrics", (r, _, _) => r.Run.SummaryJson);
        Field<RunNode>(b, "Run", "systemMetrics", (r, _, _) => r.Run.SystemMetricsJson);
        Field<RunNode>(b, "Run", "createdAt", (r, _, _) => r.Run.CreatedAt);
        Field<RunNode>(b, "Run", "heartbeatAt", (r, _, _) => r.Run.HeartbeatAt);
        Field<RunNode>(b, "Run", "updatedAt", (r, _, _) => r.Run.UpdatedAt);
        Field<RunNode>(b, "Run", "tags", (r, _, _) => r.Run.Tags.ToList());
        Field<RunNode>(b, "Run", "group", (r, _, _) => r.Run.Group);
        Field<RunNode>(b, "Run", "jobType", (r, _, _) => r.Run.JobType);
        Field<RunNode>(b, "Run", "sweepName", (r, _, _) => r.Run.SweepName);
        Field<RunNode>(b, "Run", "commit", (r, _, _) => r.Run.Commit);
        Field<RunNode>(b, "Run", "notes", (r, _, _) => r.Run.Notes);
        Field<RunNode>(b, "Run", "description", (r, _, _) => r.Run.Notes);
        Field<RunNode>(b, "Run", "stopped", (r, _, _) => r.Run.Stopped);
        Field<RunNode>(b, "Run", "host", (r, _, _) => r.Run.Host);
        Field<RunNode>(b, "Run", "computeSeconds", (r, _, _) => r.Run.ComputeSeconds);
        Field<RunNode>(b, "Run", "historyLineCount", (r, _, _) => checked((int)r.Run.HistoryLineCount));
        Field<RunNode>(b, "Run", "historyKeys", (r, _, _) => FakeHistory.HistoryKeys(r.Run));
        Field<RunNode>(b, "Run", "history", (r, _, ctx) =>
            FakeHistory.History(r.Run, ctx.GetArgument<long?>("minStep"), ctx.GetArgument<long?>("maxStep"), ctx.GetArgument<int?>("samples")));
        Field<RunNode>(b, "Run", "sampledHistory", (r, _, ctx) => FakeHistory.Sampled(r.Run, ctx.GetArgument<List<string>>("specs") ?? new List<string>()));
        Field<RunNode>(b, "Run", "user", (r, rc, _) =>
            r.Run.Username is null ? null : new UserNode(r.Run.Username, r.Run.UserFullName, rc.Data.FindUserByName(r.Run.Username)));
        Field<RunNode>(b, "Run", "project", (r, _, _) => r.Project);
        Field<RunNode>(b, "Run", "outputArtifacts", (r, rc, ctx) =>
            Page(SnapshotArtifacts(rc, r.Run.Logged), ctx, rc.Options.MaxPageSize, a => new ArtifactNode(a)));
        Field<RunNode>(b, "Run", "inputArtifacts", (r, rc, ctx) =>
            Page(SnapshotArtifacts(rc, r.Run.Used), ctx, rc.Options.MaxPageSize, a => new ArtifactNode(a)));
    }

    private static void ConfigureArtifact(SchemaBuilder b)
    {
        Field<ArtifactNode>(b, "Artifact", "id", (a, _, _) => ArtifactId(a.Artifact));
        Field<ArtifactNode>(b, "Artifact", "versionIndex", (a, _, _) => a.Artifact.VersionIndex);
        Field<ArtifactNode>(b, "Artifact", "state", (a, _, _) => a.Artifact.State);
        Field<ArtifactNode>(b, "Artifact", "size", (a, _, _) => a.Artifact.Size);
        Field<ArtifactNode>(b, "Artifact", "digest", (a, _, _) => a.Artifact.Digest);
        Field<ArtifactNode>(b, "Artifact", "commitHash", (_, _, _) => null);
        Field<ArtifactNode>(b, "Artifact", "fileCount", (a, _, _) => (long)a.Artifact.FileCount);
        Field<ArtifactNode>(b, "Artifact", "createdAt", (a, _, _) => a.Artifact.CreatedAt);
        Field<ArtifactNode>(b, "Artifact", "updatedAt", (a, _, _) => a.Artifact.UpdatedAt);
        Field<ArtifactNode>(b, "Artifact", "description", (a, _, _) => a.Artifact.Description);
        Field<ArtifactNode>(b, "Artifact", "metadata", (a, _, _) => a.Artifact.MetadataJson);
        Field<ArtifactNode>(b, "Artifact", "historyStep", (_, _, _) => null);
        Field<ArtifactNode>(b, "Artifact", "ttlDurationSeconds", (_, _, _) => -1L);
        Field<ArtifactNode>(b, "Artifact", "ttlIsInherited", (_, _, _) => true);
        Field<ArtifactNode>(b, "Artifact", "tags", (_, _, _) => Array.Empty<NamedNode>());
        Field<ArtifactNode>(b, "Artifact", "artifactType", (a, _, _) => new NamedNode("ArtifactType", a.Artifact.Type));
        Field<ArtifactNode>(b, "Artifact", "artifactSequence", (a, _, _) => Sequence(a.Artifact));
        Field<ArtifactNode>(b, "Artifact", "aliases", (a, _, _) =>
        {
            string id = ArtifactId(a.Artifact);
            CollectionNode own = Sequence(a.Artifact);
            var list = new List<AliasNode>();
            list.AddRange(a.Artifact.Aliases.Select(alias => new AliasNode(id, alias, own)));
            list.AddRange(a.Artifact.ForeignAliases.Select(f =>
                new AliasNode(id, f.Alias, new CollectionNode(PortfolioKind, f.CollectionName, f.Entity, f.Project))));
            return list;
        });

        foreach (string type in new[] { "ArtifactType", "Tag" })
        {
            Field<NamedNode>(b, type, "id", (n, _, _) => WandbEncoding.StorageId(n.Kind, WandbEncoding.StableNumber(n.Kind + "/" + n.Name)));
            Field<NamedNode>(b, type, "name", (n, _, _) => n.Name);
        }

        Field<NamedNode>(b, "ArtifactType", "artifactCollections", (n, rc, ctx) => TypeCollections(n, rc, ctx));

        Field<AliasNode>(b, "ArtifactAlias", "id", (a, _, _) =>
            WandbEncoding.StorageId("ArtifactAlias", WandbEncoding.StableNumber(a.ArtifactId + "/" + a.Collection.Kind + "/" + a.Collection.Name + ":" + a.Alias)));
        Field<AliasNode>(b, "ArtifactAlias", "alias", (a, _, _) => a.Alias);
        Field<AliasNode>(b, "ArtifactAlias", "artifactCollection", (a, _, _) => a.Collection);

        foreach (string type in new[] { SequenceKind, PortfolioKind })
        {
            Field<CollectionNode>(b, type, "id", (c, _, _) =>
                WandbEncoding.StorageId(c.Kind, WandbEncoding.StableNumber(c.Kind + "/" + c.Entity + "/" + c.Project + "/" + c.Name)));
            Field<CollectionNode>(b, type, "name", (c, _, _) => c.Name);
            Field<CollectionNode>(b, type, "description", (_, _, _) => null);
            Field<CollectionNode>(b, type, "project", (c, rc, _) => new ProjectNode(c.Entity, c.Project, rc.Data.FindProject(c.Entity, c.Project)));
        }

        b.Types.For(SequenceKind).IsTypeOfFunc = o => o is CollectionNode { Kind: SequenceKind };
        b.Types.For(PortfolioKind).IsTypeOfFunc = o => o is CollectionNode { Kind: PortfolioKind };
    }

    /// <summary>Sets the resolver of <paramref name="type"/>.<paramref name="field"/>.</summary>
    private static void Field<TSource>(SchemaBuilder b, string type, string field, Func<TSource, RequestContext, IResolveFieldContext, object?> resolve)
    {
        b.Types.For(type).FieldFor(field).Resolver = new FuncFieldResolver<object>(ctx =>
        {
            var rc = (RequestContext)ctx.UserContext;
            TSource source = ctx.Source is TSource s ? s : default!;
            return resolve(source, rc, ctx);
        });
    }

    /// <summary>
    /// Offset-based Relay paging exactly like W&amp;B's: the cursor of the edge at offset N is base64("arrayconnection:N"),
    /// <c>after</c> resumes at N+1, <c>first</c> is capped at the server's page size.
    /// </summary>
    private static ConnectionNode Page<T>(IReadOnlyList<T> items, IResolveFieldContext ctx, int maxPageSize, Func<T, object> toNode)
    {
        int start = 0;
        string? after = ctx.GetArgument<string?>("after");
        if (!string.IsNullOrEmpty(after))
        {
            int offset = WandbEncoding.CursorOffset(after) ?? throw new ExecutionError("invalid cursor: " + after);
            start = offset + 1;
        }

        int? first = ctx.GetArgument<int?>("first");
        if (first < 0)
        {
            throw new ExecutionError("first must not be negative");
        }

        int take = Math.Min(first ?? maxPageSize, maxPageSize);
        start = Math.Min(start, items.Count);
        int end = Math.Min(items.Count, start + take);
        var edges = new List<EdgeNode>(end - start);
        for (int i = start; i < end; i++)
        {
            edges.Add(new EdgeNode(toNode(items[i]), WandbEncoding.Cursor(i)));
        }

        var pageInfo = new PageInfoNode(
            edges.Count > 0 ? edges[0].Cursor : null,
            edges.Count > 0 ? edges[^1].Cursor : null,
            end < items.Count,
            start > 0);
        return new ConnectionNode(items.Count, edges, pageInfo);
    }

    private static FakeRun[] SnapshotRuns(RequestContext rc, ProjectNode p)
    {
        if (p.Project is null)
        {
            return Array.Empty<FakeRun>();
        }

        lock (rc.Data.SyncRoot)
        {
            return p.Project.Runs.ToArray();
        }
    }

    private static FakeArtifact[] SnapshotArtifacts(RequestContext rc, List<FakeArtifact> list)
    {
        lock (rc.Data.SyncRoot)
        {
            return list.ToArray();
        }
    }

    private static CollectionNode Sequence(FakeArtifact a) => new(SequenceKind, a.Name, a.ProjectEntity, a.ProjectName);

    internal static string ArtifactId(FakeArtifact a) =>
        !string.IsNullOrEmpty(a.Id)
            ? a.Id
            : WandbEncoding.StorageId("Artifact", WandbEncoding.StableNumber(a.ProjectEntity + "/" + a.ProjectName + "/" + a.Name + ":v" + a.VersionIndex.ToString(CultureInfo.InvariantCulture)));

    private static long ProjectNumber(ProjectNode p) => WandbEncoding.StableNumber("project/" + p.Entity + "/" + p.Name);

    private static long RunNumber(RunNode r) => WandbEncoding.StableNumber("run/" + r.Project.Entity + "/" + r.Project.Name + "/" + r.Run.Id);
}

