using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Api;
using WandbRunOps.Commands.Base;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// The W&amp;B lookups only completion needs: the viewer's entities (its own and its teams') and an entity's
    /// projects. Each answer is cached per server and credential.
    /// </summary>
    internal static class ApiLookups
    {
        /// <summary>The viewer's default entity, username and teams (W&amp;B's viewer query, as the SDK asks it).</summary>
        public const string ViewerEntitiesQuery =
            "query CompletionViewer { viewer { entity username teams(first: 100) { edges { node { name } } } } }";

        /// <summary>An entity's projects (W&amp;B's <c>projects(entityName:)</c> connection).</summary>
        public const string ProjectsQuery =
            "query CompletionProjects($entity: String!, $first: Int) { projects(entityName: $entity, first: $first) { edges { node { name entityName } } } }";

        private const string DefaultEntityTip = "your default entity";

        /// <summary>The entities the key can use: the viewer's default entity first, then its username and teams.</summary>
        public static IReadOnlyList<CompletionCandidate> ViewerEntities(CompletionRequest request, ApiTarget target) =>
            CompletionCache.Shared.GetOrLoad("viewer|" + request.ServerIdentity(target), () =>
            {
                GraphQLResponse response = request.Client(target).Query("CompletionViewer", ViewerEntitiesQuery, new WandbMap(), request.Cancellation);
                var entities = new List<CompletionCandidate>();
                if (response.Data["viewer"] is WandbMap viewer)
                {
                    if (ValueReads.Text(viewer, "entity") is string entity)
                    {
                        entities.Add(new CompletionCandidate(entity, DefaultEntityTip));
                    }

                    if (ValueReads.Text(viewer, "username") is string username)
                    {
                        entities.Add(new CompletionCandidate(username, "your user"));
                    }

                    foreach (string team in Names(Field(viewer, "teams")))
                    {
                        entities.Add(new CompletionCandidate(team, "team"));
                    }
                }

                return entities;
            });

        /// <summary>The entity projects are listed for when none is typed: the configured one, else the viewer's default.</summary>
        public static string? DefaultEntity(CompletionRequest request, ApiTarget target) =>
            target.Entity ?? ViewerEntities(request, target).FirstOrDefault(e => e.ToolTip == DefaultEntityTip)?.Value;

        /// <summary>The names of an entity's projects (the first 100).</summary>
        public static IReadOnlyList<CompletionCandidate> Projects(CompletionRequest request, ApiTarget target, string entity) =>
            CompletionCache.Shared.GetOrLoad("projects|" + request.ServerIdentity(target) + "|" + entity, () =>
            {
                var variables = new WandbMap { { "entity", entity }, { "first", 100 } };
                GraphQLResponse response = request.Client(target).Query("CompletionProjects", ProjectsQuery, variables, request.Cancellation);
                return Names(response.Data["projects"] as WandbMap).Select(name => new CompletionCandidate(name, entity + "/" + name)).ToList();
            });

        private static IEnumerable<string> Names(WandbMap? connection)
        {
            foreach (object? edge in connection?["edges"] as IReadOnlyList<object?> ?? Array.Empty<object?>())
            {
                if (Field(edge as WandbMap, "node") is WandbMap node && ValueReads.Text(node, "name") is string name && name.Length > 0)
                {
                    yield return name;
                }
            }
        }

        private static WandbMap? Field(WandbMap? map, string key) => map?[key] as WandbMap;
    }
}
