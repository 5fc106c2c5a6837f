using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Filtering;
using WandbRunOps.Local.Files;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Sweeps;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// A project's sweeps over the API: one <c>sweep(sweepName:)</c> request per literal id, else the project's
    /// <c>sweeps</c> connection paged and matched here (docs/protocol.md, section 4.2, "Sweeps"). The best run is
    /// chosen from the sweep's runs (a <c>sweep</c> filter), as W&amp;B's client does, only when a metric is known.
    /// </summary>
    internal sealed class ApiSweepReader : ISweepReader
    {
        /// <summary>Sweeps per request when the project's sweeps are listed.</summary>
        public const int PageSize = 100;

        private readonly GraphQLClient _client;
        private readonly ApiRunSource _runs;
        private readonly ReadDiagnostics _diagnostics;

        public ApiSweepReader(GraphQLClient client, ApiRunSource runs, ReadDiagnostics diagnostics)
        {
            _client = client;
            _runs = runs;
            _diagnostics = diagnostics;
        }

        public IEnumerable<WandbSweep> GetSweeps(SweepQuery query, Action<WandbException> onError, CancellationToken cancellation)
        {
            string entity = _runs.Entity;
            string project = _runs.Project;
            IEnumerable<WandbSweep> sweeps = query.Ids.Count > 0 && query.Ids.All(id => !Wildcard.IsPattern(id))
                ? Named(entity, project, query.Ids.Select(Wildcard.Unescape), onError, cancellation)
                : Listed(entity, project, query.Ids.Select(id => new Wildcard(id)).ToList(), cancellation);
            foreach (WandbSweep sweep in sweeps)
            {
                SweepMetric.Apply(sweep, query.Metric, query.Goal);
                if (sweep.MetricName is not null)
                {
                    var selector = new RunSelector(null, null) { Filter = new FilterBuilder().AnyOf("sweep", new object?[] { sweep.Id }).Build() };
                    SweepMetric.ChooseBest(sweep, _runs.GetRuns(selector, new RunListOptions(), onError, cancellation));
                }

                yield return sweep;
            }
        }

        private IEnumerable<WandbSweep> Named(string entity, string project, IEnumerable<string> ids, Action<WandbException> onError, CancellationToken cancellation)
        {
            foreach (string id in ids)
            {
                var variables = new WandbMap { { "entity", entity }, { "project", project }, { "name", id } };
                GraphQLResponse response = _client.Query("Sweep", Queries.Sweep, variables, cancellation);
                ApiAnswers.Report(_client, _diagnostics, response, "Sweep " + entity + "/" + project + "/" + id);
                if (response.Data["project"] is null)
                {
                    throw ApiAnswers.NotFound(response.Data, entity, project, null);
                }

                if (ApiAnswers.Path(response.Data, "project", "sweep") is WandbMap node)
                {
                    yield return Decode(node, entity, project);
                }
                else
                {
                    onError(new WandbException(WandbErrorKind.SweepNotFound, "Sweep " + entity + "/" + project + "/" + id + " was not found.", entity + "/" + project + "/" + id));
                }
            }
        }

        private IEnumerable<WandbSweep> Listed(string entity, string project, IReadOnlyList<Wildcard> patterns, CancellationToken cancellation)
        {
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "perPage", PageSize } };
            foreach (WandbMap node in ApiConnection.Nodes(
                _client, _diagnostics, "Sweeps", Queries.Sweeps, variables, data => ApiAnswers.Path(data, "project", "sweeps") as WandbMap,
                data => ApiAnswers.NotFound(data, entity, project, null), "Sweeps " + entity + "/" + project, cancellation))
            {
                if (ValueReads.Text(node, "name") is string id && (patterns.Count == 0 || patterns.Any(p => p.IsMatch(id))))
                {
                    yield return Decode(node, entity, project);
                }
            }
        }

        private static WandbSweep Decode(WandbMap node, string entity, string project)
        {
            string id = ValueReads.Text(node, "name") ?? string.Empty;
            string where = entity + "/" + project + "/" + id;
            WandbMap config;
            try
            {
                config = ValueReads.Text(node, "config") is string yaml ? ConfigYamlReader.ReadPlain(yaml, "the configuration of sweep " + where) : new WandbMap();
            }
            catch (FormatException e)
            {
                throw new WandbException(WandbErrorKind.ProtocolError, e.Message, where);
            }

            return new WandbSweep
            {
                Id = id,
                Name = ValueReads.Text(node, "displayName") ?? ValueReads.Text(config, "name") ?? id,
                State = TitleCase(ValueReads.Text(node, "state")),
                Method = ValueReads.Text(node, "method") ?? ValueReads.Text(config, "method"),
                Config = config,
                RunCount = node["runCount"] is long count ? count : 0,
                ExpectedRunCount = node["runCountExpected"] as long?,
                CreatedAt = TimeValues.ParseIso(ValueReads.Text(node, "createdAt")),
                Entity = entity,
                Project = project,
                Source = RunSource.Api,
            };
        }

        private static string? TitleCase(string? state) =>
            state is null ? null : state.Substring(0, 1).ToUpperInvariant() + state.Substring(1).ToLowerInvariant();
    }
}
