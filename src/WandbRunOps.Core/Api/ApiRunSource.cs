using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Filtering;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// The W&amp;B API source: runs of one project over GraphQL. Runs stream as each page arrives, and the next page is
    /// already requested while the pipeline works on the current one; stopping early (Select-Object -First, Ctrl+C)
    /// cancels the request in flight. Runs seen twice in one listing (W&amp;B's offset cursors shift when runs are
    /// created meanwhile) are passed on once.
    /// </summary>
    public sealed class ApiRunSource : IRunSource
    {
        /// <summary>
        /// Runs per request after the first page when no page size is set: the most the server is asked for in one page.
        /// Measured (docs/performance.md): listing 10,000 runs at 20 ms latency took 3.3 s at 100 a page, 0.95 s at 500 and
        /// 0.79 s at 1,000 (9x the SDK's 50-a-page pattern, within 1.2x of the floor).
        /// </summary>
        public const int DefaultPageSize = 1000;

        /// <summary>
        /// The first page when no page size is set: small, so the first run arrives as fast as at the SDK's page size and
        /// `-First` up to 50 costs one small request; the next (large) page is fetched while it is consumed.
        /// </summary>
        public const int FirstPageSize = 50;

        private readonly GraphQLClient _client;
        private readonly ReadDiagnostics _diagnostics;
        private readonly Uri _appUrl;
        private string? _entity;

        public ApiRunSource(GraphQLClient client, string? entity, string project, ReadDiagnostics diagnostics)
        {
            _client = client;
            _entity = entity;
            Project = project;
            _diagnostics = diagnostics;
            _appUrl = ApiRunDecoder.AppUrlFor(client.BaseUrl);
        }

        public GraphQLClient Client => _client;

        public string Project { get; }

        /// <summary>The entity, once known (asked of the viewer when none was named).</summary>
        public string Entity => _entity ??= DefaultEntity(CancellationToken.None);

        /// <summary>Runs per request; null (the default) means <see cref="FirstPageSize"/>, then <see cref="DefaultPageSize"/>.</summary>
        public int? PageSize { get; set; }

        private int PageSizeFor(int page) => PageSize ?? (page == 1 ? FirstPageSize : DefaultPageSize);

        /// <summary>Server-side order, W&amp;B syntax (<c>+created_at</c>, the SDK's default since it stopped duplicate pages).</summary>
        public string Order { get; set; } = "+created_at";

        public Action<long, double>? TotalCount { get; set; }

        /// <summary>Reports (runs so far, total when known) at page boundaries.</summary>
        public Action<long, long?>? Progress { get; set; }

        public IEnumerable<WandbRun> GetRuns(RunSelector selector, Action<WandbException> onError, CancellationToken cancellation)
        {
            string entity = _entity ??= DefaultEntity(cancellation);
            IReadOnlyList<string>? ids = selector.LiteralIds;
            return ids is not null && !selector.HasNameTerms
                ? GetRunsById(entity, ids, selector, onError, cancellation)
                : ListRuns(entity, selector, onError, cancellation);
        }

        /// <summary>The same server, key and entity, reporting to another command's streams.</summary>
        internal ApiRunSource WithDiagnostics(ReadDiagnostics diagnostics) =>
            new ApiRunSource(_client, _entity, Project, diagnostics) { PageSize = PageSize, Order = Order };

        public string TargetFor(string runId) => Entity + "/" + Project + "/" + runId;

        public IReadOnlyList<WandbArtifact> GetArtifacts(WandbRun run, ArtifactDirection direction, CancellationToken cancellation)
        {
            string entity = run.Entity ?? Entity;
            string project = run.Project ?? Project;
            string query = direction == ArtifactDirection.Logged ? Queries.LoggedArtifacts : Queries.UsedArtifacts;
            string operation = direction == ArtifactDirection.Logged ? "RunOutputArtifacts" : "RunInputArtifacts";
            var artifacts = new List<WandbArtifact>();
            string? cursor = null;
            for (int page = 1; ; page++)
            {
                var variables = new WandbMap { { "entity", entity }, { "project", project }, { "run", run.Id }, { "cursor", cursor }, { "perPage", PageSize ?? DefaultPageSize } };
                GraphQLResponse response = _client.Query(operation, query, variables, cancellation);
                Report(response, operation + " " + entity + "/" + project + "/" + run.Id + " page " + page);
                var connection = Path(response.Data, "project", "run", "artifacts") as WandbMap;
                if (connection is null)
                {
                    throw NotFound(response.Data, entity, project, run.Id);
                }

                foreach (WandbMap edge in Edges(connection))
                {
                    if (edge["node"] is WandbMap node)
                    {
                        artifacts.Add(ApiRunDecoder.Artifact(node, run, direction));
                    }
                }

                if (!(Path(connection, "pageInfo", "hasNextPage") is true) || !(Path(connection, "pageInfo", "endCursor") is string next))
                {
                    return artifacts;
                }

                cursor = next;
            }
        }

        /// <summary>The run's history over the API (see <see cref="History.ApiHistoryReader"/>); streamed, in step order.</summary>
        public IEnumerable<HistoryRow> GetHistory(WandbRun run, History.HistoryQuery query, CancellationToken cancellation) =>
            new History.ApiHistoryReader(_client, run.Entity ?? Entity, run.Project ?? Project, run.Id, _diagnostics, Report, NotFound).Read(query, cancellation);

        private IEnumerable<WandbRun> GetRunsById(string entity, IReadOnlyList<string> ids, RunSelector selector, Action<WandbException> onError, CancellationToken cancellation)
        {
            TotalCount?.Invoke(ids.Count, 1.0);
            foreach (string id in ids)
            {
                var variables = new WandbMap { { "entity", entity }, { "project", Project }, { "name", id } };
                GraphQLResponse response = _client.Query("Run", Queries.Run, variables, cancellation);
                Report(response, "Run " + entity + "/" + Project + "/" + id);
                if (!(Path(response.Data, "project", "run") is WandbMap node))
                {
                    WandbException missing = NotFound(response.Data, entity, Project, id);
                    onError(missing);
                    if (missing.Kind == WandbErrorKind.ProjectNotFound)
                    {
                        // Every id would miss the same way: one report, and the other ids are not reported again.
                        foreach (string other in ids)
                        {
                            selector.Reported(other);
                        }

                        yield break;
                    }

                    selector.Reported(id);
                    continue;
                }

                WandbRun? run = Decode(node, entity, onError);
                if (run is not null && selector.Matches(run))
                {
                    yield return run;
                }
            }
        }

        private IEnumerable<WandbRun> ListRuns(string entity, RunSelector selector, Action<WandbException> onError, CancellationToken cancellation)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            long count = 0;
            long? total = null;
            string filters = ServerFilter(selector, out bool serverCoversFilter);
            Task<GraphQLResponse>? next = RequestPage(entity, null, filters, withCount: true, PageSizeFor(1), stop.Token);
            try
            {
                for (int page = 1; next is not null; page++)
                {
                    GraphQLResponse response = Await(next);
                    next = null;
                    if (!(Path(response.Data, "project") is WandbMap project))
                    {
                        onError(NotFound(response.Data, entity, Project, null));
                        selector.ReportedAll();
                        yield break;
                    }

                    var runs = project["runs"] as WandbMap ?? throw new WandbException(
                        WandbErrorKind.ProtocolError, "The Runs answer for " + entity + "/" + Project + " has no runs connection.", entity + "/" + Project);
                    if (page == 1 && project["runCount"] is long runCount)
                    {
                        total = runCount;
                        TotalCount?.Invoke(runCount, selector.Predicate is null && !selector.HasNameTerms && serverCoversFilter ? 1.0 : 0.5);
                    }

                    // Ask for the next page before handing this one to the pipeline.
                    if (Path(runs, "pageInfo", "hasNextPage") is true && Path(runs, "pageInfo", "endCursor") is string cursor)
                    {
                        next = RequestPage(entity, cursor, filters, withCount: false, PageSizeFor(page + 1), stop.Token);
                    }

                    List<WandbMap> nodes = Edges(runs).Select(e => e["node"]).OfType<WandbMap>().ToList();
                    Report(response, "Runs " + entity + "/" + Project + " page " + page + ": " + nodes.Count + " run(s)");
                    foreach (WandbMap node in nodes)
                    {
                        WandbRun? run = Decode(node, entity, onError);
                        if (run is null)
                        {
                            continue;
                        }

                        if (!seen.Add(run.Id))
                        {
                            _diagnostics.Verbose("Run " + run.Id + " came twice (runs were created while paging); passed on once.");
                            continue;
                        }

                        count++;
                        if (selector.Matches(run))
                        {
                            yield return run;
                        }
                    }

                    Progress?.Invoke(count, total);
                }
            }
            finally
            {
                // Stopped early or failed: cancel the prefetch in flight and observe its outcome.
                stop.Cancel();
                next?.ContinueWith(t => t.Exception, TaskScheduler.Default);
            }
        }

        /// <summary>
        /// The part of the selector's filter the server can apply: all of it, unless it tests a config or summary key
        /// that contains a dot (W&amp;B cannot address those). That part is then left to this process, which checks every
        /// run against the whole filter anyway, so the answer is the same either way.
        /// </summary>
        private string ServerFilter(RunSelector selector, out bool complete)
        {
            complete = true;
            if (selector.Filter is null || selector.Filter.IsEmpty)
            {
                return "{}";
            }

            FilterNode? server = FilterSplit.ServerPart(selector.Filter, out complete);
            if (!complete)
            {
                _diagnostics.Verbose(
                    "Filter keys with a dot (" + string.Join(", ", FilterSplit.LocalOnlyKeys(selector.Filter)) + ") may name config keys that contain dots, which W&B cannot filter on: " +
                    (server is null ? "the whole filter is" : "those conditions are") + " checked here on every run received.");
            }

            _diagnostics.Verbose("Filter sent to the server: " + (server is null ? "{}" : FilterJson.Serialize(server)));

            return server is null ? "{}" : FilterJson.Serialize(server);
        }

        private Task<GraphQLResponse> RequestPage(string entity, string? cursor, string filters, bool withCount, int pageSize, CancellationToken cancellation)
        {
            var variables = new WandbMap
            {
                { "entity", entity },
                { "project", Project },
                { "cursor", cursor },
                { "perPage", pageSize },
                { "order", Order },
                { "filters", filters },
                { "withCount", withCount },
            };
            return Task.Run(() => _client.QueryAsync("Runs", Queries.Runs, variables, cancellation), cancellation);
        }

        private WandbRun? Decode(WandbMap node, string entity, Action<WandbException> onError)
        {
            try
            {
                WandbRun run = ApiRunDecoder.Run(node, entity, Project, _appUrl);
                run.ApiSource = this;
                return run;
            }
            catch (FormatException e)
            {
                string id = node["name"] as string ?? "?";
                onError(new WandbException(WandbErrorKind.ProtocolError, "Run " + entity + "/" + Project + "/" + id + " could not be decoded: " + e.Message, entity + "/" + Project + "/" + id, e));
                return null;
            }
        }

        private string DefaultEntity(CancellationToken cancellation)
        {
            ApiViewer viewer = ApiViewer.Get(_client, cancellation);
            Report(viewer.Response, "Viewer (no entity named; using the key's default entity)");
            return viewer.Entity ?? throw new WandbException(
                WandbErrorKind.NoSource, "The API key's user has no default entity on " + _client.BaseUrl + "; pass -Entity.", _client.BaseUrl.ToString());
        }

        private static WandbException NotFound(WandbMap data, string entity, string project, string? runId) =>
            data["project"] is null
                ? new WandbException(WandbErrorKind.ProjectNotFound, "Project " + entity + "/" + project + " was not found (or the key cannot see it).", entity + "/" + project)
                : new WandbException(WandbErrorKind.RunNotFound, "Run " + entity + "/" + project + "/" + runId + " was not found.", entity + "/" + project + "/" + runId);

        private void Report(GraphQLResponse response, string what)
        {
            foreach (ApiLogEntry entry in response.Log)
            {
                if (entry.Debug)
                {
                    _diagnostics.Debug(entry.Message);
                }
            }

            _diagnostics.Verbose(
                "POST " + _client.Endpoint + " " + what + " in " + response.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms" +
                (response.Attempts > 1 ? " (" + (response.Attempts - 1) + " retr" + (response.Attempts == 2 ? "y" : "ies") + ")" : string.Empty) + ".");
            foreach (string error in response.Errors)
            {
                _diagnostics.Warning("W&B reported an error with partial data: " + error);
            }
        }

        private static GraphQLResponse Await(Task<GraphQLResponse> task)
        {
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (TaskCanceledException e)
            {
                throw new OperationCanceledException(e.Message, e);
            }
        }

        private static IEnumerable<WandbMap> Edges(WandbMap connection) => (connection["edges"] as IReadOnlyList<object?> ?? Array.Empty<object?>()).OfType<WandbMap>();

        private static object? Path(WandbMap? map, params string[] keys)
        {
            object? current = map;
            foreach (string key in keys)
            {
                current = (current as WandbMap)?[key];
            }

            return current;
        }
    }
}
