using System.Threading;
using WandbRunOps.Artifacts;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Local
{
    /// <summary>Local lineage: a run belongs when its own log records logging (or using) the artifact the reference names.</summary>
    internal sealed class LocalArtifactLineage : IArtifactLineage
    {
        public RunLineage Find(ArtifactReference reference, ArtifactDirection direction, CancellationToken cancellation)
        {
            var selector = new ArtifactSelector(new[] { reference.ToString() });
            return RunLineage.Where(run => run.LocalDetails is LocalRunDetails details
                && selector.Select(direction == ArtifactDirection.Logged ? details.LoggedArtifacts : details.UsedArtifacts, out _).Count > 0);
        }
    }
}
