using System;
using WandbRunOps.Values;

namespace WandbRunOps.Model
{
    /// <summary>
    /// One sample of a run's system metrics (GPU, CPU, memory, disk, network), the same shape from either source:
    /// when it was taken, how long after the run's start, and the metrics under the names W&amp;B gives them over the
    /// API (<c>system.gpu.0.gpu</c>, <c>system.cpu</c>…; see <see cref="SystemMetrics.SystemMetricNames"/>).
    /// </summary>
    public sealed class SystemMetricRow
    {
        public SystemMetricRow(DateTime? timestamp, double? runtime, WandbMap values)
        {
            Timestamp = timestamp;
            Runtime = runtime;
            Values = values ?? throw new ArgumentNullException(nameof(values));
        }

        /// <summary>When the sample was taken, UTC; null when the source did not say.</summary>
        public DateTime? Timestamp { get; }

        /// <summary>Seconds since the run started, when known.</summary>
        public double? Runtime { get; }

        /// <summary>The metrics, flat: one key per metric, in the order the sample holds them.</summary>
        public WandbMap Values { get; }

        public override string ToString() => (Timestamp?.ToString("o") ?? "?") + ": " + ValueText.Format(Values);
    }
}
