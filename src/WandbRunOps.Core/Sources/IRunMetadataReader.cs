using System.Threading;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>A source's reader of a run's metadata (Local/LocalMetadataReader, Api/ApiMetadataReader).</summary>
    public interface IRunMetadataReader
    {
        /// <summary>What the run recorded about its start; every fact null where it recorded none.</summary>
        RunMetadata Read(WandbRun run, CancellationToken cancellation);
    }
}
