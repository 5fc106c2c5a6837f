using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>An entity's projects over the API: the <c>projects(entityName:)</c> connection, paged, matched here.</summary>
    internal sealed class ApiProjectLister : IProjectLister
    {
        /// <summary>Projects per request.</summary>
        public const int PageSize = 500;

        private readonly GraphQLClient _client;
        private readonly string? _entity;
        private readonly ReadDiagnostics _diagnostics;

        /// <param name="client">The server and key.</param>
        /// <param name="entity">The entity, or null for the key's default entity (asked of the viewer).</param>
        /// <param name="diagnostics">Where each request is reported.</param>
        public ApiProjectLister(GraphQLClient client, string? entity, ReadDiagnostics diagnostics)
        {
            _client = client;
            _entity = entity;
            _diagnostics = diagnostics;
        }

        public IEnumerable<WandbProject> GetProjects(IReadOnlyList<Wildcard> names, Action<WandbException> onError, CancellationToken cancellation)
        {
            string entity = _entity ?? ApiViewer.DefaultEntity(_client, _diagnostics, cancellation);
            var variables = new WandbMap { { "entity", entity }, { "perPage", PageSize } };
            foreach (WandbMap node in ApiConnection.Nodes(
                _client, _diagnostics, "Projects", Queries.Projects, variables, data => data["projects"] as WandbMap,
                _ => new WandbException(WandbErrorKind.ProtocolError, "The answer to Projects of " + entity + " has no projects.", entity), "Projects of " + entity, cancellation))
            {
                if (ValueReads.Text(node, "name") is string name && (names.Count == 0 || names.Any(n => n.IsMatch(name))))
                {
                    yield return new WandbProject
                    {
                        Entity = ValueReads.Text(node, "entityName") ?? entity,
                        Name = name,
                        RunCount = node["runCount"] is long count ? count : 0,
                        CreatedAt = TimeValues.ParseIso(ValueReads.Text(node, "createdAt")),
                        LastActiveAt = TimeValues.ParseIso(ValueReads.Text(node, "lastActive")),
                        Source = RunSource.Api,
                    };
                }
            }
        }
    }
}
