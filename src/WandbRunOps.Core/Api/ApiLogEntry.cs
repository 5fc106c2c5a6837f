namespace WandbRunOps.Api
{
    /// <summary>
    /// A line about a request for the verbose or debug stream. Requests may run on a background thread (prefetch), so
    /// they collect these and the pipeline thread writes them when it takes the result.
    /// </summary>
    public sealed class ApiLogEntry
    {
        public ApiLogEntry(bool debug, string message)
        {
            Debug = debug;
            Message = message;
        }

        /// <summary>True for -Debug detail (status codes, retry waits); false for the -Verbose line.</summary>
        public bool Debug { get; }

        public string Message { get; }

        public override string ToString() => Message;
    }
}
