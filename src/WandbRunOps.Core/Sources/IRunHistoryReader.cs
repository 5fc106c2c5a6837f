using System.Collections.Generic;
using System.Threading;
using WandbRunOps.History;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>A source's reader of run history (Local/LocalHistoryReader, Api/ApiHistoryReader).</summary>
    public interface IRunHistoryReader
    {
        /// <summary>
        /// The run's history rows in the query's step range and keys, in step order, streamed: rows are read (locally) or
        /// fetched page by page (API) as they are enumerated, and cancelling stops the scan.
        /// </summary>
        IEnumerable<HistoryRow> Read(WandbRun run, HistoryQuery query, CancellationToken cancellation);
    }
}
