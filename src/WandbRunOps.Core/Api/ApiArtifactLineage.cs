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
            string? cursor = null;
            for (int page = 1; ; page++)
            {
                var variables = new WandbMap { { "entity", entity }, { "project", project }, { "name", name }, { "cursor", cursor }, { "perPage", PageSize } };
                GraphQLResponse response = _client.Query("ArtifactLineage", Queries.ArtifactLineage, variables, cancellation);
                ApiAnswers.Report(_client, _diagnostics, response, "ArtifactLineage " + target + " page " + page);
                if (response.Data["project"] is null)
                {
                    throw ApiAnswers.NotFound(response.Data, entity, project, null);
                }

                if (!(ApiAnswers.Path(response.Data, "project", "artifact") is WandbMap artifact))
                {
                    throw new WandbException(WandbErrorKind.ArtifactNotFound, "Artifact " + target + " was not found.", target);
                }

                if (direction == ArtifactDirection.Logged)
                {
                    if (artifact["createdBy"] is WandbMap creator)
                    {
                        Keep(creator);
                    }

                    break;
                }

                var users = artifact["usedBy"] as WandbMap ?? throw new WandbException(WandbErrorKind.ProtocolError, "The answer for " + target + " has no usedBy.", target);
                foreach (WandbMap edge in ApiAnswers.Edges(users))
                {
                    if (edge["node"] is WandbMap run)
                    {
                        Keep(run);
                    }
                }

                if (!(ApiAnswers.Path(users, "pageInfo", "hasNextPage") is true) || !(ApiAnswers.Path(users, "pageInfo", "endCursor") is string next))
                {
                    break;
                }

                cursor = next;
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
