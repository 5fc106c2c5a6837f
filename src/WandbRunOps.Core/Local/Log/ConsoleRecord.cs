using System;
using System.Runtime.CompilerServices;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// What a record says about console output: an <c>OutputRawRecord</c> (field 13, current SDKs: raw chunks) or an
    /// <c>OutputRecord</c> (field 4, older SDKs: text with its line feeds), or an exit record (the run's output ends).
    /// </summary>
    internal readonly struct ConsoleRecord
    {
        private ConsoleRecord(bool isOutput, bool isExit, string? stream, DateTime? time, ArraySegment<byte> text, bool endsLine)
        {
            IsOutput = isOutput;
            IsExit = isExit;
            Stream = stream;
            Time = time;
            Text = text;
            EndsLine = endsLine;
        }

        public bool IsOutput { get; }

        public bool IsExit { get; }

        public string? Stream { get; }

        public DateTime? Time { get; }

        /// <summary>The chunk's UTF-8 bytes (inside the payload: valid until the next record is read).</summary>
        public ArraySegment<byte> Text { get; }

        /// <summary>True when the chunk ends its line though its text has no final line feed (see <see cref="Output"/>).</summary>
        public bool EndsLine { get; }

        private const byte NumTag = (1 << 3) | 0;

        /// <summary>
        /// True when a record's first chunk shows it is one of the kinds that are never console output nor the exit
        /// (history, summary, config, files, stats, artifact, telemetry, metric: fields 2-12 but 4), read from its first
        /// bytes: the optional <c>num</c> (field 1), then the oneof field, which writers put next (fields go out in
        /// number order, and every one of these numbers is below the fields that may follow). Such records are stepped
        /// over unchecked: their bytes are not console text, so checking them is not Get-RunLog's work.
        /// </summary>
        public static bool CannotBeConsole(ArraySegment<byte> firstChunk)
        {
            byte[] bytes = firstChunk.Array!;
            int i = firstChunk.Offset, end = firstChunk.Offset + firstChunk.Count;
            if (i < end && bytes[i] == NumTag)
            {
                i++;
                while (i < end && (bytes[i++] & 0x80) != 0)
                {
                }
            }

            if (i >= end || (bytes[i] & 7) != 2)
            {
                return false;
            }

            int field = bytes[i] >> 3;
            return field >= RecordFields.History && field <= RecordFields.Metric && field != RecordFields.Output;
        }

        /// <summary>Decodes a record's payload; throws <see cref="FormatException"/> when it is not valid protobuf.</summary>
        public static ConsoleRecord Decode(ArraySegment<byte> payload) =>
            TryDecodeChunk(payload.Array!, payload.Offset, payload.Offset + payload.Count, out ConsoleRecord chunk) ? chunk : DecodeAny(payload);

        private const byte OutputTag = (RecordFields.Output << 3) | 2;
        private const byte OutputRawTag = (RecordFields.OutputRaw << 3) | 2;
        private const byte TypeTag = (RecordFields.OutputType << 3) | 0;
        private const byte TimestampTag = (RecordFields.OutputTimestamp << 3) | 2;
        private const byte LineTag = (RecordFields.OutputLine << 3) | 2;

        /// <summary>
        /// A console record as every SDK writes one — its number, then the output message whose fields are the
        /// stream, the timestamp (seconds, nanos) and the text, each at most once — read in one pass over the bytes,
        /// with no reader per message: most records of a training run's log are these, a hundred bytes each. Anything
        /// else (another field, a repeated one, a varint too long, a length past the end) is false, and
        /// <see cref="DecodeAny"/> reads the record as it reads any other, so both give the same record or error.
        /// </summary>
        private static bool TryDecodeChunk(byte[] bytes, int i, int end, out ConsoleRecord record)
        {
            record = default;
            if (i < end && bytes[i] == NumTag && !SkipVarint(bytes, ref i, end))
            {
                return false;
            }

            if (end - i < 2 || (bytes[i] != OutputRawTag && bytes[i] != OutputTag))
            {
                return false;
            }

            bool wholeLines = bytes[i] == OutputTag;
            i++;
            if (!ReadLength(bytes, ref i, end, out int outputEnd))
            {
                return false;
            }

            int type = 0, seen = 0;
            DateTime? time = null;
            int textStart = 0, textEnd = 0;
            while (i < outputEnd)
            {
                byte tag = bytes[i++];
                int field = tag >> 3;
                if (field > 3 || (seen & (1 << field)) != 0)
                {
                    return false;
                }

                seen |= 1 << field;
                switch (tag)
                {
                    case TypeTag:
                        if (!ReadVarint(bytes, ref i, outputEnd, out ulong value))
                        {
                            return false;
                        }

                        type = (int)value;
                        break;
                    case TimestampTag:
                        if (!ReadLength(bytes, ref i, outputEnd, out int timestampEnd) || !ReadTimestamp(bytes, ref i, timestampEnd, out time))
                        {
                            return false;
                        }

                        break;
                    case LineTag:
                        if (!ReadLength(bytes, ref i, outputEnd, out textEnd))
                        {
                            return false;
                        }

                        textStart = i;
                        i = textEnd;
                        break;
                    default:
                        return false;
                }
            }

            var text = new ArraySegment<byte>(bytes, textStart, textEnd - textStart);
            record = Chunk(type, time, text, wholeLines);
            return true;
        }

        /// <summary>Seconds then nanos, each at most once (anything else is false: see <see cref="TryDecodeChunk"/>).</summary>
        private static bool ReadTimestamp(byte[] bytes, ref int i, int end, out DateTime? time)
        {
            time = null;
            ulong seconds = 0, nanos = 0;
            if (i < end && bytes[i] == (1 << 3))
            {
                i++;
                if (!ReadVarint(bytes, ref i, end, out seconds))
                {
                    return false;
                }
            }

            if (i < end && bytes[i] == (2 << 3))
            {
                i++;
                if (!ReadVarint(bytes, ref i, end, out nanos))
                {
                    return false;
                }
            }

            if (i != end)
            {
                return false;
            }

            time = TimeValues.FromUnixSeconds((long)seconds, (int)nanos);
            return true;
        }

        /// <summary>A length prefix at <paramref name="i"/>; <paramref name="fieldEnd"/> is where the field's bytes end.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool ReadLength(byte[] bytes, ref int i, int end, out int fieldEnd)
        {
            fieldEnd = 0;
            if (!ReadVarint(bytes, ref i, end, out ulong length) || length > (ulong)(end - i))
            {
                return false;
            }

            fieldEnd = i + (int)length;
            return true;
        }

        /// <summary>A varint of up to 8 bytes (longer ones go to the general path).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool ReadVarint(byte[] bytes, ref int i, int end, out ulong value)
        {
            value = 0;
            if (i >= end)
            {
                return false;
            }

            if (bytes[i] < 0x80)
            {
                value = bytes[i++];
                return true;
            }

            if (bytes.Length - i < 8 || !BitConverter.IsLittleEndian)
            {
                return ReadVarintSlowly(bytes, ref i, end, out value);
            }

            // Eight bytes at once, without a branch per byte: the first byte without its high bit ends the varint.
            // (BitConverter rather than a pointer: a method with a pinned local is never inlined.)
            ulong word = BitConverter.ToUInt64(bytes, i);

            ulong stops = ~word & 0x8080808080808080UL;
            if (stops == 0)
            {
                return false;
            }

            ulong last = stops & (~stops + 1);
            ulong keep = (last | (last - 1)) & 0x7F7F7F7F7F7F7F7FUL;
            int length = (int)(((keep & 0x0101010101010101UL) * 0x0101010101010101UL) >> 56);
            if (length > end - i)
            {
                return false;
            }

            // The 7-bit groups packed together: pairs into 14 bits, then 28, then 56.
            ulong x = word & keep;
            x = (x & 0x007F007F007F007FUL) | ((x & 0x7F007F007F007F00UL) >> 1);
            x = (x & 0x00003FFF00003FFFUL) | ((x & 0x3FFF00003FFF0000UL) >> 2);
            value = (x & 0x000000000FFFFFFFUL) | ((x & 0x0FFFFFFF00000000UL) >> 4);
            i += length;
            return true;
        }

        private static bool ReadVarintSlowly(byte[] bytes, ref int i, int end, out ulong value)
        {
            value = 0;
            for (int shift = 0; shift < 56 && i < end; shift += 7)
            {
                ulong b = bytes[i++];
                value |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool SkipVarint(byte[] bytes, ref int i, int end)
        {
            i++;
            return ReadVarint(bytes, ref i, end, out _);
        }

        /// <summary>Any record, field by field (internal: the tests check the fast path against it).</summary>
        internal static ConsoleRecord DecodeAny(ArraySegment<byte> payload)
        {
            var record = new ProtoReader(payload.Array!, payload.Offset, payload.Count);
            while (record.Next())
            {
                switch (record.Field)
                {
                    case RecordFields.Output:
                        return Output(record.ReadMessage(), wholeLines: true);
                    case RecordFields.OutputRaw:
                        return Output(record.ReadMessage(), wholeLines: false);
                    case RecordFields.Exit:
                        record.Skip();
                        return new ConsoleRecord(false, true, null, null, default, false);
                    default:
                        record.Skip();
                        break;
                }
            }

            return default;
        }

        /// <param name="output">The OutputRecord or OutputRawRecord message.</param>
        /// <param name="wholeLines">
        /// True for an OutputRecord: the SDK wrote it after its own terminal emulation, so it holds whole lines (real
        /// 0.12 logs end every one with a line feed); one without a final line feed still ends its line.
        /// </param>
        private static ConsoleRecord Output(ProtoReader output, bool wholeLines)
        {
            // proto3 leaves out output_type 0: STDERR is the default.
            int type = 0;
            DateTime? time = null;
            ArraySegment<byte> text = new ArraySegment<byte>(Array.Empty<byte>());
            while (output.Next())
            {
                switch (output.Field)
                {
                    case RecordFields.OutputType: type = output.ReadInt32(); break;
                    case RecordFields.OutputTimestamp: time = output.ReadTimestamp(); break;
                    case RecordFields.OutputLine: text = output.ReadBytes(); break;
                    default: output.Skip(); break;
                }
            }

            return Chunk(type, time, text, wholeLines);
        }

        private static ConsoleRecord Chunk(int type, DateTime? time, ArraySegment<byte> text, bool wholeLines)
        {
            bool endsLine = wholeLines && (text.Count == 0 || text.Array![text.Offset + text.Count - 1] != (byte)'\n');
            return new ConsoleRecord(true, false, type == 1 ? "stdout" : "stderr", time, text, endsLine);
        }
    }
}
