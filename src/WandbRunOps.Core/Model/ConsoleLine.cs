using System;

namespace WandbRunOps.Model
{
    /// <summary>One console line of a run as a source reads it (no run identity: <see cref="WandbLogLine"/> adds it).</summary>
    public sealed class ConsoleLine
    {
        public ConsoleLine(long? number, DateTime? timestamp, string? stream, string text)
        {
            Number = number;
            Timestamp = timestamp;
            Stream = stream;
            Text = text;
        }

        /// <summary>1-based position in the run's console output; null where it is not known (a local <c>-Tail</c> that did not read the whole log).</summary>
        public long? Number { get; }

        /// <summary>When the line was written (UTC), where the source records it.</summary>
        public DateTime? Timestamp { get; }

        /// <summary><c>stdout</c>, <c>stderr</c>, or null where the source does not say.</summary>
        public string? Stream { get; }

        public string Text { get; }
    }
}
