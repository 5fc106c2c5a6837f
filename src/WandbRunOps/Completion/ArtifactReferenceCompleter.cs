using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// Artifacts named from their own side (Get-WandbArtifact -Name, Get-WandbRun -UsedArtifact/-LoggedArtifact):
    /// name, name:alias and name:vN of every artifact of the command's source, each collection and reference once.
    /// </summary>
    public sealed class ArtifactReferenceCompleter : WandbCompleter
    {
        private protected override IEnumerable<CompletionCandidate> Candidates(CompletionRequest request, string word)
        {
            CompletionSource? chosen = request.Source();
            if (chosen is null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            return CompletionCache.Shared.GetOrLoad("artifact-references|" + chosen.Identity, () => chosen.Source.ArtifactsByName
                .Find(new string[0], new string[0], _ => { }, request.Cancellation)
                .SelectMany(artifact => ArtifactNameCompleter.ReferencesOf(artifact, artifact.RunId is null ? "in the project" : (artifact.Direction == ArtifactDirection.Used ? "used" : "logged") + " by run " + artifact.RunId))
                .GroupBy(candidate => candidate.Value)
                .Select(group => group.First())
                .ToList());
        }
    }
}
