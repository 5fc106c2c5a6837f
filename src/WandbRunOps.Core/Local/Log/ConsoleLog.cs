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
        private char[] _chars = new char[1024];

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
            long firstRecord = -1;
            chunks.SkipWhen = ConsoleRecord.CannotBeConsole;
            chunks.Skipped = start =>
            {
                firstRecord = firstRecord < 0 ? start : firstRecord;
                Resume = chunks.Position;
            };
            var lines = new List<FoldedLine>();
            while (chunks.TryRead(out ArraySegment<byte> payload))
            {
                cancellation.ThrowIfCancellationRequested();
                if (firstRecord < 0)
                {
                    firstRecord = chunks.RecordOffset;
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
                    int count = record.Decode(ref _chars);
                    Folder.Write(record.Stream, record.Time, new ReadOnlySpan<char>(_chars, 0, count), lines);
                    if (record.EndsLine)
                    {
                        Folder.Write(record.Stream, record.Time, LineFeed, lines);
                    }

                    foreach (FoldedLine line in lines)
                    {
                        yield return line;
                    }

                    lines.Clear();
                }
            }

            foreach (LogDamage damage in chunks.Damage)
            {
                // Read from the middle, the chunks before the first record found are the end of an earlier record.
                if (offset > LogChunkReader.HeaderSize && (firstRecord < 0 || damage.Offset < firstRecord) && !damage.AtEnd)
                {
                    continue;
                }

                Damage.Add(damage);
            }
        }
    }
}
