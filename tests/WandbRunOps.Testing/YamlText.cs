using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace WandbRunOps.Testing;

/// <summary>Which SDK era's files/config.yaml shape to imitate (protocol notes §2.3).</summary>
public enum ConfigYamlStyle
{
    /// <summary>0.8–0.17: <c>wandb_version: 1</c>, then <c>key: {desc: null, value: v}</c>, 2-space indent, lists flush with their key.</summary>
    Python,
    /// <summary>0.18+: <c>key: {value: v}</c>, 4-space indent, lists indented, no wandb_version.</summary>
    Core,
}

/// <summary>
/// Writes config.yaml for the value model of <see cref="JsonMap"/>. Keys are sorted ordinally,
/// as both SDK eras sort them; lines end in "\n". Lists of maps or lists use JSON flow style,
/// which is still valid YAML.
/// </summary>
public static class YamlText
{
    public static string ConfigFile(JsonMap config, ConfigYamlStyle style)
    {
        var sb = new StringBuilder();
        if (style == ConfigYamlStyle.Python) sb.Append("wandb_version: 1\n\n");
        int step = Step(style);
        foreach (var kv in Sorted(config))
        {
            sb.Append(Key(kv.Key, style)).Append(":\n");
            if (style == ConfigYamlStyle.Python) sb.Append(' ', step).Append("desc: null\n");
            WriteEntry(sb, step, "value", kv.Value, style);
        }
        return sb.ToString();
    }

    private static int Step(ConfigYamlStyle style) => style == ConfigYamlStyle.Python ? 2 : 4;

    // Ordinal, except that all-digit keys compare as numbers ("2" before "12"), as in the real files' telemetry maps.
    private static IEnumerable<KeyValuePair<string, object?>> Sorted(JsonMap map) =>
        map.OrderBy(kv => kv.Key, Comparer<string>.Create(CompareKeys));

    private static int CompareKeys(string x, string y)
    {
        bool xNum = x.Length > 0 && x.All(char.IsAsciiDigit);
        bool yNum = y.Length > 0 && y.All(char.IsAsciiDigit);
        if (xNum && yNum && x.Length != y.Length) return x.Length.CompareTo(y.Length);
        return string.CompareOrdinal(x, y);
    }

    private static void WriteEntry(StringBuilder sb, int indent, string key, object? value, ConfigYamlStyle style)
    {
        sb.Append(' ', indent).Append(Key(key, style)).Append(':');
        int step = Step(style);
        switch (value)
        {
            case JsonMap map when map.Count > 0:
                sb.Append('\n');
                foreach (var kv in Sorted(map)) WriteEntry(sb, indent + step, kv.Key, kv.Value, style);
                break;
            case JsonMap:
                sb.Append(" {}\n");
                break;
            case IEnumerable list when value is not string:
                var items = list.Cast<object?>().ToList();
                if (items.Count == 0)
                {
                    sb.Append(" []\n");
                    break;
                }
                sb.Append('\n');
                int itemIndent = style == ConfigYamlStyle.Python ? indent : indent + step;
                foreach (object? item in items)
                {
                    string text = Scalar(item, style) ?? JsonText.Serialize(item, JsonLayout.Spaced);
                    sb.Append(' ', itemIndent).Append("- ").Append(text).Append('\n');
                }
                break;
            default:
                sb.Append(' ').Append(Scalar(value, style)).Append('\n');
                break;
        }
    }

    private static string? Scalar(object? value, ConfigYamlStyle style) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when double.IsNaN(d) => ".nan",
        double d when double.IsPositiveInfinity(d) => ".inf",
        double d when double.IsNegativeInfinity(d) => "-.inf",
        double d => YamlNumber(d, style),
        string s => Key(s, style),
        _ => null,
    };

    // PyYAML writes 1.0e-06: YAML 1.1 needs a '.' for the text to read back as a float.
    private static string YamlNumber(double d, ConfigYamlStyle style)
    {
        string text = JsonText.Number(d);
        int e = text.IndexOf('e');
        return style == ConfigYamlStyle.Python && e > 0 && !text.Contains('.') ? text.Insert(e, ".0") : text;
    }

    // Plain if YAML would read it back as the same string, else quoted the way each era's emitter does.
    private static string Key(string s, ConfigYamlStyle style)
    {
        if (IsPlainSafe(s)) return s;
        return style == ConfigYamlStyle.Python ? "'" + s.Replace("'", "''") + "'" : JsonText.Quote(s);
    }

    private static readonly string[] Reserved = { "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n" };

    private static bool IsPlainSafe(string s)
    {
        if (s.Length == 0 || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])) return false;
        if ("?:,[]{}#&*!|>'\"%@`".Contains(s[0])) return false;
        if (s[0] == '-' && (s.Length == 1 || s[1] == ' ')) return false;
        // Text a YAML loader would turn into a number, special float or date (e.g. "5", "1e-3", ".nan", "2026-11-20").
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return false;
        if (s.StartsWith(".nan", StringComparison.OrdinalIgnoreCase) || s.TrimStart('+', '-').StartsWith(".inf", StringComparison.OrdinalIgnoreCase)) return false;
        if (s.Length >= 10 && char.IsAsciiDigit(s[0]) && s[4] == '-' && s[7] == '-') return false;
        if (s.Contains(": ") || s.Contains(" #") || s.EndsWith(':')) return false;
        if (s.Any(char.IsControl)) return false;
        return !Reserved.Contains(s, StringComparer.OrdinalIgnoreCase);
    }
}
