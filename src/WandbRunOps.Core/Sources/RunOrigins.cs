using WandbRunOps.Diagnostics;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// The source a run object came from, kept off the public object (so ConvertTo-Json and views never reach a client
    /// or its key) but available to the cmdlets that follow it in a pipeline.
    /// </summary>
    public static class RunOrigins
    {
        /// <summary>
        /// The source that read <paramref name="run"/>, reporting to the calling command's <paramref name="diagnostics"/>;
        /// null for a run object no source of this module read (rebuilt from a hashtable, a CSV row, JSON).
        /// </summary>
        public static IRunSource? Of(WandbRun run, ReadDiagnostics diagnostics) => run.Origin?.ReportingTo(diagnostics);

        /// <summary>The source that read <paramref name="artifact"/>, as <see cref="Of(WandbRun, ReadDiagnostics)"/>; null for one rebuilt from text.</summary>
        public static IRunSource? Of(WandbArtifact artifact, ReadDiagnostics diagnostics) => artifact.Origin?.ReportingTo(diagnostics);

        /// <summary>
        /// True for a local run object that no source of this module read but that names a folder: one PowerShell
        /// built from a hashtable (<c>@{Id='x'; Path='/etc'} | Get-RunSummary</c> converts it to a run) or a script
        /// made. Its folder is then read, so a folder that holds no such run is an error, never a row made up from
        /// the hashtable.
        /// </summary>
        public static bool NamesUnreadFolder(WandbRun run) =>
            run.Source == RunSource.Local && run.Origin is null && run.LocalDetails is null && !string.IsNullOrEmpty(run.Path);
    }
}
