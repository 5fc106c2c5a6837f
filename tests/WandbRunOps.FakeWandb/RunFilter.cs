using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GraphQL;
using WandbRunOps.Errors;
using WandbRunOps.Filtering;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Values;
using CoreRunOrder = WandbRunOps.Filtering.RunOrder;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// A query the fake refuses, answered like W&amp;B answers a bad runs filter: HTTP 400 with errors[] (or the
/// <see cref="Status"/> W&amp;B fails with, such as 500).
/// </summary>
public sealed class UnsupportedQueryException : ExecutionError
{
    public UnsupportedQueryException(string message, int status = 400)
        : base(message)
    {
        Status = status;
    }

    public int Status { get; }
}

/// <summary>
/// The runs filter of the fake server: W&amp;B's MongoDB-style language, evaluated with the module's own filter model
/// (our written understanding of W&amp;B's semantics), on a run decoded the way the client decodes it. Like the real
/// server it reads a dotted config key as a nested path, so a key that itself contains a dot matches nothing here,
/// which is the gap the client works around. A filter the language rejects is a 400, as on W&amp;B.
/// </summary>
public static class RunFilter
{
    /// <summary>Compiles a filters JSONString into a predicate; null, empty and "{}" match every run.</summary>
    public static Func<FakeRun, bool> Compile(string? filtersJson)
    {
        if (string.IsNullOrWhiteSpace(filtersJson))
        {
            return static _ => true;
        }

        // W&B is reported to fail on $all under tags with a 500 (wandb/wandb#5967), so this server does too: a client
        // that sends it is caught here, not by users.
        if (ExtendedJson.TryParse(filtersJson, out object? raw, out _) && HasTagsAll(raw, underTags: false))
        {
            throw new UnsupportedQueryException("unsupported type for tags: $all (the runs query failed)", 500);
        }

        FilterNode filter;
        try
        {
            filter = FilterParser.Parse(filtersJson);
        }
        catch (WandbException e)
        {
            throw new UnsupportedQueryException("unsupported filter: " + e.Message);
        }

        // An empty filter must cost nothing: listings page through every run on every request.
        return filter.IsEmpty ? static _ => true : run => FilterEvaluator.Matches(filter, ServerView.Of(run));
    }

    /// <summary>True when <c>$all</c> appears anywhere under a <c>tags</c> key (also inside <c>$not</c>, <c>$and</c>…).</summary>
    private static bool HasTagsAll(object? node, bool underTags) => node switch
    {
        WandbMap map => map.Any(pair => (underTags && pair.Key == "$all") || HasTagsAll(pair.Value, underTags || pair.Key == "tags")),
        IReadOnlyList<object?> list => list.Any(item => HasTagsAll(item, underTags)),
        _ => false,
    };
}

/// <summary>W&amp;B's order argument (<c>+created_at</c>, <c>-summary_metrics.acc</c>, <c>+config.lr.value</c>), applied with the module's comparison rule.</summary>
public static class RunOrder
{
    private static readonly Dictionary<string, string> RunKeys = new(StringComparer.Ordinal)
    {
        ["created_at"] = "CreatedAt",
        ["createdAt"] = "CreatedAt",
        ["heartbeat_at"] = "HeartbeatAt",
        ["heartbeatAt"] = "HeartbeatAt",
        ["updated_at"] = "HeartbeatAt",
        ["display_name"] = "Name",
        ["name"] = "Id",
    };

    public static Func<IEnumerable<FakeRun>, IEnumerable<FakeRun>> Compile(string? order)
    {
        string text = string.IsNullOrWhiteSpace(order) ? "+created_at" : order!.Trim();
        bool descending = text.StartsWith('-');
        string key = text.TrimStart('+', '-');
        string? property = RunKeys.TryGetValue(key, out string? runKey) ? runKey
            : key.StartsWith("config.", StringComparison.Ordinal) && key.EndsWith(".value", StringComparison.Ordinal) ? "Config." + key["config.".Length..^".value".Length]
            : key.StartsWith("summary_metrics.", StringComparison.Ordinal) ? "Summary." + key["summary_metrics.".Length..]
            : null;
        if (property is null)
        {
            throw new UnsupportedQueryException("unsupported order: '" + text + "'");
        }

        // Run-level keys sort on the stored fields directly; only config and summary keys need the decoded view.
        Func<FakeRun, object?>? direct = property switch
        {
            "CreatedAt" => r => DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc),
            "HeartbeatAt" => r => DateTime.SpecifyKind(r.HeartbeatAt, DateTimeKind.Utc),
            "Name" => r => r.DisplayName,
            "Id" => r => r.Id,
            _ => null,
        };
        if (direct is not null)
        {
            return runs => runs.Select((run, i) => (run, i))
                .OrderBy(p => direct(p.run), Comparer<object?>.Create((a, b) => (descending ? -1 : 1) * CoreRunOrder.CompareValues(a, b)))
                .ThenBy(p => p.i)
                .Select(p => p.run)
                .ToList();
        }

        var comparer = new CoreRunOrder(new[] { (descending ? "-" : "+") + property });
        return runs =>
        {
            List<FakeRun> list = runs.ToList();
            Dictionary<FakeRun, WandbRun> views = list.ToDictionary(r => r, ServerView.Of);
            return list.Select((run, i) => (run, i)).OrderBy(p => views[p.run], comparer).ThenBy(p => p.i).Select(p => p.run).ToList();
        };
    }
}

/// <summary>A stored run as the API presents it: config unwrapped from {value, desc}, summary decoded.</summary>
internal static class ServerView
{
    public static WandbRun Of(FakeRun run)
    {
        // Stored text is served verbatim even when broken (tests plant such runs); filters and order see it as empty.
        var config = new WandbMap();
        if (ExtendedJson.TryParse(run.ConfigJson, out object? parsed, out _) && parsed is WandbMap wrapped)
        {
            foreach (KeyValuePair<string, object?> pair in wrapped)
            {
                config.Set(pair.Key, pair.Value is WandbMap w && w.TryGetExact("value", out object? value) ? value : pair.Value);
            }
        }

        return new WandbRun
        {
            Id = run.Id,
            Name = run.DisplayName,
            State = Enum.TryParse(run.State, true, out RunState state) ? state : RunState.Pending,
            CreatedAt = DateTime.SpecifyKind(run.CreatedAt, DateTimeKind.Utc),
            HeartbeatAt = DateTime.SpecifyKind(run.HeartbeatAt, DateTimeKind.Utc),
            Group = run.Group,
            JobType = run.JobType,
            Tags = run.Tags.ToArray(),
            Host = run.Host,
            SweepId = run.SweepName,
            User = run.Username is null ? null : new WandbUser(run.Username, run.UserFullName, null),
            ReportedSeconds = run.ComputeSeconds,
            Config = config,
            Summary = ExtendedJson.TryParse(run.SummaryJson, out object? summary, out _) && summary is WandbMap map ? map : new WandbMap(),
        };
    }
}
