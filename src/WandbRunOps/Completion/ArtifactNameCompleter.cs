using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// -Name of Get-RunLoggedArtifact / Get-RunUsedArtifact: name, name:alias and name:vN of the artifacts of the runs
    /// -Id, -Path and -Project choose (without -Id, the newest few runs of the source).
    /// </summary>
    public sealed class ArtifactNameCompleter : WandbCompleter
    {
        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            ArtifactDirection direction = typeof(GetRunUsedArtifactCommand).IsAssignableFrom(request.CommandType) ? ArtifactDirection.Used : ArtifactDirection.Logged;
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            string ids = string.Join(",", request.Texts("Id") ?? request.Texts("RunId") ?? Array.Empty<string>());
            return CompletionCache.Shared.GetOrLoad("artifacts|" + direction + "|" + chosen.Identity + "|" + ids, () =>
            {
                var names = new List<CompletionCandidate>();
                foreach (WandbRun run in request.ChosenRuns(chosen))
                {
                    foreach (WandbArtifact artifact in chosen.Source.Artifacts.Read(run, direction, request.Cancellation))
                    {
                        names.AddRange(ReferencesOf(artifact, (direction == ArtifactDirection.Used ? "used" : "logged") + " by run " + run.Id));
                    }
                }

                return names;
            });
        }

        /// <summary>What an artifact can be named by: its collection name, name:alias for each alias, and name:vN.</summary>
        internal static IEnumerable<CompletionCandidate> ReferencesOf(WandbArtifact artifact, string where)
        {
            string tip = artifact.Name + (artifact.Type is null ? string.Empty : " (" + artifact.Type + ")") + ", " + where;
            yield return new CompletionCandidate(artifact.Name, tip);
            foreach (string alias in artifact.Aliases)
            {
                yield return new CompletionCandidate(artifact.Name + ":" + alias, tip);
            }

            if (!string.IsNullOrEmpty(artifact.Version))
            {
                yield return new CompletionCandidate(artifact.Name + ":" + artifact.Version, tip);
            }
        }
    }
}
