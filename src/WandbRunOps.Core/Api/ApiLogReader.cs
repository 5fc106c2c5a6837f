using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Logs;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// A run's console lines over the W&amp;B API (docs/protocol.md, section 4.2, "Console lines"): <c>logLines(last: N)</c>
    /// for a tail, and for every line the count first, then that many last lines (forward paging needs a newer
    /// server than every W&amp;B Server in use). <c>number</c> is 0-based on the wire; <c>level</c> "error" is stderr.
    /// <c>-Wait</c> polls the count and the state, fetching only the new lines, until the run leaves Running/Pending.
    /// </summary>
    internal sealed class ApiLogReader : IRunLogReader
    {
        /// <summary>The shortest time between two polls of a followed run: a waiting script must not hammer the server.</summary>
        public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(1);

        private readonly GraphQLClient _client;
        private readonly Func<string> _entity;
        private readonly string _project;
        private readonly ReadDiagnostics _diagnostics;

        public ApiLogReader(GraphQLClient client, Func<string> entity, string project, ReadDiagnostics diagnostics)
        {
            _client = client;
            _entity = entity;
            _project = project;
            _diagnostics = diagnostics;
        }

        public IEnumerable<ConsoleLine> Read(WandbRun run, LogQuery query, CancellationToken cancellation)
        {
            string entity = run.Entity ?? _entity();
            string project = run.Project ?? _project;
            return Lines(entity, project, run.Id, query, cancellation);
        }

        private IEnumerable<ConsoleLine> Lines(string entity, string project, string id, LogQuery query, CancellationToken cancellation)
        {
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "run", id } };
            string target = entity + "/" + project + "/" + id;
            long next = 0;
            string? state;
            if (query.Tail is int tail)
            {
                state = Fetch(variables, target, tail, query.Raw, out List<ConsoleLine> lines, cancellation);
                foreach (ConsoleLine line in lines)
                {
                    next = Math.Max(next, line.Number ?? 0);
                    yield return line;
                }
            }
            else
            {
                long count = Count(variables, target, out state, cancellation);
                foreach (ConsoleLine line in New(variables, target, 0, count, query.Raw, cancellation))
                {
                    next = Math.Max(next, line.Number ?? 0);
                    yield return line;
                }

                next = Math.Max(next, count);
            }

            if (!query.Wait)
            {
                yield break;
            }

            TimeSpan interval = query.PollInterval < MinPollInterval ? MinPollInterval : query.PollInterval;
            while (IsActive(state))
            {
                if (cancellation.WaitHandle.WaitOne(interval))
                {
                    cancellation.ThrowIfCancellationRequested();
                }

                long count = Count(variables, target, out state, cancellation);
                foreach (ConsoleLine line in New(variables, target, next, count, query.Raw, cancellation))
                {
                    next = Math.Max(next, line.Number ?? 0);
                    yield return line;
                }

                next = Math.Max(next, count);
            }
        }

        private static bool IsActive(string? state) =>
            string.Equals(state, "running", StringComparison.OrdinalIgnoreCase) || string.Equals(state, "pending", StringComparison.OrdinalIgnoreCase);

        /// <summary>Lines <paramref name="seen"/>+1 … <paramref name="count"/> (1-based): the last count − seen lines.</summary>
        private IEnumerable<ConsoleLine> New(WandbMap variables, string target, long seen, long count, bool raw, CancellationToken cancellation)
        {
            if (count <= seen)
            {
                return Array.Empty<ConsoleLine>();
            }

            long wanted = count - seen;
            Fetch(variables, target, (int)Math.Min(int.MaxValue, wanted), raw, out List<ConsoleLine> lines, cancellation);
            return lines.FindAll(l => l.Number is null || l.Number > seen);
        }

        private long Count(WandbMap variables, string target, out string? state, CancellationToken cancellation)
        {
            GraphQLResponse response = _client.Query("RunLogLineCount", LogQueries.LineCount, variables, cancellation);
            ApiAnswers.Report(_client, _diagnostics, response, "RunLogLineCount " + target);
            WandbMap run = RunOf(response, variables);
            state = run["state"] as string;
            return run["logLineCount"] is long count ? count : 0;
        }

        /// <summary>The last <paramref name="last"/> lines, in the order W&amp;B sends them (ascending); returns the run's state.</summary>
        private string? Fetch(WandbMap variables, string target, int last, bool raw, out List<ConsoleLine> lines, CancellationToken cancellation)
        {
            var withLast = new WandbMap { { "entity", variables["entity"] }, { "project", variables["project"] }, { "run", variables["run"] }, { "last", (long)last } };
            GraphQLResponse response = _client.Query("RunLogLines", LogQueries.LastLines, withLast, cancellation);
            ApiAnswers.Report(_client, _diagnostics, response, "RunLogLines " + target);
            WandbMap run = RunOf(response, variables);
            if (!(run["logLines"] is WandbMap connection))
            {
                throw new WandbException(WandbErrorKind.ProtocolError, "The RunLogLines answer for " + target + " has no logLines connection.", target);
            }

            lines = new List<ConsoleLine>();
            foreach (WandbMap edge in ApiAnswers.Edges(connection))
            {
                if (!(edge["node"] is WandbMap node))
                {
                    continue;
                }

                string text = node["line"] as string ?? string.Empty;
                lines.Add(new ConsoleLine(
                    node["number"] is long number ? number + 1 : (long?)null,
                    TimeValues.ParseIso(node["timestamp"] as string),
                    StreamOf(node["level"]),
                    raw ? text : ConsoleText.StripEscapes(text)));
            }

            return run["state"] as string;
        }

        /// <summary>W&amp;B's <c>level</c>: "error" for stderr, empty for stdout; absent where it does not know.</summary>
        private static string? StreamOf(object? level) => level switch
        {
            null => null,
            string text when string.Equals(text, "error", StringComparison.OrdinalIgnoreCase) => "stderr",
            _ => "stdout",
        };

        private static WandbMap RunOf(GraphQLResponse response, WandbMap variables)
        {
            if (!(response.Data["project"] is WandbMap project) || !(project["run"] is WandbMap run))
            {
                throw ApiAnswers.NotFound(response.Data, (string)variables["entity"]!, (string)variables["project"]!, variables["run"] as string);
            }

            return run;
        }
    }
}
