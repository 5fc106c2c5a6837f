using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// -Id (and the run parameters of Compare-RunConfig): the run ids of the command's source. Locally the run folder
    /// names under -Path or ./wandb (no log is read, so it is instant); over the API one page of the newest runs.
    /// </summary>
    public sealed class RunIdCompleter : WandbCompleter
    {
        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            return CompletionCache.Shared.GetOrLoad("ids|" + chosen.Identity, () => chosen.Source
                .FindRuns(new RunSelector(null, null), new RunListOptions { NewestFirst = true, PageSize = CompletionRequest.IdPageSize }, _ => { }, request.Cancellation)
                .Select(entry => entry.Run is WandbRun run
                    ? ToolTipOf(run)
                    : new CompletionCandidate(entry.Id, string.Join(", ", entry.Folders.Select(f => System.IO.Path.GetFileName(f)))))
                .ToList());
        }

        private static CompletionCandidate ToolTipOf(WandbRun run) =>
            new CompletionCandidate(run.Id, run.Id + (run.Name is null ? string.Empty : " " + run.Name) + " (" + run.State + ", created " + run.CreatedAt.ToString("u") + ")");
    }
}
