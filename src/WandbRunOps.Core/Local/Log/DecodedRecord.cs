using System;
using System.Collections.Generic;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// One history message of a record as decoding it alone gives it, before its place in the log is known: the values,
    /// the steps it names and where its system keys are. Whether it is a row (its step against the steps before it, the
    /// query's range) is decided afterwards, in file order (LocalHistoryReader).
    /// </summary>
    internal struct DecodedHistory
    {
        public WandbMap Values;

        /// <summary>The step message's step, if the record had one.</summary>
        public long? Step;

        /// <summary>Whether the row has a <c>_step</c> item, and its value.</summary>
        public bool HasStep;
        public object? LoggedStep;

        public object? Runtime;
        public object? Timestamp;

        /// <summary>True when the row holds a key the query wants (always, without keys).</summary>
        public bool Wanted;
    }

    /// <summary>
    /// What decoding one record gave: its history messages (a record has one at most, as the SDK writes it; every one is
    /// kept, in order), how many were begun, and the damage that stopped it, if any. Reused from record to record.
    /// </summary>
    internal sealed class DecodedRecord
    {
        /// <summary>Where the record starts in the log.</summary>
        public long Offset;

        /// <summary>History messages begun, including one the damage interrupted (counted as records read).</summary>
        public int Histories;

        /// <summary>The complete history messages, in order.</summary>
        public readonly List<DecodedHistory> Parts = new List<DecodedHistory>(1);

        /// <summary>Why the record could not be decoded (the parts before it stay); null when it was.</summary>
        public FormatException? Damage;

        public void Start(long offset)
        {
            Offset = offset;
            Histories = 0;
            Parts.Clear();
            Damage = null;
        }
    }

    /// <summary>
    /// Decodes one record's payload into <paramref name="into"/> (<see cref="DecodedRecord.Start"/> already called),
    /// catching a <see cref="FormatException"/> into <see cref="DecodedRecord.Damage"/>. Each thread has its own: the
    /// state behind it (the key table) is not shared.
    /// </summary>
    internal delegate void RecordDecoder(ArraySegment<byte> payload, DecodedRecord into);
}
