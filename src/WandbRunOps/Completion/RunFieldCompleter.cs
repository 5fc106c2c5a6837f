using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Filtering;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// Get-WandbRun's -Name, -Tag, -JobType, -Group, -Sweep and -User: the values the newest runs of the command's
    /// source have (see <see cref="CompletionRequest.RecentRuns"/>); -OrderBy: the run properties it sorts by, and
    /// Config.key / Summary.key paths of those runs (with a leading - when the typed word has one).
    /// </summary>
    public sealed class RunFieldCompleter : WandbCompleter
    {
        /// <summary>Only -Name takes wildcards; tags, groups and the like are compared exactly, so their values are offered unescaped.</summary>
        private protected override bool TakesWildcards(CompletionRequest request) => request.ParameterName.Equals("Name", StringComparison.OrdinalIgnoreCase);

        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            string parameter = request.ParameterName;
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            IReadOnlyList<CompletionCandidate> found = CompletionCache.Shared.GetOrLoad("field|" + parameter.ToLowerInvariant() + "|" + chosen.Identity, () =>
                request.RecentRuns(chosen).SelectMany(run => ValuesOf(parameter, run)).ToList());
            if (!parameter.Equals("OrderBy", StringComparison.OrdinalIgnoreCase))
            {
                return found;
            }

            // -OrderBy '-Summary.accuracy' sorts descending: offer that form once a dash is typed.
            IEnumerable<CompletionCandidate> keys = RunOrder.RunProperties.Select(p => new CompletionCandidate(p, "run property " + p)).Concat(found);
            return word.StartsWith("-", StringComparison.Ordinal) || word.StartsWith("+", StringComparison.Ordinal)
                ? keys.Select(k => new CompletionCandidate(word.Substring(0, 1) + k.Value, k.ToolTip + (word[0] == '-' ? ", descending" : ", ascending")))
                : keys;
        }

        private static IEnumerable<CompletionCandidate> ValuesOf(string parameter, WandbRun run)
        {
            string of = " (run " + run.Id + ")";
            switch (parameter.ToLowerInvariant())
            {
                case "name":
                    return One(run.Name, "display name" + of);
                case "tag":
                    return run.Tags.Select(t => new CompletionCandidate(t, "tag" + of));
                case "jobtype":
                    return One(run.JobType, "job type" + of);
                case "group":
                    return One(run.Group, "group" + of);
                case "sweep":
                    return One(run.SweepId, "sweep" + of);
                case "user":
                    return One(run.Username, "user" + of);
                case "orderby":
                    return Paths("Config", run.Config, run.Id).Concat(Paths("Summary", run.Summary, run.Id));
                default:
                    return Enumerable.Empty<CompletionCandidate>();
            }
        }

        private static IEnumerable<CompletionCandidate> One(string? value, string toolTip) =>
            string.IsNullOrEmpty(value) ? Enumerable.Empty<CompletionCandidate>() : new[] { new CompletionCandidate(value!, value + ": " + toolTip) };

        /// <summary>Config.key / Summary.key for every leaf value (nested keys as dotted paths), the SDK's own keys left out.</summary>
        private static IEnumerable<CompletionCandidate> Paths(string head, WandbMap values, string runId) =>
            ValueTree.Flatten(values)
                .Where(pair => !InternalKeys.IsInternalPath(pair.Key))
                .Select(pair => new CompletionCandidate(head + "." + pair.Key, head + "." + pair.Key + " = " + ValueText.Format(pair.Value) + " (run " + runId + ")"));
    }
}
