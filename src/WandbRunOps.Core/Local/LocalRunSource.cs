using System;
using System.Collections.Generic;
using System.Threading;
using System.Linq;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Local
{
    /// <summary>
    /// The local source: runs from the folders the wandb SDK writes. Streams one run at a time, oldest first; ids are
    /// filtered from folder names before any log is read, and a run that cannot be read is reported and skipped.
    /// </summary>
    public sealed class LocalRunSource : IRunSource
    {
        private readonly ReadDiagnostics _diagnostics;
        private readonly LocalRunReader _reader;
        private readonly IReadOnlyList<string> _paths;

        /// <summary>A source over <paramref name="paths"/>: wandb folders, project folders, run folders or .wandb files.</summary>
        public LocalRunSource(IReadOnlyList<string> paths, ReadDiagnostics diagnostics, Func<DateTime>? utcNow = null)
        {
            _paths = paths;
            _diagnostics = diagnostics;
            _reader = new LocalRunReader(diagnostics, utcNow);
        }

        public IReadOnlyList<string> Paths => _paths;

        public Action<long, double>? TotalCount { get; set; }

        /// <summary>Reports progress as (runs read, runs to read) so long scans can show it.</summary>
        public Action<int, int>? Progress { get; set; }

        public IEnumerable<WandbRun> GetRuns(RunSelector selector, Action<WandbException> onError, CancellationToken cancellation)
        {
            IReadOnlyList<RunFolderGroup> groups = FindRuns(selector, onError);

            // Exact unless runs must still be checked against their logs (names, filters, predicates).
            TotalCount?.Invoke(groups.Count, selector.HasNameTerms || selector.Filter is { IsEmpty: false } || selector.Predicate is not null ? 0.5 : 1.0);
            return ReadRuns(groups, selector, onError, cancellation);
        }

        /// <summary>The run folders whose ids the selector may match: directory listings only, no log is read.</summary>
        public IReadOnlyList<RunFolderGroup> FindRuns(RunSelector selector, Action<WandbException> onError)
        {
            IReadOnlyList<RunFolderGroup> groups = RunFolderScanner.Scan(_paths, onError, _diagnostics.Warning);
            _diagnostics.Verbose("Found " + groups.Count + " run(s) in " + string.Join(", ", _paths) + ".");
            return groups.Where(g => selector.MayMatchId(g.RunId)).ToList();
        }

        /// <summary>Reads the runs one at a time, in order; a run that cannot be read is reported and skipped.</summary>
        private IEnumerable<WandbRun> ReadRuns(IReadOnlyList<RunFolderGroup> groups, RunSelector selector, Action<WandbException> onError, CancellationToken cancellation)
        {
            int done = 0;
            foreach (RunFolderGroup group in groups)
            {
                cancellation.ThrowIfCancellationRequested();
                Progress?.Invoke(done++, groups.Count);
                WandbRun run;
                try
                {
                    run = _reader.Read(group, cancellation);
                }
                catch (WandbException e)
                {
                    onError(e);
                    continue;
                }

                if (selector.Matches(run))
                {
                    yield return run;
                }
            }
        }

        public string TargetFor(string runId) => runId;

        /// <summary>
        /// The artifacts a local run logged or used, as read from its log. A run object that did not come from this
        /// reader (rebuilt from rows, or deserialized) is read again from its folder.
        /// </summary>
        public IReadOnlyList<WandbArtifact> GetArtifacts(WandbRun run, ArtifactDirection direction, CancellationToken cancellation)
        {
            LocalRunDetails details = (run.LocalDetails ?? Reread(run, cancellation).LocalDetails)!;
            return direction == ArtifactDirection.Logged ? details.LoggedArtifacts : details.UsedArtifacts;
        }

        /// <summary>
        /// A local run's history rows, read from its run folder(s) (see <see cref="History.LocalHistoryReader"/>); a run
        /// object that did not come from this reader is found again under its path.
        /// </summary>
        public IEnumerable<History.HistoryRow> GetHistory(WandbRun run, History.HistoryQuery query, CancellationToken cancellation) =>
            new History.LocalHistoryReader(_diagnostics).Read(run, query, cancellation);

        private WandbRun Reread(WandbRun run, CancellationToken cancellation) =>
            _reader.Read(RunFolderScanner.Refind(run, "artifacts"), cancellation);
    }
}
