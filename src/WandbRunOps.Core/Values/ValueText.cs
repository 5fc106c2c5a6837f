using System.Globalization;
using System.Linq;
using System.Text;

namespace WandbRunOps.Values
{
    /// <summary>Short, human text for config and summary values, in PowerShell's own notation.</summary>
    public static class ValueText
    {
        public static string Format(object? value)
        {
            var builder = new StringBuilder();
            Append(builder, value, depth: 0);
            return builder.ToString();
        }

        /// <summary>Items joined by ", ": the text of a list in a cell, a CSV field or a string.</summary>
        private static void AppendList(StringBuilder builder, System.Collections.Generic.IReadOnlyList<object?> list, int depth)
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(", ");
                }

                Append(builder, list[i], depth + 1);
            }
        }

        private static void Append(StringBuilder builder, object? value, int depth)
        {
            switch (value)
            {
                case null:
                    break;
                case WandbMap map:
                    if (depth > 8)
                    {
                        builder.Append("@{…}");
                        return;
                    }

                    builder.Append("@{");
                    bool first = true;
                    foreach (var pair in map)
                    {
                        if (!first)
                        {
                            builder.Append("; ");
                        }

                        first = false;
                        builder.Append(pair.Key).Append('=');
                        Append(builder, pair.Value, depth + 1);
                    }

                    builder.Append('}');
                    break;
                case System.Collections.Generic.IReadOnlyList<object?> list:
                    AppendList(builder, list, depth);
                    break;
                case double d:
                    builder.Append(d.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case bool b:
                    builder.Append(b ? "True" : "False");
                    break;
                case System.IFormattable formattable:
                    builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(value);
                    break;
            }
        }
    }
}
