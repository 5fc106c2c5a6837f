using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GraphQL;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// The history fields of a run as W&amp;B serves them, over <see cref="FakeRun.HistoryRowsJson"/> (one JSON object per
/// row; a row without <c>_step</c> counts as its index):
/// <list type="bullet">
/// <item><c>history(minStep, maxStep, samples)</c>: rows with steps in [minStep, maxStep), in step order, as JSON
/// strings; more than <c>samples</c> rows are down-sampled, evenly spread, first and last kept.</item>
/// <item><c>sampledHistory(specs)</c>: one list of row objects per spec, only rows that hold every key the spec names
/// (W&amp;B's long-standing behaviour, wandb/wandb#2266), projected to those keys, steps in [minStep, maxStep] (maxStep
/// inclusive there), at most <c>samples</c> rows evenly spread. Non-finite numbers come as "NaN"/"Infinity"/"-Infinity".</item>
/// <item><c>historyKeys</c>: <c>{"lastStep": n, "keys": {"k": {"typeCounts": [{"type", "count"}]}}}</c>.</item>
/// </list>
/// </summary>
internal static class FakeHistory
{
    private const int DefaultSamples = 500;

    public static List<string> History(FakeRun run, long? minStep, long? maxStep, int? samples)
    {
        List<(long Step, string Json, WandbMap? Row)> rows = Rows(run)
            .Where(r => (minStep is null || r.Step >= minStep) && (maxStep is null || r.Step < maxStep))
            .ToList();
        return Spread(rows, samples is > 0 ? samples.Value : int.MaxValue).Select(r => r.Json).ToList();
    }

    public static List<object?> Sampled(FakeRun run, IEnumerable<string> specs)
    {
        List<(long Step, string Json, WandbMap? Row)> rows = Rows(run);
        var answer = new List<object?>();
        foreach (string specText in specs)
        {
            if (!(Parse(specText) is WandbMap spec) || !(spec["keys"] is IReadOnlyList<object?> keyList) || keyList.Count == 0 || !keyList.All(k => k is string))
            {
                throw new ExecutionError("invalid sampledHistory spec (need {\"keys\": [..]}): " + specText);
            }

            string[] keys = keyList.Cast<string>().ToArray();
            long? minStep = spec["minStep"] as long?;
            long? maxStep = spec["maxStep"] as long?;
            int samples = spec["samples"] is long n ? (int)Math.Min(int.MaxValue, Math.Max(1, n)) : DefaultSamples;
            var matching = rows
                .Where(r => r.Row is not null && (minStep is null || r.Step >= minStep) && (maxStep is null || r.Step <= maxStep))
                .Where(r => keys.All(k => r.Row!.TryGetExact(k, out _)))
                .ToList();
            answer.Add(Spread(matching, samples).Select(r => Project(r.Row!, keys)).ToList());
        }

        return answer;
    }

    public static Dictionary<string, object?> HistoryKeys(FakeRun run)
    {
        List<(long Step, string Json, WandbMap? Row)> rows = Rows(run);
        var counts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (_, _, row) in rows)
        {
            if (row is null)
            {
                continue;
            }

            foreach (KeyValuePair<string, object?> pair in row)
            {
                if (!counts.TryGetValue(pair.Key, out Dictionary<string, long>? types))
                {
                    counts.Add(pair.Key, types = new Dictionary<string, long>(StringComparer.Ordinal));
                    order.Add(pair.Key);
                }

                string type = TypeOf(pair.Value);
                types[type] = types.TryGetValue(type, out long c) ? c + 1 : 1;
            }
        }

        var keys = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (string key in order)
        {
            keys[key] = new Dictionary<string, object?>
            {
                ["typeCounts"] = counts[key].Select(t => new Dictionary<string, object?> { ["type"] = t.Key, ["count"] = t.Value }).ToList(),
            };
        }

        return new Dictionary<string, object?>
        {
            // Real runs: the last step logged. Runs built with a line count and no rows keep the old rule.
            ["lastStep"] = rows.Count > 0 ? rows.Max(r => r.Step) : run.HistoryLineCount - 1,
            ["keys"] = keys,
        };
    }

    private static List<(long Step, string Json, WandbMap? Row)> Rows(FakeRun run)
    {
        var rows = new List<(long Step, string Json, WandbMap? Row)>(run.HistoryRowsJson.Count);
        for (int i = 0; i < run.HistoryRowsJson.Count; i++)
        {
            string json = run.HistoryRowsJson[i];
            var row = Parse(json) as WandbMap;
            long step = row?["_step"] switch
            {
                long s => s,
                double d when d == Math.Floor(d) => (long)d,
                _ => i,
            };
            rows.Add((step, json, row));
        }

        return rows.OrderBy(r => r.Step).ToList();
    }

    /// <summary>At most <paramref name="samples"/> items, evenly spread, first and last kept.</summary>
    private static IEnumerable<T> Spread<T>(List<T> items, int samples)
    {
        if (items.Count <= samples)
        {
            return items;
        }

        if (samples == 1)
        {
            return items.Take(1);
        }

        return Enumerable.Range(0, samples).Select(i => items[(int)(((long)i * (items.Count - 1) + (samples - 1) / 2) / (samples - 1))]);
    }

    private static Dictionary<string, object?> Project(WandbMap row, string[] keys)
    {
        var projected = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (string key in keys)
        {
            projected[key] = JsonSafe(row[key]);
        }

        return projected;
    }

    /// <summary>A decoded value as System.Text.Json can write it: maps and lists, non-finite numbers as W&amp;B's strings.</summary>
    private static object? JsonSafe(object? value) => value switch
    {
        double d when double.IsNaN(d) => "NaN",
        double d when double.IsPositiveInfinity(d) => "Infinity",
        double d when double.IsNegativeInfinity(d) => "-Infinity",
        WandbMap map => map.ToDictionary(p => p.Key, p => JsonSafe(p.Value), StringComparer.Ordinal),
        IReadOnlyList<object?> array => array.Select(JsonSafe).ToList(),
        _ => value,
    };

    private static string TypeOf(object? value) => value switch
    {
        long or double => "number",
        string => "string",
        bool => "boolean",
        IReadOnlyList<object?> => "list",
        WandbMap map when map["_type"] is string type => type,
        WandbMap => "map",
        _ => "nil",
    };

    private static object? Parse(string text) => ExtendedJson.TryParse(text, out object? value, out _) ? value : null;
}
