using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// Set-WandbRun -RemoveTag: the tags the runs -Id chooses carry (or the newest few runs of the source), each once,
    /// with how many of those runs carry it.
    /// </summary>
    public sealed class RunTagCompleter : WandbCompleter
    {
        // -RemoveTag matches tags exactly: a tag such as v[1] is completed as it is, not escaped as a wildcard pattern
        // (the escaped text would name no tag, and the tag would stay).
        private protected override bool TakesWildcards(CompletionRequest request) => false;

        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            string ids = string.Join(",", request.Texts("Id") ?? System.Array.Empty<string>());
            return CompletionCache.Shared.GetOrLoad("tags|" + chosen.Identity + "|" + ids, () =>
                request.ChosenRuns(chosen)
                    .SelectMany(run => run.Tags.Distinct().Select(tag => (tag, run.Id)))
                    .GroupBy(pair => pair.tag, System.StringComparer.Ordinal)
                    .OrderBy(group => group.Key, System.StringComparer.OrdinalIgnoreCase)
                    .Select(group => new CompletionCandidate(group.Key, "tag " + group.Key + " (on " + string.Join(", ", group.Select(p => p.Id).Take(5)) + (group.Count() > 5 ? ", …" : string.Empty) + ")"))
                    .ToList());
        }
    }
}
