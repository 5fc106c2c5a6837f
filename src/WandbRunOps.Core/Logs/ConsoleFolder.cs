using System;
using System.Collections.Generic;

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

        private readonly Pending[] _pending = { new Pending(), new Pending(), new Pending() };
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

        /// <summary>Adds one chunk of <paramref name="stream"/> (stdout, stderr or null); finished lines go to <paramref name="lines"/>.</summary>
        public void Write(string? stream, DateTime? time, ReadOnlySpan<char> text, List<FoldedLine> lines)
        {
            Pending line = _pending[Index(stream)];
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

        private FoldedLine Finish(Pending line, string? stream)
        {
            string text = new string(line.Chars, 0, line.Length);
            var folded = new FoldedLine(stream, line.Time, _raw ? text : ConsoleText.StripEscapes(text), !_startsMidStream || line.SawLineFeed);
            line.Clear();
            line.SawLineFeed = true;
            line.Started = -1;
            return folded;
        }

        private static int Index(string? stream) => stream == "stdout" ? 0 : stream == "stderr" ? 1 : 2;

        private static string? StreamName(int index) => index == 0 ? "stdout" : index == 1 ? "stderr" : null;

        private sealed class Pending
        {
            // A plain array, not a StringBuilder: overwriting by index must stay O(1) however long the line.
            public char[] Chars { get; private set; } = new char[256];

            public int Length { get; private set; }

            public int Cursor { get; set; }

            public DateTime? Time { get; set; }

            public bool SawLineFeed { get; set; }

            public long Started { get; set; } = -1;

            /// <summary>Writes characters at the cursor: over what is there, then past the end.</summary>
            public void Put(ReadOnlySpan<char> text, ref long started)
            {
                if (Started < 0)
                {
                    Started = started++;
                }

                int count = text.Length;
                int over = Math.Min(count, Length - Cursor);
                text.Slice(0, over).CopyTo(Chars.AsSpan(Cursor));
                Cursor += over;
                int rest = Math.Min(count - over, MaxLineChars - Length);
                if (rest > 0)
                {
                    if (Length + rest > Chars.Length)
                    {
                        var grown = new char[Math.Max(Chars.Length * 2, Length + rest)];
                        Array.Copy(Chars, grown, Length);
                        Chars = grown;
                    }

                    text.Slice(over, rest).CopyTo(Chars.AsSpan(Length));
                    Length += rest;
                    Cursor = Length;
                }
            }

            public void Clear()
            {
                Length = 0;
                Cursor = 0;
                if (Chars.Length > 64 * 1024)
                {
                    Chars = new char[256];
                }
            }
        }
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
