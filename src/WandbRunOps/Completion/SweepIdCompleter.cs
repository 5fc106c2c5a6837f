using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>Get-WandbSweep -Id: the sweep ids of the command's source (the project's sweeps, or the sweeps local runs belong to).</summary>
    public sealed class SweepIdCompleter : WandbCompleter
    {
        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            return CompletionCache.Shared.GetOrLoad("sweeps|" + chosen.Identity, () => chosen.Source.Sweeps
                .GetSweeps(new SweepQuery(), _ => { }, request.Cancellation)
                .Select(sweep => new CompletionCandidate(sweep.Id, sweep.Id + (sweep.Name == sweep.Id ? string.Empty : " " + sweep.Name) + " (" + sweep.State + ", " + sweep.RunCount + " runs)"))
                .ToList());
        }
    }
}
