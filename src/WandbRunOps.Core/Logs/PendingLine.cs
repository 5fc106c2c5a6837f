using System;
using System.Runtime.CompilerServices;

namespace WandbRunOps.Logs
{
    /// <summary>
    /// The line a stream of console output is writing (see <see cref="ConsoleFolder"/>): its characters, a cursor
    /// that a carriage return moves back to the start, the time of the last chunk that wrote to it. While everything
    /// written to it is ASCII (a progress bar's redraws: most chunks) it is kept as bytes, one per character, so a
    /// chunk is copied as it is; the first other character widens it to chars for the rest of the line.
    /// </summary>
    internal sealed class PendingLine
    {
        // Plain arrays, not a StringBuilder: overwriting by index must stay O(1) however long the line.
        private byte[] _bytes = new byte[256];
        private char[] _chars = new char[256];
        private bool _wide;

        public int Length { get; private set; }

        public int Cursor { get; set; }

        public DateTime? Time { get; set; }

        public bool SawLineFeed { get; set; }

        public long Started { get; set; } = -1;

        /// <summary>Writes characters at the cursor: over what is there, then past the end.</summary>
        public void Put(ReadOnlySpan<char> text, ref long started)
        {
            if (!_wide)
            {
                Widen();
            }

            int count = Claim(text.Length, ref started, out int at);
            text.Slice(0, count).CopyTo(new Span<char>(_chars, at, count));
        }

        /// <summary>
        /// Writes the bytes from the start of <paramref name="text"/> up to the first line feed, carriage return or byte
        /// that is not ASCII, as <see cref="Put(ReadOnlySpan{byte}, ref long)"/>; returns how many. One pass: the bytes
        /// are copied while they are looked at, eight at a time.
        /// </summary>
        public unsafe int PutPlainAscii(ReadOnlySpan<byte> text, ref long started)
        {
            if (_wide || Cursor + text.Length > ConsoleFolder.MaxLineChars || !BitConverter.IsLittleEndian)
            {
                int count = PlainAsciiRun(text);
                if (count > 0)
                {
                    Put(text.Slice(0, count), ref started);
                }

                return count;
            }

            if (Cursor + text.Length > _bytes.Length)
            {
                Grow(Cursor + text.Length);
            }

            int i = 0;
            fixed (byte* source = text)
            fixed (byte* target = &_bytes[0])
            {
                byte* at = target + Cursor;
                for (; i <= text.Length - 8; i += 8)
                {
                    ulong word = *(ulong*)(source + i);
                    if (HasStop(word))
                    {
                        break;
                    }

                    *(ulong*)(at + i) = word;
                }

                for (; i < text.Length && !IsStop(source[i]); i++)
                {
                    at[i] = source[i];
                }
            }

            if (i > 0)
            {
                if (Started < 0)
                {
                    Started = started++;
                }

                Cursor += i;
                Length = Math.Max(Length, Cursor);
            }

            return i;
        }

        /// <summary>
        /// How many bytes from the start are ASCII other than a line feed or carriage return (the bytes folding copies
        /// as they are).
        /// </summary>
        private static unsafe int PlainAsciiRun(ReadOnlySpan<byte> text)
        {
            fixed (byte* start = text)
            {
                int i = 0;
                for (; i <= text.Length - 8; i += 8)
                {
                    if (HasStop(*(ulong*)(start + i)))
                    {
                        break;
                    }
                }

                for (; i < text.Length; i++)
                {
                    if (IsStop(start[i]))
                    {
                        return i;
                    }
                }

                return i;
            }
        }

        /// <summary>
        /// True when one of eight bytes may be a stop (below 14, or above 127): exactly when
        /// <c>((word - 0x0E..0E) | word) &amp; 0x80..80</c> is not zero, as a borrow only starts at a byte below 14.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool HasStop(ulong word) => (((word - 0x0E0E0E0E0E0E0E0EUL) | word) & 0x8080808080808080UL) != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsStop(byte b) => b == (byte)'\n' || b == (byte)'\r' || b >= 0x80;

        /// <summary>Writes ASCII bytes (one character each) at the cursor, as <see cref="Put(ReadOnlySpan{char}, ref long)"/>.</summary>
        public unsafe void Put(ReadOnlySpan<byte> ascii, ref long started)
        {
            int count = Claim(ascii.Length, ref started, out int at);
            if (!_wide)
            {
                fixed (byte* source = ascii)
                fixed (byte* target = &_bytes[0])
                {
                    Copy(source, target + at, count);
                }

                return;
            }

            fixed (byte* source = ascii)
            fixed (char* target = &_chars[0])
            {
                Widen(source, target + at, count);
            }
        }

        /// <summary>The line's characters (valid until the next write or <see cref="Clear"/>).</summary>
        public Span<char> Text()
        {
            if (!_wide)
            {
                Widen();
            }

            return new Span<char>(_chars, 0, Length);
        }

        public void Clear()
        {
            Length = 0;
            Cursor = 0;
            _wide = false;
            if (_chars.Length > 64 * 1024 || _bytes.Length > 64 * 1024)
            {
                _chars = new char[256];
                _bytes = new byte[256];
            }
        }

        /// <summary>
        /// Makes room for <paramref name="count"/> characters written at the cursor: over what is there, then past the
        /// end (up to <see cref="ConsoleFolder.MaxLineChars"/>, so possibly fewer: the count that fits is returned,
        /// from <paramref name="at"/>); the cursor moves past them.
        /// </summary>
        private int Claim(int count, ref long started, out int at)
        {
            if (Started < 0)
            {
                Started = started++;
            }

            int over = Math.Min(count, Length - Cursor);
            int rest = Math.Min(count - over, ConsoleFolder.MaxLineChars - Length);
            int end = Cursor + over + rest;
            if (_wide ? end > _chars.Length : end > _bytes.Length)
            {
                Grow(end);
            }

            at = Cursor;
            Cursor = end;
            Length = Math.Max(Length, end);
            return over + rest;
        }

        private void Grow(int needed)
        {
            if (_wide)
            {
                var chars = new char[Math.Max(_chars.Length * 2, needed)];
                Array.Copy(_chars, chars, Length);
                _chars = chars;
            }
            else
            {
                var bytes = new byte[Math.Max(_bytes.Length * 2, needed)];
                Array.Copy(_bytes, bytes, Length);
                _bytes = bytes;
            }
        }

        /// <summary>From one byte per character to chars, for the rest of the line.</summary>
        private unsafe void Widen()
        {
            if (_chars.Length < _bytes.Length)
            {
                _chars = new char[_bytes.Length];
            }

            fixed (byte* source = &_bytes[0])
            fixed (char* target = &_chars[0])
            {
                Widen(source, target, Length);
            }

            _wide = true;
        }

        /// <summary>
        /// Eight bytes at a time. A chunk is about a hundred bytes: a loop here costs less than the framework's copy,
        /// whose call and size dispatch were a tenth of a console read (measured with the bench's JIT settings).
        /// </summary>
        private static unsafe void Copy(byte* source, byte* target, int count)
        {
            int i = 0;
            for (; i <= count - 8; i += 8)
            {
                *(ulong*)(target + i) = *(ulong*)(source + i);
            }

            for (; i < count; i++)
            {
                target[i] = source[i];
            }
        }

        /// <summary>Bytes to chars, four at a time.</summary>
        private static unsafe void Widen(byte* source, char* target, int count)
        {
            int i = 0;
            for (; BitConverter.IsLittleEndian && i <= count - 4; i += 4)
            {
                // b3 b2 b1 b0 -> 0 b3 0 b2 0 b1 0 b0 (little-endian, as chars are in memory).
                ulong x = *(uint*)(source + i);
                x = (x | (x << 16)) & 0x0000FFFF0000FFFFUL;
                x = (x | (x << 8)) & 0x00FF00FF00FF00FFUL;
                *(ulong*)(target + i) = x;
            }

            for (; i < count; i++)
            {
                target[i] = (char)source[i];
            }
        }
    }
}
