using System;
using System.Collections.Generic;

namespace WandbRunOps.Filtering
{
    public enum FilterFieldKind
    {
        State,
        DisplayName,
        Name,
        CreatedAt,
        HeartbeatAt,
        JobType,
        Group,
        Tags,
        Username,
        Host,
        Duration,
        Sweep,
        Config,
        Summary,
    }

    /// <summary>
    /// A field a filter can test: a run property W&amp;B filters on, or <c>config.&lt;key&gt;</c> /
    /// <c>summary_metrics.&lt;key&gt;</c>. The key text is kept exactly as written, so it goes to the server unchanged.
    /// </summary>
    /// <param name="Key">The key as written in the filter (<c>config.lr</c>, <c>state</c>).</param>
    /// <param name="Kind">The run property, or config or summary.</param>
    /// <param name="Path">For config and summary fields: the dotted path after the prefix (<c>optimizer.lr</c>).</param>
    public sealed record FilterField(string Key, FilterFieldKind Kind, string? Path)
    {
        private static readonly Dictionary<string, FilterFieldKind> RunFields = new Dictionary<string, FilterFieldKind>(StringComparer.Ordinal)
        {
            ["state"] = FilterFieldKind.State,
            ["displayName"] = FilterFieldKind.DisplayName,
            ["display_name"] = FilterFieldKind.DisplayName,
            ["name"] = FilterFieldKind.Name,
            ["createdAt"] = FilterFieldKind.CreatedAt,
            ["created_at"] = FilterFieldKind.CreatedAt,
            ["heartbeatAt"] = FilterFieldKind.HeartbeatAt,
            ["heartbeat_at"] = FilterFieldKind.HeartbeatAt,
            ["jobType"] = FilterFieldKind.JobType,
            ["group"] = FilterFieldKind.Group,
            ["tags"] = FilterFieldKind.Tags,
            ["username"] = FilterFieldKind.Username,
            ["host"] = FilterFieldKind.Host,
            ["duration"] = FilterFieldKind.Duration,
            ["sweep"] = FilterFieldKind.Sweep,
        };

        public bool IsDate => Kind == FilterFieldKind.CreatedAt || Kind == FilterFieldKind.HeartbeatAt;

        /// <summary>The field for a filter key, or null with a reason when W&amp;B has no such filter key.</summary>
        public static FilterField? TryParse(string key, out string? problem)
        {
            problem = null;
            if (RunFields.TryGetValue(key, out FilterFieldKind kind))
            {
                return new FilterField(key, kind, null);
            }

            foreach (var (prefix, fieldKind) in new[] { ("config.", FilterFieldKind.Config), ("summary_metrics.", FilterFieldKind.Summary) })
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    string path = key.Substring(prefix.Length);
                    if (path.Length == 0 || path.StartsWith(".", StringComparison.Ordinal) || path.EndsWith(".", StringComparison.Ordinal))
                    {
                        problem = "'" + key + "' names no key after '" + prefix + "'";
                        return null;
                    }

                    return new FilterField(key, fieldKind, path);
                }
            }

            problem = key.StartsWith("summary.", StringComparison.Ordinal)
                ? "'" + key + "' is not a filter key: summary values are filtered as 'summary_metrics." + key.Substring("summary.".Length) + "' (W&B answers 'summary.' with HTTP 400)"
                : key == "config" || key == "summary_metrics"
                    ? "'" + key + "' needs a key: write '" + key + ".<key>'"
                    : "'" + key + "' is not a W&B run filter key (use state, displayName, name, createdAt, heartbeatAt, jobType, group, tags, username, host, duration, sweep, config.<key> or summary_metrics.<key>; W&B silently matches nothing for unknown keys)";
            return null;
        }

        public override string ToString() => Key;
    }
}
