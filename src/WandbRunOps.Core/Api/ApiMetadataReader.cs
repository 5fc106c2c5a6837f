using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Json;
using WandbRunOps.Metadata;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// A run's metadata over the API: <c>run { metadata }</c>, the server's copy of the run's wandb-metadata.json as a
    /// JSON string, read as the local file is (docs/protocol.md, section 4.2, "Metadata"); for a run the server has no
    /// metadata file for, its <c>runInfo</c>, which holds fewer facts.
    /// </summary>
    internal sealed class ApiMetadataReader : IRunMetadataReader
    {
        private readonly GraphQLClient _client;
        private readonly ReadDiagnostics _diagnostics;
        private readonly System.Func<string> _entity;
        private readonly string _project;

        /// <param name="client">The source's client (server, key, retries).</param>
        /// <param name="entity">The source's entity (asked of the viewer when first needed), for a run object that names none.</param>
        /// <param name="project">The source's project, for a run object that names none.</param>
        /// <param name="diagnostics">Where each request is reported.</param>
        public ApiMetadataReader(GraphQLClient client, System.Func<string> entity, string project, ReadDiagnostics diagnostics)
        {
            _client = client;
            _entity = entity;
            _project = project;
            _diagnostics = diagnostics;
        }

        public RunMetadata Read(WandbRun run, CancellationToken cancellation)
        {
            string entity = run.Entity ?? _entity();
            string project = run.Project ?? _project;
            string target = entity + "/" + project + "/" + run.Id;
            WandbMap node = Ask("RunMetadata", Queries.RunMetadata, entity, project, run.Id, target, cancellation);
            switch (node["metadata"])
            {
                case WandbMap map:
                    return RunMetadataJson.FromFile(map);
                case string text when text.Trim().Length > 0 && text.Trim() != "null":
                    if (ExtendedJson.TryParse(text, out object? parsed, out string? error) && parsed is WandbMap file)
                    {
                        return RunMetadataJson.FromFile(file);
                    }

                    throw new WandbException(WandbErrorKind.ProtocolError, "The metadata of " + target + " is not a JSON object" + (error is null ? "." : " (" + error + ")."), target);
            }

            WandbMap? info = Ask("RunInfo", Queries.RunInfo, entity, project, run.Id, target, cancellation)["runInfo"] as WandbMap;
            return info is null ? new RunMetadata() : RunMetadataJson.FromRunInfo(info);
        }

        private WandbMap Ask(string operation, string query, string entity, string project, string runId, string target, CancellationToken cancellation)
        {
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "run", runId } };
            GraphQLResponse response = _client.Query(operation, query, variables, cancellation);
            ApiAnswers.Report(_client, _diagnostics, response, operation + " " + target);
            return ApiAnswers.RunOf(response.Data, entity, project, runId);
        }
    }
}
