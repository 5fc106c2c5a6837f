using System;
using System.Collections.Generic;
using System.Linq;
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
    /// Artifacts by name over the API: <c>project { artifact(name) }</c> for one version, <c>artifactCollection(name) {
    /// artifacts }</c> for every version, and for wildcards the project's artifact types and their collections
    /// (docs/protocol.md, section 4.2, "Artifacts by name"). A reference may name its own entity and project.
    /// </summary>
    internal sealed class ApiArtifactFinder : IArtifactFinder
    {
        /// <summary>Versions, types and collections per request (collections of one type: the first this many).</summary>
        public const int PageSize = 1000;

        private readonly GraphQLClient _client;
        private readonly ApiRunSource _source;
        private readonly ReadDiagnostics _diagnostics;

        public ApiArtifactFinder(GraphQLClient client, ApiRunSource source, ReadDiagnostics diagnostics)
        {
            _client = client;
            _source = source;
            _diagnostics = diagnostics;
        }

        public IEnumerable<WandbArtifact> Find(IReadOnlyList<string> names, IReadOnlyList<string> types, Action<WandbException> onError, CancellationToken cancellation)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            IEnumerable<string> terms = names.Count == 0 ? new[] { "*" } : names;
            foreach (string term in terms)
            {
                foreach (WandbArtifact artifact in FindOne(term, types, onError, cancellation))
                {
                    if ((types.Count == 0 || types.Contains(artifact.Type ?? string.Empty, StringComparer.OrdinalIgnoreCase)) && seen.Add(artifact.Id ?? artifact.Reference))
                    {
                        artifact.Origin = _source;
                        yield return artifact;
                    }
                }
            }
        }

        private IEnumerable<WandbArtifact> FindOne(string term, IReadOnlyList<string> types, Action<WandbException> onError, CancellationToken cancellation)
        {
            if (Wildcard.IsPattern(term))
            {
                // Collections whose name the pattern's name part matches; then the selector checks each version (a
                // pattern with a colon is matched against name:alias and name:vN).
                var names = new Wildcard(term.Split(':')[0]);
                var selector = new ArtifactSelector(new[] { term });
                foreach (string collection in Collections(_source.Entity, _source.Project, types, cancellation).Where(names.IsMatch).ToList())
                {
                    foreach (WandbArtifact artifact in selector.Select(Versions(_source.Entity, _source.Project, collection, cancellation), out _))
                    {
                        yield return artifact;
                    }
                }

                yield break;
            }

            ArtifactReference reference = ArtifactReference.Parse(Wildcard.Unescape(term));
            string entity = reference.Entity ?? _source.Entity;
            string project = reference.Project ?? _source.Project;
            string target = entity + "/" + project + "/" + reference;
            IReadOnlyList<WandbArtifact>? found;
            try
            {
                found = reference.Selector is null
                    ? Versions(entity, project, reference.Name, cancellation).ToList()
                    : One(entity, project, reference.ToString(), cancellation);
            }
            catch (WandbException e) when (e.Kind == WandbErrorKind.ArtifactNotFound)
            {
                found = null;
            }

            if (found is null)
            {
                onError(new WandbException(WandbErrorKind.ArtifactNotFound, "Artifact " + target + " was not found.", target));
                yield break;
            }

            foreach (WandbArtifact artifact in found)
            {
                yield return artifact;
            }
        }

        private IReadOnlyList<WandbArtifact>? One(string entity, string project, string name, CancellationToken cancellation)
        {
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "name", name } };
            GraphQLResponse response = _client.Query("ArtifactByName", Queries.ArtifactByName, variables, cancellation);
            ApiAnswers.Report(_client, _diagnostics, response, "ArtifactByName " + entity + "/" + project + "/" + name);
            if (response.Data["project"] is null)
            {
                throw ApiAnswers.NotFound(response.Data, entity, project, null);
            }

            return ApiAnswers.Path(response.Data, "project", "artifact") is WandbMap node
                ? new[] { Decode(node, entity + "/" + project + "/" + name) }
                : null;
        }

        /// <summary>Every version of a collection, oldest first; WandbArtifactNotFound when the project has no such collection.</summary>
        private IEnumerable<WandbArtifact> Versions(string entity, string project, string collection, CancellationToken cancellation)
        {
            string target = entity + "/" + project + "/" + collection;
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "name", collection }, { "perPage", PageSize } };
            return ApiConnection.Nodes(
                    _client, _diagnostics, "ArtifactVersions", Queries.ArtifactVersions, variables,
                    data => ApiAnswers.Path(data, "project", "artifactCollection", "artifacts") as WandbMap,
                    data => data["project"] is null
                        ? ApiAnswers.NotFound(data, entity, project, null)
                        : new WandbException(WandbErrorKind.ArtifactNotFound, "Artifact " + target + " was not found.", target),
                    "ArtifactVersions " + target, cancellation)
                .Select(node => Decode(node, target));
        }

        /// <summary>The project's collection names, of the given types (all when none).</summary>
        private IEnumerable<string> Collections(string entity, string project, IReadOnlyList<string> types, CancellationToken cancellation)
        {
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "perPage", PageSize } };
            foreach (WandbMap type in ApiConnection.Nodes(
                _client, _diagnostics, "ArtifactCollections", Queries.ArtifactCollections, variables,
                data => ApiAnswers.Path(data, "project", "artifactTypes") as WandbMap,
                data => ApiAnswers.NotFound(data, entity, project, null), "ArtifactCollections " + entity + "/" + project, cancellation))
            {
                if ((types.Count == 0 || types.Contains(ValueReads.Text(type, "name") ?? string.Empty, StringComparer.OrdinalIgnoreCase)) && type["artifactCollections"] is WandbMap collections)
                {
                    foreach (WandbMap collection in ApiAnswers.Edges(collections))
                    {
                        if (ValueReads.Text(collection["node"] as WandbMap, "name") is string name)
                        {
                            yield return name;
                        }
                    }
                }
            }
        }

        private static WandbArtifact Decode(WandbMap node, string target)
        {
            try
            {
                return ApiRunDecoder.Artifact(node, null, ArtifactDirection.Logged);
            }
            catch (FormatException e)
            {
                throw new WandbException(WandbErrorKind.ProtocolError, "Artifact " + target + " could not be decoded: " + e.Message, target, e);
            }
        }
    }
}
