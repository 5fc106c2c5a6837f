using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Artifacts;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// Lineage from the artifact's side (Get-WandbRun -UsedArtifact / -LoggedArtifact): which runs of the source
    /// produced or consumed an artifact version. Over the API the artifact's own <c>createdBy</c>/<c>usedBy</c> fields,
    /// so the cost does not grow with the project's run count; locally the artifact records of each run read.
    /// </summary>
    public interface IArtifactLineage
    {
        /// <summary>The runs that logged (<see cref="ArtifactDirection.Logged"/>) or used the artifact <paramref name="reference"/> names.</summary>
        RunLineage Find(ArtifactReference reference, ArtifactDirection direction, CancellationToken cancellation);
    }

    /// <summary>Which runs a lineage question keeps: the ids the server named, or a check of each run's own records.</summary>
    public sealed class RunLineage
    {
        private RunLineage(IReadOnlyList<string>? runIds, Func<WandbRun, bool>? predicate)
        {
            RunIds = runIds;
            Predicate = predicate;
        }

        /// <summary>The ids of the runs (API), or null when each run is checked instead.</summary>
        public IReadOnlyList<string>? RunIds { get; }

        /// <summary>The check of one run (local), or null when the ids are known.</summary>
        public Func<WandbRun, bool>? Predicate { get; }

        public static RunLineage Of(IReadOnlyList<string> runIds) => new RunLineage(runIds, null);

        public static RunLineage Where(Func<WandbRun, bool> predicate) => new RunLineage(null, predicate);
    }
}
