using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>What every reader of the API source does with an answer: walk it, name what is missing, and report the request.</summary>
    internal static class ApiAnswers
    {
        /// <summary>The value at <paramref name="keys"/> under <paramref name="map"/>, or null where a step is missing.</summary>
        public static object? Path(WandbMap? map, params string[] keys)
        {
            object? current = map;
            foreach (string key in keys)
            {
                current = (current as WandbMap)?[key];
            }

            return current;
        }

        /// <summary>The edges of a GraphQL connection.</summary>
        public static IEnumerable<WandbMap> Edges(WandbMap connection) => (connection["edges"] as IReadOnlyList<object?> ?? Array.Empty<object?>()).OfType<WandbMap>();

        /// <summary>The <c>project { run }</c> object of an answer about one run; the catalogue's not-found error when either is missing.</summary>
        public static WandbMap RunOf(WandbMap data, string entity, string project, string runId) =>
            Path(data, "project", "run") as WandbMap ?? throw NotFound(data, entity, project, runId);

        /// <summary>The project is missing (or the key cannot see it), else the run is.</summary>
        public static WandbException NotFound(WandbMap data, string entity, string project, string? runId) =>
            data["project"] is null
                ? new WandbException(WandbErrorKind.ProjectNotFound, "Project " + entity + "/" + project + " was not found (or the key cannot see it).", entity + "/" + project)
                : RunNotFound(entity, project, runId);

        /// <summary>The run is not in its project.</summary>
        public static WandbException RunNotFound(string entity, string project, string? runId) =>
            new WandbException(WandbErrorKind.RunNotFound, "Run " + entity + "/" + project + "/" + runId + " was not found.", entity + "/" + project + "/" + runId);

        /// <summary>The request as a verbose line (time, retries), the client's debug log, and errors W&amp;B sent with partial data as warnings.</summary>
        public static void Report(GraphQLClient client, ReadDiagnostics diagnostics, GraphQLResponse response, string what)
        {
            foreach (ApiLogEntry entry in response.Log)
            {
                if (entry.Debug)
                {
                    diagnostics.Debug(entry.Message);
                }
            }

            diagnostics.Verbose(
                "POST " + client.Endpoint + " " + what + " in " + response.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms" +
                (response.Attempts > 1 ? " (" + (response.Attempts - 1) + " retr" + (response.Attempts == 2 ? "y" : "ies") + ")" : string.Empty) + ".");
            foreach (string error in response.Errors)
            {
                diagnostics.Warning("W&B reported an error with partial data: " + error);
            }
        }
    }
}
