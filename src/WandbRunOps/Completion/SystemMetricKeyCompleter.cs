using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.SystemMetrics;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// -Key of Get-RunSystemMetric: the metric names of the runs -Id chooses, or of the newest few runs of the source,
    /// from a few samples of each (over the API one small <c>events</c> request per run), so Tab reads no whole stream.
    /// </summary>
    public sealed class SystemMetricKeyCompleter : WandbCompleter
    {
        /// <summary>Samples read per run: metrics are sampled together, so a few samples name them all.</summary>
        private const int SamplesPerRun = 3;

        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            string ids = string.Join(",", request.Texts("Id") ?? request.Texts("RunId") ?? Array.Empty<string>());
            return CompletionCache.Shared.GetOrLoad("keys|system metric|" + chosen.Identity + "|" + ids, () =>
            {
                var keys = new List<CompletionCandidate>();
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (WandbRun run in request.ChosenRuns(chosen))
                {
                    foreach (SystemMetricRow row in chosen.Source.SystemMetrics.Read(run, new SystemMetricQuery { Samples = SamplesPerRun }, request.Cancellation).Take(SamplesPerRun))
                    {
                        foreach (KeyValuePair<string, object?> pair in row.Values)
                        {
                            if (seen.Add(pair.Key))
                            {
                                keys.Add(new CompletionCandidate(pair.Key, "system metric " + pair.Key + " = " + ValueText.Format(pair.Value) + " (run " + run.Id + ")"));
                            }
                        }
                    }
                }

                return keys;
            });
        }
    }
}
