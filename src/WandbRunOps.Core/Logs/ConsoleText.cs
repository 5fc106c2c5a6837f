using System;

namespace WandbRunOps.Logs
{
    /// <summary>Removes terminal escape sequences (colours, cursor moves, window titles) from a console line.</summary>
    public static class ConsoleText
    {
        private const char Escape = '\u001b';
        private const char Bell = '\u0007';

        /// <summary>
        /// The line without ANSI/VT escapes: CSI (<c>ESC [</c> parameters, intermediates, one final byte), OSC
        /// (<c>ESC ]</c> … BEL or <c>ESC \</c>) and two-character escapes (<c>ESC</c> + one byte). An escape cut off at
        /// the end of the line is removed too.
        /// </summary>
        public static string StripEscapes(string line)
        {
            if (line.IndexOf(Escape) < 0)
            {
                return line;
            }

            char[] text = line.ToCharArray();
            return new string(text, 0, StripEscapes(text));
        }

        /// <summary>
        /// Removes the escapes of <see cref="StripEscapes(string)"/> in place; returns the length left. The text between
        /// escapes is found and moved four characters at a time: a progress bar's line is a few escapes and a long run
        /// of text, and every line of a console log passes through here.
        /// </summary>
        public static unsafe int StripEscapes(Span<char> line)
        {
            fixed (char* text = line)
            {
                int length = line.Length;
                int i = NextEscape(text, 0, length);
                int kept = i;
                while (i < length)
                {
                    if (text[i] == Escape)
                    {
                        i = SkipEscape(line, i);
                        continue;
                    }

                    int end = NextEscape(text, i, length);
                    MoveDown(text + i, text + kept, end - i);
                    kept += end - i;
                    i = end;
                }

                return kept;
            }
        }

        /// <summary>The index of the first escape at or after <paramref name="from"/>, or <paramref name="length"/>.</summary>
        private static unsafe int NextEscape(char* text, int from, int length)
        {
            int i = from;
            if (BitConverter.IsLittleEndian)
            {
                for (; i <= length - 4; i += 4)
                {
                    // A 16-bit lane of x is zero exactly where the character is ESC (the classic zero-lane test).
                    ulong x = *(ulong*)(text + i) ^ 0x001B001B001B001BUL;
                    if (((x - 0x0001000100010001UL) & ~x & 0x8000800080008000UL) != 0)
                    {
                        break;
                    }
                }
            }

            while (i < length && text[i] != Escape)
            {
                i++;
            }

            return i;
        }

        /// <summary>Moves characters towards the start (<paramref name="to"/> is at or before <paramref name="from"/>), four at a time.</summary>
        private static unsafe void MoveDown(char* from, char* to, int count)
        {
            int i = 0;
            if (to != from)
            {
                // Each word is read before it is written, and a write never reaches characters not yet read.
                for (; i <= count - 4; i += 4)
                {
                    *(ulong*)(to + i) = *(ulong*)(from + i);
                }

                for (; i < count; i++)
                {
                    to[i] = from[i];
                }
            }
        }

        /// <summary>The index just after the escape sequence that starts at <paramref name="start"/>.</summary>
        private static int SkipEscape(ReadOnlySpan<char> line, int start)
        {
            int i = start + 1;
            if (i >= line.Length)
            {
                return i;
            }

            char kind = line[i++];
            if (kind == '[')
            {
                // CSI: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, then one final byte 0x40-0x7E.
                while (i < line.Length && line[i] >= '\u0030' && line[i] <= '\u003f')
                {
                    i++;
                }

                while (i < line.Length && line[i] >= '\u0020' && line[i] <= '\u002f')
                {
                    i++;
                }

                return i < line.Length && line[i] >= '\u0040' && line[i] <= '\u007e' ? i + 1 : i;
            }

            if (kind == ']')
            {
                // OSC: up to BEL or ESC \ (string terminator).
                while (i < line.Length)
                {
                    if (line[i] == Bell)
                    {
                        return i + 1;
                    }

                    if (line[i] == Escape && i + 1 < line.Length && line[i + 1] == '\\')
                    {
                        return i + 2;
                    }

                    i++;
                }

                return i;
            }

            // ESC ( B and friends: a character-set choice takes one more byte.
            if (kind >= '\u0028' && kind <= '\u002f' && i < line.Length)
            {
                return i + 1;
            }

            return i;
        }
    }
}
