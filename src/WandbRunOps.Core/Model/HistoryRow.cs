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
        {
            Step = step;
            Values = values ?? throw new ArgumentNullException(nameof(values));
            Runtime = ValueReads.AsDouble(values.TryGetExact(RuntimeKey, out object? runtime) ? runtime : null);
            Timestamp = ValueReads.AsDouble(values.TryGetExact(TimestampKey, out object? stamp) ? stamp : null) is double seconds
                ? TimeValues.FromUnixSeconds(seconds)
                : null;
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
        public static bool IsSystemKey(string key) => key == StepKey || key == RuntimeKey || key == TimestampKey;

        public override string ToString() => "step " + Step + ": " + ValueText.Format(Values);
    }
}
