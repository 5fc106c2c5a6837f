using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphQL;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// A query the fake refuses, answered like W&amp;B answers a bad runs filter: HTTP 400 with errors[].
/// </summary>
public sealed class UnsupportedQueryException : ExecutionError
{
    public UnsupportedQueryException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// The subset of W&amp;B's Mongo-like runs filter language the fake understands:
/// <list type="bullet">
/// <item><c>{}</c>; several keys in one object are ANDed; <c>$and</c> / <c>$or</c> / <c>$nor</c> over lists of objects.</item>
/// <item>Fields: <c>name</c> (run id), <c>display_name</c> / <c>displayName</c>, <c>state</c>, <c>group</c>,
/// <c>jobType</c> / <c>job_type</c>, <c>host</c>, <c>username</c>, <c>sweep</c>, and <c>tags</c> (multi-valued).</item>
/// <item>A field value is a string or null (equality) or an operator object: <c>$eq $ne $in $nin $regex</c>
/// (and <c>$all</c> for tags). <c>$regex</c> matches anywhere in the value.</item>
/// </list>
/// Anything else throws <see cref="UnsupportedQueryException"/> ("unsupported filter: …").
/// </summary>
public static class RunFilter
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private static readonly Dictionary<string, Func<FakeRun, string?>> ScalarFields = new(StringComparer.Ordinal)
    {
        ["name"] = r => r.Id,
        ["display_name"] = r => r.DisplayName,
        ["displayName"] = r => r.DisplayName,
        ["state"] = r => r.State,
        ["group"] = r => r.Group,
        ["jobType"] = r => r.JobType,
        ["job_type"] = r => r.JobType,
        ["host"] = r => r.Host,
        ["username"] = r => r.Username,
        ["sweep"] = r => r.SweepName,
    };

    /// <summary>Compiles a filters JSONString into a predicate; null, empty and "{}" match every run.</summary>
    public static Func<FakeRun, bool> Compile(string? filtersJson)
    {
        if (string.IsNullOrWhiteSpace(filtersJson))
        {
            return static _ => true;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(filtersJson);
        }
        catch (JsonException ex)
        {
            throw Unsupported(filtersJson, "not JSON: " + ex.Message);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind == JsonValueKind.Null)
            {
                return static _ => true;
            }

            return CompileObject(doc.RootElement);
        }
    }

    private static Func<FakeRun, bool> CompileObject(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Unsupported(obj.GetRawText(), "expected an object");
        }

        var parts = new List<Func<FakeRun, bool>>();
        foreach (JsonProperty prop in obj.EnumerateObject())
        {
            parts.Add(CompileProperty(prop));
        }

        Func<FakeRun, bool>[] all = parts.ToArray();
        return r => all.All(p => p(r));
    }

    private static Func<FakeRun, bool> CompileProperty(JsonProperty prop)
    {
        switch (prop.Name)
        {
            case "$and":
            case "$or":
            case "$nor":
            {
                if (prop.Value.ValueKind != JsonValueKind.Array)
                {
                    throw Unsupported(Fragment(prop), prop.Name + " needs a list of objects");
                }

                Func<FakeRun, bool>[] items = prop.Value.EnumerateArray().Select(CompileObject).ToArray();
                return prop.Name switch
                {
                    "$and" => r => items.All(p => p(r)),
                    "$or" => r => items.Any(p => p(r)),
                    _ => r => !items.Any(p => p(r)),
                };
            }

            case "tags":
                return CompileTags(prop);
        }

        if (ScalarFields.TryGetValue(prop.Name, out Func<FakeRun, string?>? getter))
        {
            return CompileScalar(prop, getter);
        }

        throw Unsupported(Fragment(prop), null);
    }

    private static Func<FakeRun, bool> CompileScalar(JsonProperty prop, Func<FakeRun, string?> getter)
    {
        JsonElement value = prop.Value;
        if (IsStringOrNull(value))
        {
            string? expected = value.GetString();
            return r => string.Equals(getter(r), expected, StringComparison.Ordinal);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Unsupported(Fragment(prop), null);
        }

        var parts = new List<Func<FakeRun, bool>>();
        foreach (JsonProperty op in value.EnumerateObject())
        {
            switch (op.Name)
            {
                case "$eq" when IsStringOrNull(op.Value):
                {
                    string? expected = op.Value.GetString();
                    parts.Add(r => string.Equals(getter(r), expected, StringComparison.Ordinal));
                    break;
                }

                case "$ne" when IsStringOrNull(op.Value):
                {
                    string? expected = op.Value.GetString();
                    parts.Add(r => !string.Equals(getter(r), expected, StringComparison.Ordinal));
                    break;
                }

                case "$in":
                case "$nin":
                {
                    HashSet<string?> set = StringSet(prop, op);
                    bool negate = op.Name == "$nin";
                    parts.Add(r => set.Contains(getter(r)) != negate);
                    break;
                }

                case "$regex" when op.Value.ValueKind == JsonValueKind.String:
                {
                    Regex regex = MakeRegex(prop, op.Value.GetString()!);
                    parts.Add(r => getter(r) is string s && regex.IsMatch(s));
                    break;
                }

                default:
                    throw Unsupported(Fragment(prop), null);
            }
        }

        Func<FakeRun, bool>[] all = parts.ToArray();
        return r => all.All(p => p(r));
    }

    private static Func<FakeRun, bool> CompileTags(JsonProperty prop)
    {
        JsonElement value = prop.Value;
        if (value.ValueKind == JsonValueKind.String)
        {
            string tag = value.GetString()!;
            return r => r.Tags.Contains(tag, StringComparer.Ordinal);
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return r => r.Tags.Count == 0;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            // W&B answers {"tags": ["x"]} with a 500 ("unsupported type []interface {}"); the fake refuses it with a 400.
            throw Unsupported(Fragment(prop), null);
        }

        var parts = new List<Func<FakeRun, bool>>();
        foreach (JsonProperty op in value.EnumerateObject())
        {
            switch (op.Name)
            {
                case "$eq" when op.Value.ValueKind == JsonValueKind.String:
                {
                    string tag = op.Value.GetString()!;
                    parts.Add(r => r.Tags.Contains(tag, StringComparer.Ordinal));
                    break;
                }

                case "$ne" when op.Value.ValueKind == JsonValueKind.String:
                {
                    string tag = op.Value.GetString()!;
                    parts.Add(r => !r.Tags.Contains(tag, StringComparer.Ordinal));
                    break;
                }

                case "$in":
                case "$nin":
                case "$all":
                {
                    HashSet<string?> set = StringSet(prop, op);
                    if (set.Contains(null))
                    {
                        throw Unsupported(Fragment(prop), null);
                    }

                    parts.Add(op.Name switch
                    {
                        "$in" => r => r.Tags.Any(t => set.Contains(t)),
                        "$nin" => r => !r.Tags.Any(t => set.Contains(t)),
                        _ => r => set.All(t => r.Tags.Contains(t!, StringComparer.Ordinal)),
                    });
                    break;
                }

                case "$regex" when op.Value.ValueKind == JsonValueKind.String:
                {
                    Regex regex = MakeRegex(prop, op.Value.GetString()!);
                    parts.Add(r => r.Tags.Any(t => regex.IsMatch(t)));
                    break;
                }

                default:
                    throw Unsupported(Fragment(prop), null);
            }
        }

        Func<FakeRun, bool>[] all = parts.ToArray();
        return r => all.All(p => p(r));
    }

    private static HashSet<string?> StringSet(JsonProperty field, JsonProperty op)
    {
        if (op.Value.ValueKind != JsonValueKind.Array)
        {
            throw Unsupported(Fragment(field), op.Name + " needs a list");
        }

        var set = new HashSet<string?>(StringComparer.Ordinal);
        foreach (JsonElement item in op.Value.EnumerateArray())
        {
            if (!IsStringOrNull(item))
            {
                throw Unsupported(Fragment(field), op.Name + " needs a list of strings");
            }

            set.Add(item.GetString());
        }

        return set;
    }

    private static Regex MakeRegex(JsonProperty field, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException ex)
        {
            throw Unsupported(Fragment(field), "bad $regex: " + ex.Message);
        }
    }

    private static bool IsStringOrNull(JsonElement e) => e.ValueKind is JsonValueKind.String or JsonValueKind.Null;

    private static string Fragment(JsonProperty prop) => "{" + JsonSerializer.Serialize(prop.Name) + ":" + prop.Value.GetRawText() + "}";

    private static UnsupportedQueryException Unsupported(string fragment, string? why) =>
        new("unsupported filter: " + fragment + (why is null ? "" : " (" + why + ")"));
}
