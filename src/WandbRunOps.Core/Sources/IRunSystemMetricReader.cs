using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Model;
using WandbRunOps.SystemMetrics;

namespace WandbRunOps.Sources
{
    /// <summary>A source's reader of a run's system metrics (Local/LocalSystemMetricReader, Api/ApiSystemMetricReader).</summary>
    public interface IRunSystemMetricReader
    {
        /// <summary>The run's samples in time order, with the query's metrics, streamed as they are read.</summary>
        IEnumerable<SystemMetricRow> Read(WandbRun run, SystemMetricQuery query, CancellationToken cancellation);
    }
}
