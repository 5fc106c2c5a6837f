using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.History;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// A run's history over the W&amp;B API.
    /// <list type="bullet">
    /// <item>All keys: a full scan in step pages ([minStep, minStep + page size), from step 0 to
    /// <c>historyKeys.lastStep</c>), the next page requested while the current one is handed on.</item>
    /// <item>Named keys: one <c>sampledHistory</c> request per key (and one for <c>_runtime</c>/<c>_timestamp</c>) per
    /// step page, outer-joined on <c>_step</c>. W&amp;B returns only rows that hold every key of a spec, so asking for
    /// several keys at once drops every step where one of them is missing; one key per spec drops nothing.</item>
    /// <item>-Samples: <c>history(samples:)</c>, or <c>sampledHistory</c> with that many samples per key.</item>
    /// </list>
    /// Rows come in step order. Cancelling stops the scan and the request in flight.
    /// </summary>
    internal sealed class ApiHistoryReader
    {
        private static readonly string[] TimeKeys = { HistoryRow.StepKey, HistoryRow.RuntimeKey, HistoryRow.TimestampKey };

        private readonly GraphQLClient _client;
        private readonly string _entity;
        private readonly string _project;
        private readonly string _run;
        private readonly ReadDiagnostics _diagnostics;
        private int _skippedRows;

        public ApiHistoryReader(GraphQLClient client, string entity, string project, string run, ReadDiagnostics diagnostics)
        {
            _client = client;
            _entity = entity;
            _project = project;
            _run = run;
            _diagnostics = diagnostics;
        }

        private string Target => _entity + "/" + _project + "/" + _run;

        public IEnumerable<HistoryRow> Read(HistoryQuery query, CancellationToken cancellation)
        {
            WandbMap? historyKeys = HistoryKeys(cancellation);
            long lastStep = historyKeys?["lastStep"] is long last ? last : -1;
            long from = Math.Max(0, query.MinStep ?? 0);
            long to = Math.Min(lastStep, query.MaxStep ?? lastStep);
            if (to < from)
            {
                _diagnostics.Verbose("Run " + Target + " has no history steps in the range asked for (last step " + lastStep + ").");
                yield break;
            }

            IEnumerable<HistoryRow> rows;
            if (!query.HasKeys)
            {
                rows = query.Samples is int samples
                    ? Consume(Await(FetchFullPage(from, to + 1, samples, cancellation)))
                    : Paged(from, to, query.PageSize, (start, end, token) => FetchFullPage(start, end, query.PageSize, token), cancellation);
            }
            else if (ResolveKeys(query, historyKeys) is IReadOnlyList<string> keys)
            {
                rows = query.Samples is int samples
                    ? Consume(Await(FetchJoined(keys, from, to, samples, withTimesInEachSpec: true, cancellation)))
                    : Paged(from, to, query.PageSize, (start, end, token) => FetchJoined(keys, start, end - 1, query.PageSize, withTimesInEachSpec: false, token), cancellation);
            }
            else
            {
                // Wildcards, and a server that does not list its history keys: scan everything and pick the keys here.
                _diagnostics.Verbose("W&B did not list the history keys of " + Target + "; scanning the full history to match -Key.");
                rows = Paged(from, to, query.PageSize, (start, end, token) => FetchFullPage(start, end, query.PageSize, token), cancellation)
                    .Select(query.Select)
                    .Where(r => r is not null)
                    .Select(r => r!);
                if (query.Samples is int samples)
                {
                    rows = SampleEach(rows.ToList(), query, samples);
                }
            }

            foreach (HistoryRow row in rows)
            {
                cancellation.ThrowIfCancellationRequested();
                if (query.InRange(row.Step))
                {
                    yield return row;
                }
            }

            if (_skippedRows > 0)
            {
                _diagnostics.Warning("W&B sent " + _skippedRows + " history row" + (_skippedRows == 1 ? string.Empty : "s") + " of " + Target + " without a readable _step; they were skipped.");
            }
        }

        /// <summary>The run's <c>historyKeys</c> (<c>{"lastStep": n, "keys": {…}}</c>); a missing project or run is an error.</summary>
        private WandbMap? HistoryKeys(CancellationToken cancellation)
        {
            GraphQLResponse response = _client.Query("RunHistoryKeys", HistoryQueries.HistoryKeys, Variables(), cancellation);
            ApiAnswers.Report(_client, _diagnostics, response, "RunHistoryKeys " + Target);
            WandbMap run = RunOf(response);
            return run["historyKeys"] switch
            {
                WandbMap map => map,
                string text when ExtendedJson.TryParse(text, out object? parsed, out _) => parsed as WandbMap,
                _ => null,
            };
        }

        /// <summary>
        /// The actual key names to fetch: the named keys matched against the run's history keys (case-insensitive, as
        /// locally); literal names W&amp;B does not list are still asked for. Null when wildcards cannot be resolved.
        /// </summary>
        private static IReadOnlyList<string>? ResolveKeys(HistoryQuery query, WandbMap? historyKeys)
        {
            var keys = new List<string>();
            if (historyKeys?["keys"] is WandbMap listed)
            {
                keys.AddRange(listed.Keys.Where(query.Wants));
            }
            else if (!query.AllLiteral)
            {
                return null;
            }

            foreach (string literal in query.AllLiteral ? query.LiteralKeys : query.Keys!.Where(k => !Wildcard.IsPattern(k)).Select(Wildcard.Unescape))
            {
                if (!keys.Any(k => string.Equals(k, literal, StringComparison.OrdinalIgnoreCase)))
                {
                    keys.Add(literal);
                }
            }

            return keys;
        }

        /// <summary>
        /// Pages over [from, to] (inclusive), the next page requested while the current one is handed on. Requests run
        /// off the pipeline thread; what they report is passed on here, on the caller's thread.
        /// </summary>
        private IEnumerable<HistoryRow> Paged(
            long from, long to, int pageSize, Func<long, long, CancellationToken, Task<Page>> fetch, CancellationToken cancellation)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            long size = Math.Max(1, pageSize);
            Task<Page>? next = Start(from);
            try
            {
                for (long start = from; start <= to; start += size)
                {
                    Page page = Await(next!);
                    next = start + size <= to ? Start(start + size) : null;
                    foreach (HistoryRow row in Consume(page))
                    {
                        cancellation.ThrowIfCancellationRequested();
                        yield return row;
                    }
                }
            }
            finally
            {
                // Stopped early or failed: cancel the prefetch in flight and observe its outcome.
                stop.Cancel();
                next?.ContinueWith(t => t.Exception, TaskScheduler.Default);
            }

            Task<Page> Start(long start)
            {
                long end = Math.Min(start + size, to + 1);
                return Task.Run(() => fetch(start, end, stop.Token), stop.Token);
            }
        }

        /// <summary>Reports what a page's requests did (on the caller's thread) and hands on its rows.</summary>
        private List<HistoryRow> Consume(Page page)
        {
            foreach (var (response, what) in page.Reports)
            {
                ApiAnswers.Report(_client, _diagnostics, response, what);
            }

            _skippedRows += page.Skipped;
            return page.Rows;
        }

        /// <summary>One HistoryPage request: the rows with steps in [minStep, maxStep), at most <paramref name="samples"/>.</summary>
        private async Task<Page> FetchFullPage(long minStep, long maxStep, int samples, CancellationToken cancellation)
        {
            WandbMap variables = Variables();
            variables.Set("minStep", minStep);
            variables.Set("maxStep", maxStep);
            variables.Set("pageSize", samples);
            GraphQLResponse response = await _client.QueryAsync("HistoryPage", HistoryQueries.HistoryPage, variables, cancellation).ConfigureAwait(false);
            IReadOnlyList<object?> list = RunOf(response)["history"] as IReadOnlyList<object?> ?? throw Protocol("HistoryPage", "no history list");
            var page = new Page();
            foreach (object? item in list)
            {
                WandbMap? values = item switch
                {
                    WandbMap map => map,
                    string text when ExtendedJson.TryParse(text, out object? parsed, out _) => parsed as WandbMap,
                    _ => null,
                };
                if (values is not null && StepOf(values) is long step)
                {
                    page.Rows.Add(new HistoryRow(step, values));
                }
                else
                {
                    page.Skipped++;
                }
            }

            page.Rows.Sort((a, b) => a.Step.CompareTo(b.Step));
            page.Reports.Add((response, "HistoryPage " + Target + " steps " + minStep + "–" + (maxStep - 1) + ": " + page.Rows.Count + " row(s)"));
            return page;
        }

        /// <summary>
        /// One sampledHistory request per key over [minStep, maxStep] (inclusive, as sampledHistory reads it), all at once,
        /// outer-joined on <c>_step</c>: a step is kept when any key has it. A further request brings the rows' times.
        /// </summary>
        private async Task<Page> FetchJoined(IReadOnlyList<string> keys, long minStep, long maxStep, int samples, bool withTimesInEachSpec, CancellationToken cancellation)
        {
            var requests = new List<Task<(List<WandbMap> Rows, GraphQLResponse Response, string What)>>();
            foreach (string key in keys)
            {
                string[] specKeys = withTimesInEachSpec ? TimeKeys.Concat(new[] { key }).Distinct().ToArray() : new[] { HistoryRow.StepKey, key };
                requests.Add(FetchSampled(specKeys, minStep, maxStep, samples, cancellation));
            }

            if (!withTimesInEachSpec)
            {
                requests.Add(FetchSampled(TimeKeys, minStep, maxStep, samples, cancellation));
            }

            var answers = await Task.WhenAll(requests).ConfigureAwait(false);
            var page = new Page();
            page.Reports.AddRange(answers.Select(a => (a.Response, a.What)));
            List<WandbMap> timeRows = withTimesInEachSpec ? new List<WandbMap>() : answers[keys.Count].Rows;

            var joined = new SortedDictionary<long, WandbMap>();
            for (int k = 0; k < keys.Count; k++)
            {
                foreach (WandbMap row in answers[k].Rows)
                {
                    if (!(StepOf(row) is long step))
                    {
                        page.Skipped++;
                        continue;
                    }

                    if (!joined.TryGetValue(step, out WandbMap? values))
                    {
                        joined.Add(step, values = new WandbMap { { HistoryRow.StepKey, step } });
                    }

                    foreach (KeyValuePair<string, object?> pair in row)
                    {
                        if (pair.Key != HistoryRow.StepKey)
                        {
                            values.Set(pair.Key, pair.Value);
                        }
                    }
                }
            }

            foreach (WandbMap row in timeRows)
            {
                if (StepOf(row) is long step && joined.TryGetValue(step, out WandbMap? values))
                {
                    foreach (string key in new[] { HistoryRow.RuntimeKey, HistoryRow.TimestampKey })
                    {
                        if (row.TryGetExact(key, out object? value) && !values.TryGetExact(key, out _))
                        {
                            values.Set(key, value);
                        }
                    }
                }
            }

            page.Rows.AddRange(joined.Select(pair => new HistoryRow(pair.Key, SystemKeysFirst(pair.Value))));
            return page;
        }

        private async Task<(List<WandbMap> Rows, GraphQLResponse Response, string What)> FetchSampled(string[] keys, long minStep, long maxStep, int samples, CancellationToken cancellation)
        {
            var spec = new WandbMap { { "keys", keys.Cast<object?>().ToArray() }, { "samples", samples }, { "minStep", minStep }, { "maxStep", maxStep } };
            WandbMap variables = Variables();
            variables.Set("specs", new object?[] { ExtendedJson.Serialize(spec) });
            GraphQLResponse response = await _client.QueryAsync("RunSampledHistory", HistoryQueries.SampledHistory, variables, cancellation).ConfigureAwait(false);
            IReadOnlyList<object?> lists = RunOf(response)["sampledHistory"] as IReadOnlyList<object?> ?? throw Protocol("RunSampledHistory", "no sampledHistory list");
            List<WandbMap> rows = (lists.FirstOrDefault() as IReadOnlyList<object?> ?? Array.Empty<object?>()).OfType<WandbMap>().Select(NonFiniteStrings).ToList();
            return (rows, response, "RunSampledHistory " + Target + " [" + string.Join(", ", keys) + "] steps " + minStep + "–" + maxStep + ": " + rows.Count + " row(s)");
        }

        private static long? StepOf(WandbMap row) => row[HistoryRow.StepKey] switch
        {
            long step => step,
            double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
            _ => null,
        };

        /// <summary>
        /// sampledHistory answers are JSON objects, and W&amp;B writes non-finite numbers there as the strings "NaN",
        /// "Infinity" and "-Infinity" (docs/protocol.md, section 4.3); they are the double values again, as in full history rows.
        /// </summary>
        private static WandbMap NonFiniteStrings(WandbMap row)
        {
            foreach (string key in row.Keys.ToList())
            {
                row.Set(key, NonFinite(row[key]));
            }

            return row;
        }

        private static object? NonFinite(object? value) => value switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            WandbMap map => NonFiniteStrings(map),
            _ => value,
        };

        private static WandbMap SystemKeysFirst(WandbMap values)
        {
            var ordered = new WandbMap();
            foreach (string key in TimeKeys)
            {
                if (values.TryGetExact(key, out object? value))
                {
                    ordered.Set(key, value);
                }
            }

            foreach (KeyValuePair<string, object?> pair in values)
            {
                ordered.Set(pair.Key, pair.Value);
            }

            return ordered;
        }

        /// <summary>-Samples for named keys when the keys had to be matched here: that many rows per key, evenly spread.</summary>
        private static IEnumerable<HistoryRow> SampleEach(List<HistoryRow> all, HistoryQuery query, int samples)
        {
            var picked = new SortedSet<int>();
            foreach (string key in all.SelectMany(r => r.Values.Keys).Where(query.Wants).Distinct(StringComparer.Ordinal).ToList())
            {
                List<int> holding = Enumerable.Range(0, all.Count).Where(i => all[i].Values.TryGetExact(key, out _)).ToList();
                foreach (int j in HistoryQuery.EvenlySpread(holding.Count, samples))
                {
                    picked.Add(holding[j]);
                }
            }

            return picked.Select(i => all[i]);
        }

        private WandbMap RunOf(GraphQLResponse response)
        {
            if (!(response.Data["project"] is WandbMap project) || !(project["run"] is WandbMap run))
            {
                throw ApiAnswers.NotFound(response.Data, _entity, _project, _run);
            }

            return run;
        }

        private WandbMap Variables() => new WandbMap { { "entity", _entity }, { "project", _project }, { "run", _run } };

        private WandbException Protocol(string operation, string what) =>
            new WandbException(WandbErrorKind.ProtocolError, "The " + operation + " answer for " + Target + " has " + what + ".", Target);

        private static Page Await(Task<Page> task)
        {
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (TaskCanceledException e)
            {
                throw new OperationCanceledException(e.Message, e);
            }
        }

        /// <summary>What one step page brought: its rows, and what to report about its requests.</summary>
        private sealed class Page
        {
            public List<HistoryRow> Rows { get; } = new List<HistoryRow>();

            public List<(GraphQLResponse Response, string What)> Reports { get; } = new List<(GraphQLResponse, string)>();

            public int Skipped { get; set; }
        }
    }
}
