using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using WandbRunOps.Logs;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// The console output of one .wandb log, read from any chunk boundary on and folded into lines; remembers where
    /// its last complete record ended, so a log that grows can be read on from there (<c>-Wait</c>).
    /// </summary>
    internal sealed class ConsoleLog
    {
        private readonly Stream _stream;
        private readonly string _path;

        // The first record of the current read (-1 until one is met): damage before it belongs to an earlier record.
        private long _firstRecord = -1;

        public ConsoleLog(Stream stream, string path, bool raw, bool startsMidStream)
        {
            _stream = stream;
            _path = path;
            Folder = new ConsoleFolder(raw, startsMidStream);
        }

        private const string LineFeed = "\n";

        public ConsoleFolder Folder { get; }

        /// <summary>Where the last complete record read ended: the next read starts there.</summary>
        public long Resume { get; private set; }

        /// <summary>True once the run's exit record was read: nothing more will be written.</summary>
        public bool ExitSeen { get; private set; }

        /// <summary>How many console records were read.</summary>
        public long OutputRecords { get; private set; }

        /// <summary>Damage met so far (a cut-off end is <see cref="LogDamage.AtEnd"/>).</summary>
        public List<LogDamage> Damage { get; } = new List<LogDamage>();

        /// <summary>
        /// The lines the records from <paramref name="offset"/> to the current end finish (lines still open stay in
        /// <see cref="Folder"/>). From a block start inside the log, the chunks of a record begun before it are skipped
        /// without being counted as damage.
        /// </summary>
        public IEnumerable<FoldedLine> ReadFrom(long offset, CancellationToken cancellation)
        {
            foreach (List<FoldedLine> batch in BatchesFrom(offset, cancellation))
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    yield return batch[i];
                }
            }
        }

        /// <summary>
        /// The lines of <see cref="ReadFrom"/>, a batch at a time (one list, refilled: each batch is valid until the
        /// next is asked for). A full read takes them so, with one step of an iterator per batch rather than per line.
        /// </summary>
        public IEnumerable<List<FoldedLine>> BatchesFrom(long offset, CancellationToken cancellation)
        {
            // A cut-off end noted by an earlier read is where this one starts: only the latest read's end counts.
            Damage.RemoveAll(d => d.AtEnd);
            LogChunkReader reader = LogChunkReader.At(_stream, _path, offset);
            reader.Cancellation = cancellation;
            Resume = Math.Max(Resume, offset);
            _firstRecord = -1;
            // A lambda rather than the method group: it becomes an instance delegate, which calls faster than one bound
            // to a static method, and it is called for every record (on the prefetch's thread, for a long read).
            reader.SkipWhen = firstChunk => ConsoleRecord.CannotBeConsole(firstChunk);
            // A long read has the framing and checksums done on another thread while this one decodes and folds.
            using ILogRecordSource chunks = LogRecordPrefetch.WhenWorthIt(reader, _stream.Length - offset, cancellation);
            chunks.Skipped = start =>
            {
                _firstRecord = _firstRecord < 0 ? start : _firstRecord;
                Resume = chunks.Position;
            };
            var lines = new List<FoldedLine>(Batch);
            bool more = true;
            while (more)
            {
                more = ReadLines(chunks, lines, cancellation);
                if (lines.Count > 0)
                {
                    yield return lines;
                    lines.Clear();
                }
            }

            foreach (LogDamage damage in chunks.Damage)
            {
                // Read from the middle, the chunks before the first record found are the end of an earlier record.
                if (offset > LogChunkReader.HeaderSize && (_firstRecord < 0 || damage.Offset < _firstRecord) && !damage.AtEnd)
                {
                    continue;
                }

                Damage.Add(damage);
            }
        }

        /// <summary>Lines per batch: enough that the steps of the iterators above cost nothing beside the reading.</summary>
        private const int Batch = 64;

        /// <summary>
        /// Reads records until they finish <see cref="Batch"/> lines (true; the lines in <paramref name="lines"/>) or the
        /// log ends (false; the lines finished so far in <paramref name="lines"/>). The loop over records is here, not in
        /// an iterator: most records finish no line, and this way each costs a plain loop's turn.
        /// </summary>
        private bool ReadLines(ILogRecordSource chunks, List<FoldedLine> lines, CancellationToken cancellation)
        {
            while (chunks.TryRead(out ArraySegment<byte> payload))
            {
                cancellation.ThrowIfCancellationRequested();
                if (_firstRecord < 0)
                {
                    _firstRecord = chunks.RecordOffset;
                }

                Resume = chunks.Position;
                ConsoleRecord record;
                try
                {
                    record = ConsoleRecord.Decode(payload);
                }
                catch (FormatException e)
                {
                    Damage.Add(new LogDamage(chunks.RecordOffset, "a record could not be decoded (" + e.Message + ") and was skipped"));
                    continue;
                }

                if (record.IsExit)
                {
                    ExitSeen = true;
                }
                else if (record.IsOutput)
                {
                    OutputRecords++;
                    Folder.WriteUtf8(record.Stream, record.Time, record.Text, lines);
                    if (record.EndsLine)
                    {
                        Folder.Write(record.Stream, record.Time, LineFeed, lines);
                    }

                    if (lines.Count >= Batch)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
