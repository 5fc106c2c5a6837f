using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Artifacts;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Artifacts by name in local run folders: the artifacts the runs' logs record logging (their producers) and using,
    /// each version once, matched as the run cmdlets' -Name matches them.
    /// </summary>
    internal sealed class LocalArtifactFinder : IArtifactFinder
    {
        private readonly LocalRunSource _runs;

        public LocalArtifactFinder(LocalRunSource runs) => _runs = runs;

        public IEnumerable<WandbArtifact> Find(IReadOnlyList<string> names, IReadOnlyList<string> types, Action<WandbException> onError, CancellationToken cancellation)
        {
            var all = new List<WandbArtifact>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (WandbRun run in _runs.GetRuns(new RunSelector(null, null), new RunListOptions(), onError, cancellation))
            {
                foreach (WandbArtifact artifact in _runs.Artifacts.Read(run, ArtifactDirection.Logged, cancellation).Concat(_runs.Artifacts.Read(run, ArtifactDirection.Used, cancellation)))
                {
                    // A version several runs used is one artifact; a logged one is listed with the run that made it.
                    if (seen.Add(artifact.Id ?? artifact.Name + "@" + artifact.Digest + "@" + artifact.RunId))
                    {
                        all.Add(artifact);
                    }
                }
            }

            IEnumerable<WandbArtifact> typed = all.Where(a => types.Count == 0 || types.Contains(a.Type ?? string.Empty, StringComparer.OrdinalIgnoreCase));
            IReadOnlyList<WandbArtifact> kept = new ArtifactSelector(names).Select(typed, out IReadOnlyList<string> unmatched);
            foreach (string missing in unmatched)
            {
                onError(new WandbException(WandbErrorKind.ArtifactNotFound, "No run under " + string.Join(", ", _runs.Paths) + " logged or used artifact '" + missing + "'.", missing));
            }

            return kept;
        }
    }
}
