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
            // A cut-off end noted by an earlier read is where this one starts: only the latest read's end counts.
            Damage.RemoveAll(d => d.AtEnd);
            LogChunkReader chunks = LogChunkReader.At(_stream, _path, offset);
            chunks.Cancellation = cancellation;
            Resume = Math.Max(Resume, offset);
            _firstRecord = -1;
            // A lambda rather than the method group: it becomes an instance delegate, which calls faster than one bound
            // to a static method, and it is called for every record.
            chunks.SkipWhen = firstChunk => ConsoleRecord.CannotBeConsole(firstChunk);
            chunks.Skipped = start =>
            {
                _firstRecord = _firstRecord < 0 ? start : _firstRecord;
                Resume = chunks.Position;
            };
            var lines = new List<FoldedLine>();
            while (ReadLines(chunks, lines, cancellation))
            {
                for (int i = 0; i < lines.Count; i++)
                {
                    yield return lines[i];
                }

                lines.Clear();
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

        /// <summary>
        /// Reads records until one finishes a line (true, the lines in <paramref name="lines"/>) or the log ends (false).
        /// The loop over records is here, not in the iterator above: most records finish no line, and this way each
        /// costs a plain loop's turn rather than a step of the iterator's state machine.
        /// </summary>
        private bool ReadLines(LogChunkReader chunks, List<FoldedLine> lines, CancellationToken cancellation)
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

                    if (lines.Count > 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
