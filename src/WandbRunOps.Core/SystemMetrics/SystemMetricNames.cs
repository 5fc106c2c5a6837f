using System;
using System.Collections.Generic;
using WandbRunOps.History;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.SystemMetrics
{
    /// <summary>
    /// How system metrics are named and made into rows, for both sources (docs/protocol.md, section 2.3, "System
    /// metrics"): the names W&amp;B gives them over the API. The log's stats items are named without the stream's
    /// prefix (<c>gpu.0.gpu</c>) and get <c>system.</c> in front, unless they already start with it (current SDKs write
    /// <c>system.powerWatts</c>); a value that is a JSON object (<c>network</c> in older SDKs) is one metric per leaf,
    /// its path joined by dots (<c>system.network.sent</c>), as the legacy events file and the API name them.
    /// </summary>
    public static class SystemMetricNames
    {
        public const string Prefix = "system.";

        /// <summary>The events stream's own keys: when (<c>_timestamp</c>, epoch seconds) and how long into the run (<c>_runtime</c>).</summary>
        public const string TimestampKey = "_timestamp";

        public const string RuntimeKey = "_runtime";

        /// <summary>The API name of a stats item's key.</summary>
        public static string FromStatsKey(string key) => key.StartsWith(Prefix, StringComparison.Ordinal) ? key : Prefix + key;

        /// <summary>
        /// Adds a metric to <paramref name="values"/> when the query wants it: a map is spread into one metric per leaf.
        /// True when at least one metric was added.
        /// </summary>
        public static bool Add(WandbMap values, string name, object? value, SystemMetricQuery query)
        {
            if (value is WandbMap map && map.Count > 0)
            {
                bool any = false;
                foreach (KeyValuePair<string, object?> leaf in ValueTree.Flatten(map, name))
                {
                    any |= Add(values, leaf.Key, leaf.Value, query);
                }

                return any;
            }

            if (!query.Wants(name))
            {
                return false;
            }

            values.Set(name, value);
            return true;
        }

        /// <summary>
        /// A row of the events stream (a JSON object of the API's <c>events</c>, a line of the legacy events file):
        /// <c>_timestamp</c> and <c>_runtime</c> are the row's time, other keys starting with <c>_</c> are the SDK's
        /// bookkeeping (<c>_wandb</c>), the rest are metrics. Null when the query wants none of its metrics.
        /// </summary>
        public static SystemMetricRow? FromEvent(WandbMap row, SystemMetricQuery query)
        {
            var values = new WandbMap(row.Count);
            bool any = false;
            foreach (KeyValuePair<string, object?> pair in row)
            {
                if (!pair.Key.StartsWith("_", StringComparison.Ordinal))
                {
                    any |= Add(values, pair.Key, pair.Value, query);
                }
            }

            if (!any && query.HasKeys)
            {
                return null;
            }

            DateTime? timestamp = ValueReads.AsDouble(row[TimestampKey]) is double seconds ? TimeValues.FromUnixSeconds(seconds) : null;
            return new SystemMetricRow(timestamp, ValueReads.AsDouble(row[RuntimeKey]), values);
        }

        /// <summary>
        /// Seconds from <paramref name="start"/> to <paramref name="timestampSeconds"/> (epoch seconds), to the microsecond (both sources
        /// compute it so for the log's samples; the API's rows carry their own).
        /// </summary>
        public static double? RuntimeOf(double timestampSeconds, DateTime? start)
        {
            if (start is not DateTime begin)
            {
                return null;
            }

            double startSeconds = (begin - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Ticks / (double)TimeSpan.TicksPerSecond;
            return Math.Round(timestampSeconds - startSeconds, 6);
        }

        /// <summary>At most <paramref name="samples"/> of the rows, evenly spread, first and last kept (all of them when null).</summary>
        public static IEnumerable<SystemMetricRow> Sample(IEnumerable<SystemMetricRow> rows, int? samples)
        {
            if (samples is not int count)
            {
                foreach (SystemMetricRow row in rows)
                {
                    yield return row;
                }

                yield break;
            }

            var all = new List<SystemMetricRow>(rows);
            foreach (int i in HistoryQuery.EvenlySpread(all.Count, count))
            {
                yield return all[i];
            }
        }
    }
}
