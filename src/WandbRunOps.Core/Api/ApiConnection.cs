using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// The one way a reader walks a paged GraphQL connection (Relay style: <c>edges { node }</c> and <c>pageInfo {
    /// endCursor hasNextPage }</c>): one request per page, each reported to -Verbose, the nodes streamed as they come.
    /// </summary>
    internal static class ApiConnection
    {
        /// <param name="client">The server and key.</param>
        /// <param name="diagnostics">Where each request is reported.</param>
        /// <param name="operation">The query's operation name.</param>
        /// <param name="query">The query; it takes <c>$cursor</c>.</param>
        /// <param name="variables">Its variables; <c>cursor</c> is set here.</param>
        /// <param name="connectionOf">Where the connection is in an answer; null when it is missing.</param>
        /// <param name="missing">The error for an answer without the connection (the project or the collection is not there).</param>
        /// <param name="what">What the request is, for -Verbose.</param>
        /// <param name="cancellation">Ctrl+C.</param>
        public static IEnumerable<WandbMap> Nodes(
            GraphQLClient client, ReadDiagnostics diagnostics, string operation, string query, WandbMap variables,
            Func<WandbMap, WandbMap?> connectionOf, Func<WandbMap, Exception> missing, string what, CancellationToken cancellation)
        {
            string? cursor = null;
            for (int page = 1; ; page++)
            {
                variables.Set("cursor", cursor);
                GraphQLResponse response = client.Query(operation, query, variables, cancellation);
                ApiAnswers.Report(client, diagnostics, response, what + " page " + page);
                WandbMap connection = connectionOf(response.Data) ?? throw missing(response.Data);
                foreach (WandbMap edge in ApiAnswers.Edges(connection))
                {
                    if (edge["node"] is WandbMap node)
                    {
                        yield return node;
                    }
                }

                if (!(ApiAnswers.Path(connection, "pageInfo", "hasNextPage") is true) || !(ApiAnswers.Path(connection, "pageInfo", "endCursor") is string next))
                {
                    yield break;
                }

                cursor = next;
            }
        }
    }
}
