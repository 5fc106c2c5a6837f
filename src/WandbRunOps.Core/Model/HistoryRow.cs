using System;
using WandbRunOps.Values;

namespace WandbRunOps.Model
{
    /// <summary>
    /// One history row (one step) of a run, the same shape from either source. <see cref="Values"/> holds the row's
    /// keys as logged: nested paths (<c>nested_key</c>) rebuilt as nested maps, keys never split on dots, and the SDK's
    /// own <c>_step</c>, <c>_runtime</c> and <c>_timestamp</c> kept as values too.
    /// </summary>
    public sealed class HistoryRow
    {
        public const string StepKey = "_step";
        public const string RuntimeKey = "_runtime";
        public const string TimestampKey = "_timestamp";

        /// <summary>A row at <paramref name="step"/>; <see cref="Runtime"/> and <see cref="Timestamp"/> are read from the values.</summary>
        public HistoryRow(long step, WandbMap values)
            : this(step, values ?? throw new ArgumentNullException(nameof(values)), ValueOf(values, RuntimeKey), ValueOf(values, TimestampKey))
        {
        }

        /// <summary>A row whose <c>_runtime</c> and <c>_timestamp</c> values the caller already has (the log decoder knows where they are).</summary>
        internal HistoryRow(long step, WandbMap values, object? runtime, object? timestamp)
        {
            Step = step;
            Values = values;
            Runtime = ValueReads.AsDouble(runtime);
            Timestamp = ValueReads.AsDouble(timestamp) is double seconds ? TimeValues.FromUnixSeconds(seconds) : null;
        }

        /// <summary>The step (<c>HistoryRecord.step.num</c> locally, <c>_step</c> over the API).</summary>
        public long Step { get; }

        /// <summary>Seconds since the run started (<c>_runtime</c>), or null when the row has none.</summary>
        public double? Runtime { get; }

        /// <summary>When the row was logged (<c>_timestamp</c>, epoch seconds), UTC; null when the row has none.</summary>
        public DateTime? Timestamp { get; }

        /// <summary>The row's keys and values, top-level keys in logged order.</summary>
        public WandbMap Values { get; }

        /// <summary>True for the keys the SDK adds to every row.</summary>
        private static object? ValueOf(WandbMap values, string key) => values.TryGetExact(key, out object? value) ? value : null;

        public static bool IsSystemKey(string key) => key == StepKey || key == RuntimeKey || key == TimestampKey;

        public override string ToString() => "step " + Step + ": " + ValueText.Format(Values);
    }
}
