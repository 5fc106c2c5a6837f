using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Files;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// -Name of Get-RunFile and Save-RunFile: the file names of the runs -Id, -Path and -Project choose (without -Id,
    /// the newest few runs of the source); locally a directory listing, over the API one request per run.
    /// </summary>
    public sealed class RunFileNameCompleter : WandbCompleter
    {
        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            string ids = string.Join(",", request.Texts("Id") ?? request.Texts("RunId") ?? Array.Empty<string>());
            return CompletionCache.Shared.GetOrLoad("files|" + chosen.Identity + "|" + ids, () =>
            {
                var names = new List<CompletionCandidate>();
                foreach (WandbRun run in request.ChosenRuns(chosen))
                {
                    foreach (WandbRunFile file in chosen.Source.Files.List(run, FileNameFilter.All, request.Cancellation))
                    {
                        names.Add(new CompletionCandidate(file.Name, file.Name + " (" + file.Size.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) + " bytes, run " + run.Id + ")"));
                    }
                }

                return names;
            });
        }
    }
}
