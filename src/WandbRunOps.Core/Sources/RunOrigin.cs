using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// The source a run object came from, kept off the public object (so ConvertTo-Json and views never reach a client
    /// or its key) but available to the cmdlets that follow it in a pipeline.
    /// </summary>
    public static class RunOrigin
    {
        /// <summary>
        /// The API source that produced <paramref name="run"/> (same server, key and entity), reporting to the calling
        /// command's <paramref name="diagnostics"/>; null for local runs and rebuilt objects.
        /// </summary>
        public static IRunSource? ApiSourceOf(WandbRun run, Diagnostics.ReadDiagnostics diagnostics) => run.ApiSource?.WithDiagnostics(diagnostics);
    }
}
