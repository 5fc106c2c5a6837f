using System;
using System.Text;

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

        // Invalid UTF-8 becomes U+FFFD (the default UTF8Encoding replaces, never throws).
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

        /// <summary>The text, decoded into <paramref name="chars"/> (grown when too small); returns the char count.</summary>
        public int Decode(ref char[] chars)
        {
            int most = Utf8.GetMaxCharCount(Text.Count);
            if (chars.Length < most)
            {
                chars = new char[Math.Max(most, chars.Length * 2)];
            }

            return Utf8.GetChars(Text.Array!, Text.Offset, Text.Count, chars, 0);
        }

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
        public static ConsoleRecord Decode(ArraySegment<byte> payload)
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

            bool endsLine = wholeLines && (text.Count == 0 || text.Array![text.Offset + text.Count - 1] != (byte)'\n');
            return new ConsoleRecord(true, false, type == 1 ? "stdout" : "stderr", time, text, endsLine);
        }
    }
}
