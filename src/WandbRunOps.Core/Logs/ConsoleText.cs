using System.Text;

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
            int first = line.IndexOf(Escape);
            if (first < 0)
            {
                return line;
            }

            var text = new StringBuilder(line.Length);
            text.Append(line, 0, first);
            int i = first;
            while (i < line.Length)
            {
                char c = line[i];
                if (c != Escape)
                {
                    int next = line.IndexOf(Escape, i);
                    int end = next < 0 ? line.Length : next;
                    text.Append(line, i, end - i);
                    i = end;
                    continue;
                }

                i = SkipEscape(line, i);
            }

            return text.ToString();
        }

        /// <summary>The index just after the escape sequence that starts at <paramref name="start"/>.</summary>
        private static int SkipEscape(string line, int start)
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
