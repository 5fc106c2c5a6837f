namespace WandbRunOps.Api
{
    /// <summary>
    /// A line about a request for the verbose or debug stream. Requests may run on a background thread (prefetch), so
    /// they collect these and the pipeline thread writes them when it takes the result.
    /// </summary>
    /// <param name="Debug">True for -Debug detail (status codes, retry waits); false for the -Verbose line.</param>
    /// <param name="Message">The line.</param>
    public sealed record ApiLogEntry(bool Debug, string Message)
    {
        public override string ToString() => Message;
    }
}
