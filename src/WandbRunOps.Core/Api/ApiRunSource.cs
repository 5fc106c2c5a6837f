using System;
using System.Collections.Generic;
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
    /// created meanwhile) are passed on once (<see cref="RecentRunIds"/>: the memory a listing holds does not grow with
    /// it). A listing's page size and order come with it (<see cref="RunListOptions"/>) and stay with it: the source
    /// itself, which the runs keep as their origin, has none.
    /// </summary>
    public sealed class ApiRunSource : IRunSource, IRunHistoryReader, IRunRefresher
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

        public IRunHistoryReader History => this;

        public IRunRefresher Refresh => this;

        public ISweepReader Sweeps => new ApiSweepReader(_client, this, _diagnostics);

        public IArtifactLineage Lineage => new ApiArtifactLineage(_client, this, _diagnostics);

        public IArtifactFinder ArtifactsByName => new ApiArtifactFinder(_client, this, _diagnostics);

        public IArtifactFileReader ArtifactFiles => new ApiArtifactFiles(_client, _diagnostics);

        public IRunChanger Changes => new ApiRunChanger(_client, _diagnostics);

        public IRunRemover Removal => new ApiRunChanger(_client, _diagnostics);

        public IRunArtifactReader Artifacts => new ApiArtifactReader(_client, this, _diagnostics);

        public IRunSystemMetricReader SystemMetrics => new ApiSystemMetricReader(_client, () => Entity, Project, _diagnostics);

        public IRunMetadataReader Metadata => new ApiMetadataReader(_client, () => Entity, Project, _diagnostics);
        public IRunLogReader Logs => new ApiLogReader(_client, () => Entity, Project, _diagnostics);
        public IRunFileReader Files => new ApiFileReader(_client, () => Entity, Project, _diagnostics);

        /// <summary>The same server, key and entity, reporting to another command's streams.</summary>
        public IRunSource ReportingTo(ReadDiagnostics diagnostics) => new ApiRunSource(_client, _entity, Project, diagnostics);

        IRunOrigin IRunOrigin.ReportingTo(ReadDiagnostics diagnostics) => ReportingTo(diagnostics);

        private static int PageSizeFor(RunListOptions options, int page) => options.PageSize ?? (page == 1 ? FirstPageSize : DefaultPageSize);

        /// <summary>Server-side order, W&amp;B syntax: the listing's, else <c>+created_at</c> (the SDK's default since it stopped duplicate pages).</summary>
        private static string ServerOrder(RunListOptions options) =>
            options.Order is not null ? options.Order.ServerOrder ?? "+created_at" : options.NewestFirst ? "-created_at" : "+created_at";

        public IEnumerable<WandbRun> GetRuns(RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation)
        {
            string entity = _entity ??= DefaultEntity(cancellation);
            IReadOnlyList<string>? ids = selector.LiteralIds;
            if (ids is not null && !selector.HasNameTerms)
            {
                // Fetched one by one, in the order named: a listing order is applied here.
                IEnumerable<WandbRun> named = GetRunsById(entity, ids, selector, options, onError, cancellation);
                return options.Order is null ? named : options.Order.Sort(named);
            }

            // The server's order alone lets runs stream; sorting on more than it can needs every run first.
            IEnumerable<WandbRun> listed = ListRuns(entity, selector, options, onError, cancellation);
            return options.Order is null || options.Order.ServerSortsCompletely ? listed : options.Order.Sort(listed);
        }

        public IEnumerable<RunEntry> FindRuns(RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation) =>
            GetRuns(selector, options, onError, cancellation).Take(PageSizeFor(options, 1)).Select(run => new RunEntry(run.Id, Array.Empty<string>(), run));

        public string TargetFor(string runId) => Entity + "/" + Project + "/" + runId;

        /// <summary>
        /// The runs read again with one listing request per page of ids (a <c>name $in</c> filter), so a wait on many
        /// runs asks the server once per poll; an id the server no longer has was deleted meanwhile: WandbRunNotFound.
        /// </summary>
        IEnumerable<WandbRun> IRunRefresher.Refresh(IReadOnlyList<WandbRun> runs, Action<WandbException> onError, CancellationToken cancellation)
        {
            string[] ids = runs.Select(r => r.Id).Distinct(StringComparer.Ordinal).ToArray();
            for (int start = 0; start < ids.Length; start += DefaultPageSize)
            {
                string[] page = ids.Skip(start).Take(DefaultPageSize).ToArray();
                var selector = new RunSelector(null, null) { Filter = new FilterBuilder().AnyOf("name", page).Build() };
                var found = new HashSet<string>(StringComparer.Ordinal);
                bool failed = false;
                Action<WandbException> report = e =>
                {
                    failed = true;
                    onError(e);
                };
                foreach (WandbRun run in ListRuns(Entity, selector, new RunListOptions { PageSize = page.Length }, report, cancellation))
                {
                    found.Add(run.Id);
                    yield return run;
                }

                // A listing that failed (the project gone, the server unreachable) said so once; its runs are not also "not found".
                foreach (string gone in page.Where(id => !failed && !found.Contains(id)))
                {
                    onError(ApiAnswers.RunNotFound(Entity, Project, gone));
                }
            }
        }

        /// <summary>The run's history over the API (see <see cref="ApiHistoryReader"/>); streamed, in step order.</summary>
        IEnumerable<HistoryRow> IRunHistoryReader.Read(WandbRun run, History.HistoryQuery query, CancellationToken cancellation) =>
            new ApiHistoryReader(_client, run.Entity ?? Entity, run.Project ?? Project, run.Id, _diagnostics).Read(query, cancellation);

        private IEnumerable<WandbRun> GetRunsById(string entity, IReadOnlyList<string> ids, RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation)
        {
            options.TotalCount?.Invoke(ids.Count, 1.0);
            foreach (string id in ids)
            {
                var variables = new WandbMap { { "entity", entity }, { "project", Project }, { "name", id } };
                GraphQLResponse response = _client.Query("Run", Queries.Run, variables, cancellation);
                ApiAnswers.Report(_client, _diagnostics, response, "Run " + entity + "/" + Project + "/" + id);
                if (!(ApiAnswers.Path(response.Data, "project", "run") is WandbMap node))
                {
                    WandbException missing = ApiAnswers.NotFound(response.Data, entity, Project, id);
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

        private IEnumerable<WandbRun> ListRuns(string entity, RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var seen = new RecentRunIds();
            long count = 0;
            long? total = null;
            string filters = ServerFilter(selector, out bool serverCoversFilter);
            Task<GraphQLResponse>? next = RequestPage(entity, null, filters, ServerOrder(options), withCount: true, PageSizeFor(options, 1), stop.Token);
            try
            {
                for (int page = 1; next is not null; page++)
                {
                    GraphQLResponse response = Await(next);
                    next = null;
                    if (!(ApiAnswers.Path(response.Data, "project") is WandbMap project))
                    {
                        onError(ApiAnswers.NotFound(response.Data, entity, Project, null));
                        selector.ReportedAll();
                        yield break;
                    }

                    var runs = project["runs"] as WandbMap ?? throw new WandbException(
                        WandbErrorKind.ProtocolError, "The Runs answer for " + entity + "/" + Project + " has no runs connection.", entity + "/" + Project);
                    if (page == 1 && project["runCount"] is long runCount)
                    {
                        total = runCount;
                        options.TotalCount?.Invoke(runCount, selector.Predicate is null && !selector.HasNameTerms && serverCoversFilter ? 1.0 : 0.5);
                    }

                    // Ask for the next page before handing this one to the pipeline.
                    if (ApiAnswers.Path(runs, "pageInfo", "hasNextPage") is true && ApiAnswers.Path(runs, "pageInfo", "endCursor") is string cursor)
                    {
                        next = RequestPage(entity, cursor, filters, ServerOrder(options), withCount: false, PageSizeFor(options, page + 1), stop.Token);
                    }

                    List<WandbMap> nodes = ApiAnswers.Edges(runs).Select(e => e["node"]).OfType<WandbMap>().ToList();
                    ApiAnswers.Report(_client, _diagnostics, response, "Runs " + entity + "/" + Project + " page " + page + ": " + nodes.Count + " run(s)");
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

                    options.Progress?.Invoke(new ListingProgress(count, total, page));
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

        private Task<GraphQLResponse> RequestPage(string entity, string? cursor, string filters, string order, bool withCount, int pageSize, CancellationToken cancellation)
        {
            var variables = new WandbMap
            {
                { "entity", entity },
                { "project", Project },
                { "cursor", cursor },
                { "perPage", pageSize },
                { "order", order },
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
                run.Origin = this;
                return run;
            }
            catch (FormatException e)
            {
                string id = node["name"] as string ?? "?";
                onError(new WandbException(WandbErrorKind.ProtocolError, "Run " + entity + "/" + Project + "/" + id + " could not be decoded: " + e.Message, entity + "/" + Project + "/" + id, e));
                return null;
            }
        }

        private string DefaultEntity(CancellationToken cancellation) => ApiViewer.DefaultEntity(_client, _diagnostics, cancellation);

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
    }
}
