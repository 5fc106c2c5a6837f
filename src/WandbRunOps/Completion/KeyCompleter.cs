using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// -Key of Get-RunConfig (config keys), Get-RunSummary (summary keys) and Get-RunHistory (history keys): the keys
    /// of the runs -Id chooses, or of the newest few runs of the source (only those logs are read). With -Flatten,
    /// dotted paths; the SDK's own keys only with -IncludeInternal, as the command shows them. History keys are read
    /// from the summary, which holds the last value of every key a run logged, so no history is read for Tab.
    /// </summary>
    public sealed class KeyCompleter : WandbCompleter
    {
        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            bool history = typeof(GetRunHistoryCommand).IsAssignableFrom(request.CommandType);
            bool summary = history || typeof(GetRunSummaryCommand).IsAssignableFrom(request.CommandType);
            bool flatten = !history && request.Switch("Flatten");
            bool includeInternal = !history && request.Switch("IncludeInternal");
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            string ids = string.Join(",", request.Texts("Id") ?? request.Texts("RunId") ?? Array.Empty<string>());
            string what = history ? "history" : summary ? "summary" : "config";
            return CompletionCache.Shared.GetOrLoad("keys|" + what + "|" + flatten + "|" + includeInternal + "|" + chosen.Identity + "|" + ids, () =>
            {
                var keys = new List<CompletionCandidate>();
                foreach (WandbRun run in request.ChosenRuns(chosen))
                {
                    WandbMap values = summary ? run.Summary : run.Config;
                    IEnumerable<KeyValuePair<string, object?>> pairs = flatten ? ValueTree.Flatten(values) : values;
                    foreach (KeyValuePair<string, object?> pair in pairs)
                    {
                        if (includeInternal || !InternalKeys.IsInternalPath(pair.Key))
                        {
                            keys.Add(new CompletionCandidate(pair.Key, what + " key " + pair.Key + " = " + Shorten(ValueText.Format(pair.Value)) + " (run " + run.Id + ")"));
                        }
                    }
                }

                return keys;
            });
        }

        private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 60) + "…";
    }
}
