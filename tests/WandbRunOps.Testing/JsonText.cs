using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace WandbRunOps.Testing;

/// <summary>
/// An insertion-ordered JSON object for building files and value_json text deterministically.
/// Values: null, bool, int, long, double, string, JsonMap, or a list (any non-string IEnumerable).
/// </summary>
public sealed class JsonMap : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
}

/// <summary>How <see cref="JsonText.Serialize"/> lays text out.</summary>
public enum JsonLayout
{
    /// <summary><c>{"a":1,"b":2}</c>: Go / wandb-core and value_json.</summary>
    Compact,
    /// <summary><c>{"a": 1, "b": 2}</c>: Python json.dumps defaults.</summary>
    Spaced,
    /// <summary>One member per line, 2-space indent (wandb-core metadata).</summary>
    Indent2,
    /// <summary>One member per line, 4-space indent (Python-era metadata).</summary>
    Indent4,
}

/// <summary>
/// Writes W&amp;B's extended JSON: standard JSON plus bare NaN / Infinity / -Infinity, with
/// invariant-culture numbers so the same input always gives the same bytes.
/// </summary>
public static class JsonText
{
    /// <summary>Compact text, as used for value_json.</summary>
    public static string Value(object? value) => Serialize(value, JsonLayout.Compact);

    public static string Serialize(object? value, JsonLayout layout)
    {
        var sb = new StringBuilder();
        Write(sb, value, layout, 0);
        return sb.ToString();
    }

    /// <summary>A double as W&amp;B writes it: round-trip digits, integral values keep ".0" so they stay floats.</summary>
    public static string Number(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        string text = d.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
        return text.Contains('.') || text.Contains('e') ? text : text + ".0";
    }

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Text for a scalar, or null if the value is a map or list.</summary>
    internal static string? Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => Number(d),
        string s => Quote(s),
        JsonMap or IEnumerable => null,
        _ => throw new ArgumentException($"Unsupported JSON value type {value.GetType()}."),
    };

    private static void Write(StringBuilder sb, object? value, JsonLayout layout, int depth)
    {
        string? scalar = Scalar(value);
        if (scalar is not null)
        {
            sb.Append(scalar);
            return;
        }
        bool isMap = value is JsonMap;
        var members = new List<(string? key, object? value)>();
        if (value is JsonMap map) foreach (var kv in map) members.Add((kv.Key, kv.Value));
        else foreach (object? element in (IEnumerable)value!) members.Add((null, element));

        sb.Append(isMap ? '{' : '[');
        int indent = layout == JsonLayout.Indent2 ? 2 : layout == JsonLayout.Indent4 ? 4 : 0;
        for (int i = 0; i < members.Count; i++)
        {
            if (i > 0) sb.Append(layout == JsonLayout.Compact ? "," : layout == JsonLayout.Spaced ? ", " : ",");
            if (indent > 0) sb.Append('\n').Append(' ', indent * (depth + 1));
            if (members[i].key is string key) sb.Append(Quote(key)).Append(layout == JsonLayout.Compact ? ":" : ": ");
            Write(sb, members[i].value, layout, depth + 1);
        }
        if (indent > 0 && members.Count > 0) sb.Append('\n').Append(' ', indent * depth);
        sb.Append(isMap ? '}' : ']');
    }
}
