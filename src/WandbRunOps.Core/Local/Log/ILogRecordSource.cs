using System;
using System.Collections.Generic;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// The complete, checked records of a log in file order, as a full read takes them: from a
    /// <see cref="LogChunkReader"/> on the calling thread, or from a <see cref="LogRecordPrefetch"/> that runs one on a
    /// thread of its own. Both show the same records, offsets, positions and damage at every step.
    /// </summary>
    internal interface ILogRecordSource : IDisposable
    {
        /// <summary>The next complete record's payload, or false at the end. The segment is only valid until the next call.</summary>
        bool TryRead(out ArraySegment<byte> payload);

        /// <summary>The file offset where the current record started.</summary>
        long RecordOffset { get; }

        /// <summary>The file offset just after the last record read (or stepped over); at the end, where the read stopped.</summary>
        long Position { get; }

        /// <summary>Where the log could not be read as written, up to the current record; all of it once <see cref="TryRead"/> is false.</summary>
        IReadOnlyList<LogDamage> Damage { get; }

        /// <summary>
        /// Told of records the reader's <see cref="LogChunkReader.SkipWhen"/> stepped over, in file order, with the offset of
        /// the first; <see cref="Position"/> is then after the last. A <see cref="LogChunkReader"/> tells each record; a
        /// <see cref="LogRecordPrefetch"/> tells records stepped over one after another (no damage between them) once.
        /// </summary>
        Action<long>? Skipped { get; set; }
    }
}
