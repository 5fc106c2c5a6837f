using WandbRunOps.Diagnostics;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// What can read more of a run than the run object holds: the source that produced it. A run keeps its origin
    /// off its public surface (so views, ConvertTo-Json and Export-Csv never reach a client or its key), and the
    /// commands a run is piped to ask it through <see cref="RunOrigins"/>.
    /// <para>
    /// Each further thing a source can do for a run is one small capability interface, reached by a property here:
    /// today <see cref="History"/> and <see cref="Artifacts"/>. A new read (console log, system metrics, files,
    /// metadata) or change (tags, notes, config, stop, delete) is added the same way: an interface in this folder, a
    /// property here, an implementation per source. A source whose runs cannot take a change (local run folders are
    /// records) returns an implementation that refuses it with the catalogue error
    /// <see cref="Errors.WandbErrorKind.ReadOnlySource"/>, so no cmdlet ever asks which kind of source it holds.
    /// </para>
    /// </summary>
    public interface IRunOrigin
    {
        /// <summary>How errors name a run of this source: its id locally, <c>entity/project/id</c> over the API.</summary>
        string TargetFor(string runId);

        /// <summary>A run's history rows (<c>Get-RunHistory</c>).</summary>
        IRunHistoryReader History { get; }

        /// <summary>The artifacts a run logged or used (<c>Get-RunLoggedArtifact</c>, <c>Get-RunUsedArtifact</c>).</summary>
        IRunArtifactReader Artifacts { get; }

        /// <summary>A run's system metrics (<c>Get-RunSystemMetric</c>).</summary>
        IRunSystemMetricReader SystemMetrics { get; }

        /// <summary>How and where a run was started (<c>Get-RunMetadata</c>).</summary>
        IRunMetadataReader Metadata { get; }
        /// <summary>A run's console lines (<c>Get-RunLog</c>).</summary>
        IRunLogReader Logs { get; }
        /// <summary>A run's files, and their bytes (<c>Get-RunFile</c>, <c>Save-RunFile</c>).</summary>
        IRunFileReader Files { get; }

        /// <summary>Changes to a run's fields, and stopping it (<c>Set-WandbRun</c>, <c>Stop-WandbRun</c>); local runs refuse them.</summary>
        IRunChanger Changes { get; }

        /// <summary>Removing a run (<c>Remove-WandbRun</c>): a delete over the API, the run's folders locally.</summary>
        IRunRemover Removal { get; }

        /// <summary>The runs read again as they are now (<c>Wait-WandbRun</c>).</summary>
        IRunRefresher Refresh { get; }

        /// <summary>The same origin, reporting to another command's verbose and warning streams.</summary>
        IRunOrigin ReportingTo(ReadDiagnostics diagnostics);
    }
}
