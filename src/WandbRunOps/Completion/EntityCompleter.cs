using System.Collections.Generic;
using WandbRunOps.Api;
using WandbRunOps.Commands.Base;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// -Entity: the session connection's entity, the configured one (WANDB_ENTITY, settings), and the key's own
    /// entity, username and teams from W&amp;B's viewer query. Offline or without a key: only what is configured.
    /// </summary>
    public sealed class EntityCompleter : WandbCompleter
    {
        private protected override bool TakesWildcards(CompletionRequest request) => false;

        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            var entities = new List<CompletionCandidate>();
            if (ConnectionStore.Current?.Entity is string connected)
            {
                entities.Add(new CompletionCandidate(connected, "the entity of this session's connection (Connect-Wandb)"));
            }

            ApiTarget target = request.Target(null, null);
            if (target.Entity is string configured)
            {
                entities.Add(new CompletionCandidate(configured, "the configured entity"));
            }

            entities.AddRange(ApiLookups.ViewerEntities(request, target));
            return entities;
        }
    }
}
