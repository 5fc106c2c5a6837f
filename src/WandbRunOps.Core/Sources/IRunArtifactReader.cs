using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>A source's reader of the artifacts a run logged or used (locally from its log; over the API, paged).</summary>
    public interface IRunArtifactReader
    {
        IReadOnlyList<WandbArtifact> Read(WandbRun run, ArtifactDirection direction, CancellationToken cancellation);
    }
}
