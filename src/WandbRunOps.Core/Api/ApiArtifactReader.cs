using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// The artifacts a run logged or used, over the API: the run's <c>outputArtifacts</c>/<c>inputArtifacts</c>
    /// connection, paged at <see cref="PageSize"/>. The page size is its own, never a run listing's (-PageSize of
    /// Get-WandbRun says how runs are listed, not how a later command reads artifacts).
    /// </summary>
    internal sealed class ApiArtifactReader : IRunArtifactReader
    {
        /// <summary>Artifacts per request: the most the server is asked for in one page.</summary>
        public const int PageSize = 1000;

        private readonly GraphQLClient _client;
        private readonly ReadDiagnostics _diagnostics;
        private readonly ApiRunSource _source;

        /// <param name="client">The source's client (server, key, retries).</param>
        /// <param name="source">The source: its entity and project for a run object that names none, and the artifacts' origin.</param>
        /// <param name="diagnostics">Where each request is reported.</param>
        public ApiArtifactReader(GraphQLClient client, ApiRunSource source, ReadDiagnostics diagnostics)
        {
            _client = client;
            _source = source;
            _diagnostics = diagnostics;
        }

        public IReadOnlyList<WandbArtifact> Read(WandbRun run, ArtifactDirection direction, CancellationToken cancellation)
        {
            string entity = run.Entity ?? _source.Entity;
            string project = run.Project ?? _source.Project;
            string query = direction == ArtifactDirection.Logged ? Queries.LoggedArtifacts : Queries.UsedArtifacts;
            string operation = direction == ArtifactDirection.Logged ? "RunOutputArtifacts" : "RunInputArtifacts";
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "run", run.Id }, { "perPage", PageSize } };
            return ApiConnection.Nodes(
                    _client, _diagnostics, operation, query, variables, data => ApiAnswers.Path(data, "project", "run", "artifacts") as WandbMap,
                    data => ApiAnswers.NotFound(data, entity, project, run.Id), operation + " " + entity + "/" + project + "/" + run.Id, cancellation)
                .Select(node =>
                {
                    WandbArtifact artifact = ApiRunDecoder.Artifact(node, run, direction);
                    artifact.Origin = _source;
                    return artifact;
                })
                .ToList();
        }
    }
}
