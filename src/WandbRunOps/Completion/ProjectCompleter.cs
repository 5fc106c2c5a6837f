using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Api;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// -Project: the projects of the entity (-Entity as typed, "entity/" typed in the word, the configured entity, or
    /// the key's default entity), from W&amp;B. Offline or without a key: nothing.
    /// </summary>
    public sealed class ProjectCompleter : WandbCompleter
    {
        private protected override bool WildcardParameter => false;

        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            string? typedEntity = request.Text("Entity");
            int slash = word.IndexOf('/');
            string? prefix = slash > 0 ? word.Substring(0, slash) : null;
            ApiTarget target = request.Target(typedEntity ?? prefix, null);
            string? entity = typedEntity ?? prefix ?? ApiLookups.DefaultEntity(request, target);
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
