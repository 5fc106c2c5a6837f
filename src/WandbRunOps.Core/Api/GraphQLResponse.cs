using System;
using System.Collections.Generic;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>The <c>data</c> of a GraphQL answer, with what it took to get it.</summary>
    /// <param name="Data">The answer's <c>data</c>.</param>
    /// <param name="Errors">GraphQL errors that came with partial data (the data is still usable).</param>
    /// <param name="Attempts">How many requests it took (retries included).</param>
    /// <param name="Elapsed">How long all attempts took.</param>
    /// <param name="Bytes">The size of the answer read.</param>
    /// <param name="Log">Lines about the requests, for the verbose and debug streams.</param>
    public sealed record GraphQLResponse(WandbMap Data, IReadOnlyList<string> Errors, int Attempts, TimeSpan Elapsed, long Bytes, IReadOnlyList<ApiLogEntry> Log);
}
