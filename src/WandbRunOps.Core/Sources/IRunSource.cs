using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// Where runs come from: a set of local run folders or one W&amp;B project. Both yield the same
    /// <see cref="WandbRun"/> objects, so a runbook written against one runs unchanged against the other. A source is
    /// made by <see cref="RunSources"/> and is also the <see cref="IRunOrigin"/> of every run it yields.
    /// Runs stream one at a time; a run that cannot be read is reported through the error callback and skipped.
    /// </summary>
    public interface IRunSource : IRunOrigin
    {
        /// <summary>
        /// The runs the selector takes. <paramref name="options"/> belong to this listing only (page size, order,
        /// progress, total count): the runs it yields do not carry them, so one command's options never reach the next.
        /// </summary>
        IEnumerable<WandbRun> GetRuns(RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation);

        /// <summary>
        /// The runs the source can name at the cost of one request at most: locally every run folder whose id the
        /// selector may take (no log is read, so name and filter terms are not checked); over the API the runs of the
        /// listing's first page (see <see cref="RunListOptions.PageSize"/>).
        /// </summary>
        IEnumerable<RunEntry> FindRuns(RunSelector selector, RunListOptions options, Action<WandbException> onError, CancellationToken cancellation);

        /// <summary>The sweeps of the source's project (API) or of the runs under its paths (local).</summary>
        ISweepReader Sweeps { get; }

        /// <summary>Which of the source's runs produced or consumed an artifact version.</summary>
        IArtifactLineage Lineage { get; }

        /// <summary>Artifacts by name, from their own side.</summary>
        IArtifactFinder ArtifactsByName { get; }

        /// <summary>An artifact version's files and their bytes (<c>Save-WandbArtifact</c>).</summary>
        IArtifactFileReader ArtifactFiles { get; }

        /// <summary>The same source, reporting to another command's verbose and warning streams.</summary>
        new IRunSource ReportingTo(Diagnostics.ReadDiagnostics diagnostics);
    }
}
