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
    /// Its history reader is <see cref="LocalHistoryReader"/>; artifacts come from the run's log.
    /// </summary>
    public sealed class LocalRunSource : IRunSource, IRunArtifactReader, IRunRefresher
    {
        private readonly ReadDiagnostics _diagnostics;
        private readonly LocalRunReader _reader;
        private readonly IReadOnlyList<string> _paths;
        private readonly Func<DateTime>? _utcNow;

        /// <summary>A source over <paramref name="paths"/>: wandb folders, project folders, run folders or .wandb files.</summary>
        public LocalRunSource(IReadOnlyList<string> paths, ReadDiagnostics diagnostics, Func<DateTime>? utcNow = null)
        {
            _paths = paths;
            _diagnostics = diagnostics;
            _utcNow = utcNow;
            _reader = new LocalRunReader(diagnostics, utcNow);
        }

        public IReadOnlyList<string> Paths => _paths;

        public IRunHistoryReader History => new LocalHistoryReader(_diagnostics);

        public IRunArtifactReader Artifacts => this;

        public IRunSystemMetricReader SystemMetrics => new LocalSystemMetricReader(_diagnostics);

        public IRunMetadataReader Metadata => new LocalMetadataReader(_diagnostics);
        public IRunLogReader Logs => new LocalLogReader(_diagnostics);
        public IRunFileReader Files => new LocalFileReader(_diagnostics);

        public IRunChanger Changes => new ReadOnlyRunChanger();

        public IRunRemover Removal => new LocalRunRemover(_diagnostics);

        public IRunRefresher Refresh => this;

        public ISweepReader Sweeps => new LocalSweepReader(this);

        public IArtifactLineage Lineage => new LocalArtifactLineage();

        public IArtifactFinder ArtifactsByName => new LocalArtifactFinder(this);

        public IArtifactFileReader ArtifactFiles => new LocalArtifactFiles(_diagnostics);

        public IRunSource ReportingTo(ReadDiagnostics diagnostics) => new LocalRunSource(_paths, diagnostics, _utcNow);

        IRunOrigin IRunOrigin.ReportingTo(ReadDiagnostics diagnostics) => ReportingTo(diagnostics);

        public IEnumerable<WandbRun> GetRuns(RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation)
        {
            IReadOnlyList<RunFolderGroup> groups = Candidates(selector, options, onError);

            // Exact unless runs must still be checked against their logs (names, filters, predicates).
            options.TotalCount?.Invoke(groups.Count, selector.HasNameTerms || selector.Filter is { IsEmpty: false } || selector.Predicate is not null ? 0.5 : 1.0);
            IEnumerable<WandbRun> runs = ReadRuns(groups, selector, options, onError, cancellation);
            return options.Order is null ? runs : options.Order.Sort(runs);
        }

        public IEnumerable<RunEntry> FindRuns(RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation) =>
            Candidates(selector, options, onError).Select(g => new RunEntry(g.RunId, g.Folders.Select(f => f.Path).ToArray(), null));

        /// <summary>The run folders whose ids the selector may match, in the listing's order: directory listings only, no log is read.</summary>
        private IReadOnlyList<RunFolderGroup> Candidates(RunSelector selector, RunListOptions options, Action<WandbException> onError)
        {
            IReadOnlyList<RunFolderGroup> groups = RunFolderScanner.Scan(_paths, onError, _diagnostics.Warning);
            _diagnostics.Verbose("Found " + groups.Count + " run(s) in " + string.Join(", ", _paths) + ".");
            IEnumerable<RunFolderGroup> candidates = groups.Where(g => selector.MayMatchId(g.RunId));
            return (options.NewestFirst && options.Order is null ? candidates.Reverse() : candidates).ToList();
        }

        /// <summary>Reads the runs one at a time, in order; a run that cannot be read is reported and skipped.</summary>
        private IEnumerable<WandbRun> ReadRuns(IReadOnlyList<RunFolderGroup> groups, RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation)
        {
            int done = 0;
            foreach (RunFolderGroup group in groups)
            {
                cancellation.ThrowIfCancellationRequested();
                options.Progress?.Invoke(new ListingProgress(done++, groups.Count, page: 0));
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

                run.Origin = this;
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
        IReadOnlyList<WandbArtifact> IRunArtifactReader.Read(WandbRun run, ArtifactDirection direction, CancellationToken cancellation)
        {
            LocalRunDetails details = (run.LocalDetails ?? Reread(run, "artifacts", cancellation).LocalDetails)!;
            return direction == ArtifactDirection.Logged ? details.LoggedArtifacts : details.UsedArtifacts;
        }

        /// <summary>Each run's folder(s) read again as they are on disk now; a removed folder is WandbPathNotFound for that run.</summary>
        IEnumerable<WandbRun> IRunRefresher.Refresh(IReadOnlyList<WandbRun> runs, Action<WandbException> onError, CancellationToken cancellation)
        {
            foreach (WandbRun run in runs)
            {
                cancellation.ThrowIfCancellationRequested();
                WandbRun fresh;
                try
                {
                    fresh = Reread(run, "state", cancellation);
                    if (run.LocalDetails?.FromLog == true && fresh.LocalDetails?.FromLog != true)
                    {
                        // Its folder is still there but its log is gone (being removed): the run did not end, and what
                        // is left of its files must not read as a crash.
                        throw new WandbException(WandbErrorKind.PathNotFound, "The run log of run '" + run.Id + "' in '" + run.Path + "' no longer exists: the run was removed while it was waited on.", run.Folders.LastOrDefault() ?? run.Path);
                    }
                }
                catch (WandbException e)
                {
                    onError(e);
                    continue;
                }

                fresh.Origin = this;
                yield return fresh;
            }
        }

        private WandbRun Reread(WandbRun run, string purpose, CancellationToken cancellation) =>
            _reader.Read(RunFolderScanner.Refind(run, purpose), cancellation);
    }
}
