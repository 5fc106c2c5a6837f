using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Artifacts;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// Lineage over the API: the artifact, found by <c>project { artifact(name: "name:alias") }</c>, names its producer
    /// (<c>createdBy</c>) and its consumers (<c>usedBy</c>, paged); the runs are then listed by id. Two or three requests
    /// for any project size (docs/protocol.md, section 4.2, "Lineage"). Runs of other projects are left out, and said in -Verbose.
    /// </summary>
    internal sealed class ApiArtifactLineage : IArtifactLineage
    {
        /// <summary>Consumers per request.</summary>
        public const int PageSize = 1000;

        private readonly GraphQLClient _client;
        private readonly ApiRunSource _source;
        private readonly ReadDiagnostics _diagnostics;

        public ApiArtifactLineage(GraphQLClient client, ApiRunSource source, ReadDiagnostics diagnostics)
        {
            _client = client;
            _source = source;
            _diagnostics = diagnostics;
        }

        public RunLineage Find(ArtifactReference reference, ArtifactDirection direction, CancellationToken cancellation)
        {
            string entity = reference.Entity ?? _source.Entity;
            string project = reference.Project ?? _source.Project;
            string name = reference.Name + ":" + (reference.Selector ?? "latest");
            string target = entity + "/" + project + "/" + name;
            var ids = new List<string>();
            int elsewhere = 0;
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "name", name }, { "perPage", PageSize } };
            Exception Missing(WandbMap data) =>
                data["project"] is null ? ApiAnswers.NotFound(data, entity, project, null)
                : ApiAnswers.Path(data, "project", "artifact") is null ? new WandbException(WandbErrorKind.ArtifactNotFound, "Artifact " + target + " was not found.", target)
                : new WandbException(WandbErrorKind.ProtocolError, "The answer for " + target + " has no usedBy.", target);

            if (direction == ArtifactDirection.Used)
            {
                foreach (WandbMap run in ApiConnection.Nodes(
                    _client, _diagnostics, "ArtifactLineage", Queries.ArtifactLineage, variables,
                    data => ApiAnswers.Path(data, "project", "artifact", "usedBy") as WandbMap, Missing, "ArtifactLineage " + target, cancellation))
                {
                    Keep(run);
                }
            }
            else
            {
                // The producer is on the first page's artifact; its consumers are not needed.
                variables.Set("cursor", null);
                GraphQLResponse response = _client.Query("ArtifactLineage", Queries.ArtifactLineage, variables, cancellation);
                ApiAnswers.Report(_client, _diagnostics, response, "ArtifactLineage " + target + " page 1");
                var artifact = ApiAnswers.Path(response.Data, "project", "artifact") as WandbMap ?? throw Missing(response.Data);
                if (artifact["createdBy"] is WandbMap creator)
                {
                    Keep(creator);
                }
            }

            if (elsewhere > 0)
            {
                _diagnostics.Verbose(elsewhere + " run(s) of other projects " + (direction == ArtifactDirection.Logged ? "logged " : "used ") + target + "; only runs of " + _source.Entity + "/" + _source.Project + " are listed.");
            }

            return RunLineage.Of(ids);

            void Keep(WandbMap run)
            {
                bool here = string.Equals(ApiAnswers.Path(run, "project", "name") as string, _source.Project, StringComparison.Ordinal)
                    && string.Equals(ApiAnswers.Path(run, "project", "entityName") as string, _source.Entity, StringComparison.Ordinal);
                if (here && ValueReads.Text(run, "name") is string id)
                {
                    ids.Add(id);
                }
                else
                {
                    elsewhere++;
                }
            }
        }
    }
}
