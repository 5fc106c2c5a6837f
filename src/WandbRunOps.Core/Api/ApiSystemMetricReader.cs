using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.SystemMetrics;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// A run's system metrics over the API: <c>run { events(samples) }</c>, one JSON string per sample with
    /// <c>_timestamp</c>, <c>_runtime</c> and the <c>system.…</c> metrics (docs/protocol.md, section 4.2, "System
    /// metrics"), in one request. The server spreads at most <c>samples</c> rows over the run; without -Samples the
    /// module asks for <see cref="SystemMetricQuery.DefaultApiSamples"/>.
    /// </summary>
    internal sealed class ApiSystemMetricReader : IRunSystemMetricReader
    {
        private readonly GraphQLClient _client;
        private readonly ReadDiagnostics _diagnostics;
        private readonly System.Func<string> _entity;
        private readonly string _project;

        /// <param name="client">The source's client (server, key, retries).</param>
        /// <param name="entity">The source's entity (asked of the viewer when first needed), for a run object that names none.</param>
        /// <param name="project">The source's project, for a run object that names none.</param>
        /// <param name="diagnostics">Where each request is reported.</param>
        public ApiSystemMetricReader(GraphQLClient client, System.Func<string> entity, string project, ReadDiagnostics diagnostics)
        {
            _client = client;
            _entity = entity;
            _project = project;
            _diagnostics = diagnostics;
        }

        public IEnumerable<SystemMetricRow> Read(WandbRun run, SystemMetricQuery query, CancellationToken cancellation)
        {
            string entity = run.Entity ?? _entity();
            string project = run.Project ?? _project;
            string target = entity + "/" + project + "/" + run.Id;
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "run", run.Id }, { "samples", query.Samples ?? SystemMetricQuery.DefaultApiSamples } };
            GraphQLResponse response = _client.Query("RunEvents", Queries.RunEvents, variables, cancellation);
            ApiAnswers.Report(_client, _diagnostics, response, "RunEvents " + target);
            WandbMap node = ApiAnswers.RunOf(response.Data, entity, project, run.Id);
            if (!(node["events"] is IReadOnlyList<object?> events))
            {
                throw new WandbException(WandbErrorKind.ProtocolError, "The RunEvents answer for " + target + " has no events list.", target);
            }

            var rows = new List<SystemMetricRow>(events.Count);
            int skipped = 0;
            foreach (object? item in events)
            {
                WandbMap? values = item switch
                {
                    WandbMap map => map,
                    string text when ExtendedJson.TryParse(text, out object? parsed, out _) => parsed as WandbMap,
                    _ => null,
                };
                if (values is null)
                {
                    skipped++;
                }
                else if (SystemMetricNames.FromEvent(values, query) is SystemMetricRow row)
                {
                    rows.Add(row);
                }
            }

            if (skipped > 0)
            {
                _diagnostics.WarningOnce("Run '" + target + "': " + skipped + " system metric row" + (skipped == 1 ? " was" : "s were") + " not a JSON object and " + (skipped == 1 ? "was" : "were") + " skipped.");
            }

            return rows;
        }
    }
}
