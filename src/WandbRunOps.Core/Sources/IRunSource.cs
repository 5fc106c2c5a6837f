using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// Where runs come from: local run folders or the W&amp;B API. Both yield the same <see cref="WandbRun"/> and
    /// <see cref="WandbArtifact"/> objects, so a runbook written against one runs unchanged against the other.
    /// Runs stream one at a time; a run that cannot be read is reported through the error callback and skipped.
    /// </summary>
    public interface IRunSource
    {
        /// <summary>Called once, before the first run, with the number of runs the listing will look at and how exact that is.</summary>
        Action<long, double>? TotalCount { get; set; }

        IEnumerable<WandbRun> GetRuns(RunSelector selector, Action<WandbException> onError, CancellationToken cancellation);

        IReadOnlyList<WandbArtifact> GetArtifacts(WandbRun run, ArtifactDirection direction, CancellationToken cancellation);

        /// <summary>
        /// The run's history rows in the query's step range and keys, in step order, streamed: rows are read (locally) or
        /// fetched page by page (API) as they are enumerated, and cancelling stops the scan.
        /// </summary>
        IEnumerable<HistoryRow> GetHistory(WandbRun run, History.HistoryQuery query, CancellationToken cancellation);

        /// <summary>How errors name a run of this source: its id locally, <c>entity/project/id</c> over the API.</summary>
        string TargetFor(string runId);
    }
}
