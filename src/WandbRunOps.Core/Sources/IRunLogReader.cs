using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Logs;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>A source's reader of a run's console output (Local/LocalLogReader, Api/ApiLogReader).</summary>
    public interface IRunLogReader
    {
        /// <summary>
        /// The run's console lines, oldest first, streamed; with <see cref="LogQuery.Wait"/> the enumeration goes on
        /// while the run runs. Cancelling stops it at once.
        /// </summary>
        IEnumerable<ConsoleLine> Read(WandbRun run, LogQuery query, CancellationToken cancellation);
    }
}
