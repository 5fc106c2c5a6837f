using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Api;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// -Project: the projects of an entity, from W&amp;B. The entity is the one typed in the word ("entity/", then
    /// entity/project is offered), else -Entity, else the configured one (connection, WANDB_ENTITY, settings), else the
    /// key's default entity. Offline or without a key: nothing.
    /// </summary>
    public sealed class ProjectCompleter : WandbCompleter
    {
        private protected override bool TakesWildcards(CompletionRequest request) => false;

        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            string? typedEntity = request.Text("Entity");
            int slash = word.IndexOf('/');
            string? prefix = slash > 0 ? word.Substring(0, slash) : null;
            ApiTarget target = request.Target(prefix ?? typedEntity, null);
            string? entity = prefix ?? typedEntity ?? ApiLookups.DefaultEntity(request, target);
            if (entity is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            IReadOnlyList<CompletionCandidate> projects = ApiLookups.Projects(request, target, entity);

            // "entity/" typed: offer entity/project, the form -Project accepts.
            return prefix is null ? projects : projects.Select(p => new CompletionCandidate(prefix + "/" + p.Value, p.ToolTip));
        }
    }
}
