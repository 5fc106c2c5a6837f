using System.Collections.Generic;
using WandbRunOps.History;

namespace WandbRunOps.SystemMetrics
{
    /// <summary>Which system metrics to read: keys (wildcards over the full <c>system.…</c> names; null for all) and an optional sample count.</summary>
    public sealed class SystemMetricQuery
    {
        /// <summary>
        /// The rows asked of the API when no sample count is given: W&amp;B returns at most <c>samples</c> rows of the
        /// events stream and caps it on its side (docs/protocol.md, section 4.2, "System metrics").
        /// </summary>
        public const int DefaultApiSamples = 100000;

        // The wildcard matching of history keys: one matcher for both kinds of key.
        private readonly HistoryQuery _keys = new HistoryQuery();

        /// <summary>Metric names to return (PowerShell wildcards, case-insensitive); null or empty for every metric.</summary>
        public IReadOnlyList<string>? Keys
        {
            get => _keys.Keys;
            set => _keys.Keys = value;
        }

        /// <summary>At most this many rows per run, evenly spread (first and last kept); null for every row.</summary>
        public int? Samples { get; set; }

        public bool HasKeys => _keys.HasKeys;

        /// <summary>True when the metric is one the query asks for.</summary>
        public bool Wants(string name) => _keys.Wants(name);
    }
}
