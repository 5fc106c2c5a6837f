using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Local.Files;
using WandbRunOps.Local.Log;
using WandbRunOps.Logs;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Local
{
    /// <summary>
    /// A local run's console lines (docs/protocol.md, section 2.4): the console records of its <c>.wandb</c> log(s),
    /// folded as a terminal shows them, else its <c>files/output.log</c>; every folder of a resumed run in order.
    /// <c>-Tail</c> reads backwards from the end (whole blocks of the log, or pieces of output.log) until it knows the
    /// last lines; <c>-Wait</c> reads the log on as it grows until the exit record, the log standing still for
    /// <see cref="LocalRunReader.RunningWindow"/> (the run is no longer Running), or cancellation.
    /// </summary>
    internal sealed class LocalLogReader : IRunLogReader
    {
        private const int OutputLogPiece = 64 * 1024;
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

        private readonly ReadDiagnostics _diagnostics;

        public LocalLogReader(ReadDiagnostics diagnostics) => _diagnostics = diagnostics;

        public IEnumerable<ConsoleLine> Read(WandbRun run, LogQuery query, CancellationToken cancellation)
        {
            // Where the run's folders are is checked now (a WandbException when it has none); the files as lines are enumerated.
            RunFolder[] folders = RunFolderScanner.Refind(run, "console log").Folders.Select(f => RunFolder.At(f.Path, run.Id)).ToArray();
            bool follow = query.Wait && (run.State == RunState.Running || run.State == RunState.Pending);
            var damage = new List<string>();
            IEnumerable<ConsoleLine> lines = query.Tail is int tail
                ? (folders.Length == 1 && folders[0].LogPath is not null ? TailOfLog(folders[0], run.Id, tail, query, follow, damage, cancellation) : LastOf(AllOf(folders, run.Id, query, follow, damage, cancellation), tail))
                : WithoutMarker(AllOf(folders, run.Id, query, follow, damage, cancellation));
            return Reported(lines, run.Id, damage);
        }

        /// <summary>The lines without the null <see cref="AllOf"/> puts where followed lines begin.</summary>
        private static IEnumerable<ConsoleLine> WithoutMarker(IEnumerable<ConsoleLine?> lines)
        {
            foreach (ConsoleLine? line in lines)
            {
                if (line is not null)
                {
                    yield return line;
                }
            }
        }

        /// <summary>Damage that lost lines, said once per run after its lines.</summary>
        private IEnumerable<ConsoleLine> Reported(IEnumerable<ConsoleLine> lines, string runId, List<string> damage)
        {
            foreach (ConsoleLine line in lines)
            {
                yield return line;
            }

            if (damage.Count > 0)
            {
                _diagnostics.WarningOnce("Run '" + runId + "': " + string.Join("; ", damage) + ". Console lines in the damaged parts are missing.");
            }
        }

        /// <summary>
        /// Every line of every folder, numbered from 1. When the run is followed, a null marks where the lines already
        /// written end and the followed ones begin (so <see cref="LastOf"/> can hand on its last lines there).
        /// </summary>
        private IEnumerable<ConsoleLine?> AllOf(RunFolder[] folders, string runId, LogQuery query, bool follow, List<string> damage, CancellationToken cancellation)
        {
            long number = 0;
            for (int i = 0; i < folders.Length; i++)
            {
                RunFolder folder = Readable(folders[i], runId);
                bool followThis = follow && i == folders.Length - 1;
                bool fromLog = false;
                using (Stream? stream = OpenLog(folder, runId))
                {
                    if (stream is not null)
                    {
                        var log = new ConsoleLog(stream, folder.LogPath!, query.Raw, startsMidStream: false);
                        foreach (List<FoldedLine> batch in log.BatchesFrom(0, cancellation))
                        {
                            foreach (FoldedLine line in batch)
                            {
                                yield return new ConsoleLine(++number, line.Time, line.Stream, line.Text);
                            }
                        }

                        if (followThis)
                        {
                            yield return null;
                            foreach (FoldedLine line in Follow(log, stream, folder.LogPath!, runId, query, cancellation))
                            {
                                yield return new ConsoleLine(++number, line.Time, line.Stream, line.Text);
                            }
                        }

                        foreach (FoldedLine line in Flushed(log.Folder))
                        {
                            yield return new ConsoleLine(++number, line.Time, line.Stream, line.Text);
                        }

                        Note(log, damage);
                        fromLog = log.OutputRecords > 0;
                    }
                }

                if (!fromLog)
                {
                    foreach (FoldedLine line in OutputLogLines(folder, 0, query.Raw, cancellation))
                    {
                        yield return new ConsoleLine(++number, line.Time, line.Stream, line.Text);
                    }

                    if (followThis && folder.LogPath is null)
                    {
                        yield return null;
                    }
                }
            }
        }

        /// <summary>The last <paramref name="count"/> lines of a full read; followed lines pass straight on after them.</summary>
        private static IEnumerable<ConsoleLine> LastOf(IEnumerable<ConsoleLine?> lines, int count)
        {
            var last = new Queue<ConsoleLine>(Math.Min(count, 4096));
            bool following = false;
            foreach (ConsoleLine? line in lines)
            {
                if (line is null)
                {
                    following = true;
                    while (last.Count > 0)
                    {
                        yield return last.Dequeue();
                    }

                    continue;
                }

                if (following)
                {
                    yield return line;
                    continue;
                }

                if (last.Count == count)
                {
                    last.Dequeue();
                }

                last.Enqueue(line);
            }

            while (last.Count > 0)
            {
                yield return last.Dequeue();
            }
        }

        /// <summary>
        /// The last lines of one log, read from its end: the last block, then the last 2, 4, 8… blocks, until the last
        /// <paramref name="count"/> lines are known whole (a line may have begun in an earlier block, and a record may
        /// start before the blocks read: see <see cref="ConsoleFolder"/>). Lines are numbered only when the read reached
        /// the log's start. A log without console records gives the tail of output.log.
        /// </summary>
        private IEnumerable<ConsoleLine> TailOfLog(RunFolder folder, string runId, int count, LogQuery query, bool follow, List<string> damage, CancellationToken cancellation)
        {
            folder = Readable(folder, runId);
            Stream? stream = OpenLog(folder, runId);
            if (stream is null)
            {
                foreach (ConsoleLine line in TailOfOutputLog(folder, count, query.Raw, cancellation))
                {
                    yield return line;
                }

                yield break;
            }

            using (stream)
            {
                string path = folder.LogPath!;
                long lastBlock = Math.Max(0, (stream.Length - 1) / LogChunkReader.BlockSize);
                for (long blocks = 1; ; blocks *= 2)
                {
                    long start = Math.Max(0, lastBlock - blocks + 1) * LogChunkReader.BlockSize;
                    var log = new ConsoleLog(stream, path, query.Raw, startsMidStream: start > 0);
                    List<FoldedLine> lines = log.ReadFrom(start, cancellation).ToList();
                    bool ended = !follow || log.ExitSeen;
                    if (ended)
                    {
                        log.Folder.Flush(lines);
                    }

                    int from = Math.Max(0, lines.Count - count);
                    bool known = start == 0 || (lines.Count >= count && lines.Skip(from).All(l => l.Whole));
                    if (!known)
                    {
                        continue;
                    }

                    if (start == 0 && log.OutputRecords == 0)
                    {
                        Note(log, damage);
                        foreach (ConsoleLine line in TailOfOutputLog(folder, count, query.Raw, cancellation))
                        {
                            yield return line;
                        }

                        yield break;
                    }

                    _diagnostics.Verbose("Read the last " + (stream.Length - start) + " of " + stream.Length + " bytes of '" + path + "' for the last " + count + " console lines.");
                    long? number = start == 0 ? from : (long?)null;
                    for (int i = from; i < lines.Count; i++)
                    {
                        yield return new ConsoleLine(number is null ? null : ++number, lines[i].Time, lines[i].Stream, lines[i].Text);
                    }

                    if (!ended)
                    {
                        foreach (FoldedLine line in Follow(log, stream, path, runId, query, cancellation).Concat(Flushed(log.Folder)))
                        {
                            yield return new ConsoleLine(number is null ? null : ++number, line.Time, line.Stream, line.Text);
                        }
                    }

                    Note(log, damage);
                    yield break;
                }
            }
        }

        /// <summary>
        /// Reads a log on as it grows, from where the last read ended, until its exit record, until it has not been
        /// written for <see cref="LocalRunReader.RunningWindow"/>, or until cancelled (at once: the wait is on the token).
        /// A log deleted meanwhile is an error for the run.
        /// </summary>
        private IEnumerable<FoldedLine> Follow(ConsoleLog log, Stream stream, string path, string runId, LogQuery query, CancellationToken cancellation)
        {
            _diagnostics.Verbose("Following '" + path + "' until the run ends (Ctrl+C stops).");
            while (!log.ExitSeen)
            {
                if (cancellation.WaitHandle.WaitOne(query.PollInterval))
                {
                    cancellation.ThrowIfCancellationRequested();
                }

                if (!File.Exists(path))
                {
                    throw new WandbException(WandbErrorKind.RunNotFound, "Run '" + runId + "': its log '" + path + "' was deleted while it was followed.", path);
                }

                if (stream.Length > log.Resume)
                {
                    foreach (FoldedLine line in log.ReadFrom(log.Resume, cancellation))
                    {
                        yield return line;
                    }
                }
                else if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > LocalRunReader.RunningWindow)
                {
                    _diagnostics.Verbose("'" + path + "' has not been written for " + LocalRunReader.RunningWindow.TotalMinutes + " minutes: the run is no longer running.");
                    yield break;
                }
            }
        }

        private static IEnumerable<FoldedLine> Flushed(ConsoleFolder folder)
        {
            var lines = new List<FoldedLine>();
            folder.Flush(lines);
            return lines;
        }

        /// <summary>A log's damage: lost lines go to <paramref name="damage"/> (one warning per run), a cut-off end to verbose.</summary>
        private void Note(ConsoleLog log, List<string> damage)
        {
            List<LogDamage> lost = log.Damage.Where(d => !d.AtEnd).OrderBy(d => d.Offset).ToList();
            if (lost.Count > 0)
            {
                damage.Add("the run log is damaged before its end (" + lost.Count + " problem" + (lost.Count == 1 ? string.Empty : "s") + ", first at " + lost[0] + ")");
            }
            else if (log.Damage.Count > 0)
            {
                _diagnostics.Verbose("The run log is cut off at " + log.Damage[0] + "; the console lines before it were read.");
            }
        }

        /// <summary>output.log's lines from byte <paramref name="start"/> (a line start) on, folded like console records.</summary>
        private IEnumerable<FoldedLine> OutputLogLines(RunFolder folder, long start, bool raw, CancellationToken cancellation)
        {
            using Stream? stream = OpenOutputLog(folder);
            if (stream is null)
            {
                yield break;
            }

            stream.Seek(start, SeekOrigin.Begin);
            var folder2 = new ConsoleFolder(raw);
            var lines = new List<FoldedLine>();
            using var reader = new StreamReader(stream, Utf8, false, OutputLogPiece);
            var buffer = new char[OutputLogPiece];
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                folder2.Write(null, null, new ReadOnlySpan<char>(buffer, 0, read), lines);
                foreach (FoldedLine line in lines)
                {
                    yield return line;
                }

                lines.Clear();
            }

            folder2.Flush(lines);
            foreach (FoldedLine line in lines)
            {
                yield return line;
            }
        }

        /// <summary>output.log's last <paramref name="count"/> lines, found by reading it backwards in pieces.</summary>
        private IEnumerable<ConsoleLine> TailOfOutputLog(RunFolder folder, int count, bool raw, CancellationToken cancellation)
        {
            long start = 0;
            using (Stream? stream = OpenOutputLog(folder))
            {
                if (stream is null)
                {
                    yield break;
                }

                long length = stream.Length;
                long position = length;
                int seen = 0;
                var piece = new byte[OutputLogPiece];
                while (position > 0 && start == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                    int size = (int)Math.Min(piece.Length, position);
                    position -= size;
                    stream.Seek(position, SeekOrigin.Begin);
                    int filled = 0;
                    while (filled < size)
                    {
                        int n = stream.Read(piece, filled, size - filled);
                        if (n <= 0)
                        {
                            break;
                        }

                        filled += n;
                    }

                    // The count-th line feed from the end (a final one ends the last line, it starts none) starts the tail.
                    for (int i = filled - 1; i >= 0; i--)
                    {
                        if (piece[i] == (byte)'\n' && position + i != length - 1 && ++seen == count)
                        {
                            start = position + i + 1;
                            break;
                        }
                    }
                }
            }

            long? number = start == 0 ? 0 : (long?)null;
            foreach (FoldedLine line in OutputLogLines(folder, start, raw, cancellation))
            {
                yield return new ConsoleLine(number is null ? null : ++number, line.Time, line.Stream, line.Text);
            }
        }

        private static RunFolder Readable(RunFolder folder, string runId) =>
            folder.Unreadable is string why ? throw RunFile.Denied(runId, folder.Path, why) : folder;

        /// <summary>The run's log, open for a shared read; null (with a warning where it is not a log) when there is none to read.</summary>
        private Stream? OpenLog(RunFolder folder, string runId)
        {
            if (folder.LogPath is null)
            {
                return null;
            }

            Stream? stream = null;
            try
            {
                stream = RunFile.Open(folder.Path, folder.LogPath);
                if (stream is not null)
                {
                    // Checks the header now: a file that is not a W&B log is said here, not met mid-read.
                    LogChunkReader.At(stream, folder.LogPath, 0);
                }

                return stream;
            }
            catch (UnauthorizedAccessException e)
            {
                stream?.Dispose();
                throw RunFile.Denied(runId, folder.LogPath, e.Message);
            }
            catch (Exception e) when (e is IOException)
            {
                stream?.Dispose();
                _diagnostics.Warning(e is LogFormatException || e is RunFileRefusedException
                    ? e.Message + " Its console lines cannot be read from it."
                    : "Cannot read the run log '" + folder.LogPath + "': " + e.Message);
                return null;
            }
        }

        /// <summary>output.log, open for a shared read; null when it is missing or empty (offline runs of current SDKs leave it empty).</summary>
        private Stream? OpenOutputLog(RunFolder folder)
        {
            string path = folder.OutputLogPath;
            try
            {
                if (!File.Exists(path) || new FileInfo(path).Length == 0)
                {
                    _diagnostics.Verbose("The run folder '" + folder.Path + "' has no console records and no " + RunFolder.OutputLogFileName + " with text.");
                    return null;
                }

                return RunFile.Open(folder.Path, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                _diagnostics.Warning(e is RunFileRefusedException ? e.Message : "Cannot read '" + path + "': " + e.Message);
                return null;
            }
        }
    }
}
