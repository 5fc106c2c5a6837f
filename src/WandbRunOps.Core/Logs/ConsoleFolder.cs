using System;
using System.Collections.Generic;
using System.Text;

namespace WandbRunOps.Logs
{
    /// <summary>
    /// Folds console output chunks into the lines a terminal shows (docs/protocol.md, section 2.4, "Console output").
    /// Each stream (stdout, stderr, unknown) has its own line being written: a line feed ends it; a carriage return
    /// moves back to its first column, so what follows overwrites it character by character (a progress bar's
    /// redraws leave its last state; text longer than the overwrite stays, as on a terminal); a chunk may end
    /// mid-line and the next chunk of the stream continues it. Escape codes are characters here: they are removed
    /// from finished lines (unless raw), so a redraw with the same colours folds the same either way.
    /// Linear in the text: each character is copied once, or overwrites one.
    /// </summary>
    public sealed class ConsoleFolder
    {
        /// <summary>Characters kept of one line; beyond this a line's text is dropped (a bound on memory, far above any real line).</summary>
        public const int MaxLineChars = 64 * 1024 * 1024;

        private readonly PendingLine[] _pending = { new PendingLine(), new PendingLine(), new PendingLine() };
        private readonly bool _raw;
        private readonly bool _startsMidStream;
        private long _started;

        /// <param name="raw">Keep escape codes in the lines.</param>
        /// <param name="startsMidStream">
        /// True when the first chunks given are not the output's first (a tail read from the middle of a log): the
        /// first line each stream finishes may have begun earlier, so it is marked <see cref="FoldedLine.Whole"/> false.
        /// </param>
        public ConsoleFolder(bool raw, bool startsMidStream = false)
        {
            _raw = raw;
            _startsMidStream = startsMidStream;
        }

        /// <summary>Adds one chunk of <paramref name="stream"/> (stdout, stderr or null); finished lines go to <paramref name="lines"/>.</summary>
        public void Write(string? stream, DateTime? time, string text, List<FoldedLine> lines) => Write(stream, time, text.AsSpan(), lines);

        // Invalid UTF-8 becomes U+FFFD (the default UTF8Encoding replaces, never throws).
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);
        private char[] _decoded = new char[256];

        /// <summary>
        /// Adds one chunk given as UTF-8 (invalid bytes become U+FFFD): the same lines as decoding it whole and calling
        /// <see cref="Write(string, DateTime?, ReadOnlySpan{char}, List{FoldedLine})"/>. Console chunks are almost always
        /// ASCII, folded here byte by byte without decoding; from the first byte that is not, the rest of the chunk is
        /// decoded (a line feed or carriage return before it is ASCII, so no character spans the cut).
        /// </summary>
        public void WriteUtf8(string? stream, DateTime? time, ReadOnlySpan<byte> text, List<FoldedLine> lines)
        {
            PendingLine line = _pending[Index(stream)];
            int i = 0;
            while (i < text.Length)
            {
                int stop = i + line.PutPlainAscii(text.Slice(i), ref _started);
                if (stop > i)
                {
                    line.Time = time;
                }

                if (stop == text.Length)
                {
                    return;
                }

                byte b = text[stop];
                if (b == (byte)'\n')
                {
                    line.Time = time;
                    lines.Add(Finish(line, stream));
                }
                else if (b == (byte)'\r')
                {
                    line.Cursor = 0;
                }
                else
                {
                    WriteDecoded(stream, time, text.Slice(stop), lines);
                    return;
                }

                i = stop + 1;
            }
        }

        private unsafe void WriteDecoded(string? stream, DateTime? time, ReadOnlySpan<byte> text, List<FoldedLine> lines)
        {
            int most = Utf8.GetMaxCharCount(text.Length);
            if (_decoded.Length < most)
            {
                _decoded = new char[Math.Max(most, _decoded.Length * 2)];
            }

            int count;
            fixed (byte* bytes = text)
            fixed (char* chars = _decoded)
            {
                count = Utf8.GetChars(bytes, text.Length, chars, _decoded.Length);
            }

            Write(stream, time, new ReadOnlySpan<char>(_decoded, 0, count), lines);
        }

        /// <summary>Adds one chunk of <paramref name="stream"/> (stdout, stderr or null); finished lines go to <paramref name="lines"/>.</summary>
        public void Write(string? stream, DateTime? time, ReadOnlySpan<char> text, List<FoldedLine> lines)
        {
            PendingLine line = _pending[Index(stream)];
            int i = 0;
            while (i < text.Length)
            {
                int found = text.Slice(i).IndexOfAny('\n', '\r');
                int stop = found < 0 ? -1 : i + found;
                int end = stop < 0 ? text.Length : stop;
                if (end > i)
                {
                    line.Put(text.Slice(i, end - i), ref _started);
                    line.Time = time;
                }

                if (stop < 0)
                {
                    break;
                }

                if (text[stop] == '\n')
                {
                    line.Time = time;
                    lines.Add(Finish(line, stream));
                }
                else
                {
                    line.Cursor = 0;
                }

                i = stop + 1;
            }
        }

        /// <summary>The lines not yet ended by a line feed (the output stopped mid-line), in the order they began.</summary>
        public void Flush(List<FoldedLine> lines)
        {
            var open = new List<(long Started, int Index)>();
            for (int i = 0; i < _pending.Length; i++)
            {
                if (_pending[i].Length > 0)
                {
                    open.Add((_pending[i].Started, i));
                }
            }

            open.Sort((a, b) => a.Started.CompareTo(b.Started));
            foreach ((long _, int index) in open)
            {
                lines.Add(Finish(_pending[index], StreamName(index)));
            }
        }

        private FoldedLine Finish(PendingLine line, string? stream)
        {
            // The line's buffer is cleared next, so the escapes are removed in place: one string per line.
            Span<char> chars = line.Text();
            int length = _raw ? chars.Length : ConsoleText.StripEscapes(chars);
            var folded = new FoldedLine(stream, line.Time, chars.Slice(0, length).ToString(), !_startsMidStream || line.SawLineFeed);
            line.Clear();
            line.SawLineFeed = true;
            line.Started = -1;
            return folded;
        }

        private static int Index(string? stream) => stream == "stdout" ? 0 : stream == "stderr" ? 1 : 2;

        private static string? StreamName(int index) => index == 0 ? "stdout" : index == 1 ? "stderr" : null;
    }

    /// <summary>A line <see cref="ConsoleFolder"/> finished.</summary>
    public readonly struct FoldedLine
    {
        public FoldedLine(string? stream, DateTime? time, string text, bool whole)
        {
            Stream = stream;
            Time = time;
            Text = text;
            Whole = whole;
        }

        public string? Stream { get; }

        /// <summary>The time of the last chunk that wrote to the line.</summary>
        public DateTime? Time { get; }

        public string Text { get; }

        /// <summary>False when the line may have begun before the first chunk given (see <see cref="ConsoleFolder"/>).</summary>
        public bool Whole { get; }
    }
}
