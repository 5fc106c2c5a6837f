using System;
using System.Collections.Generic;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>The <c>data</c> of a GraphQL answer, with what it took to get it.</summary>
    public sealed class GraphQLResponse
    {
        public GraphQLResponse(WandbMap data, IReadOnlyList<string> errors, int attempts, TimeSpan elapsed, long bytes, IReadOnlyList<ApiLogEntry> log)
        {
            Data = data;
            Errors = errors;
            Attempts = attempts;
            Elapsed = elapsed;
            Bytes = bytes;
            Log = log;
        }

        public WandbMap Data { get; }

        /// <summary>GraphQL errors that came with partial data (the data is still usable).</summary>
        public IReadOnlyList<string> Errors { get; }

        public int Attempts { get; }

        public TimeSpan Elapsed { get; }

        public long Bytes { get; }

        public IReadOnlyList<ApiLogEntry> Log { get; }
    }
}
