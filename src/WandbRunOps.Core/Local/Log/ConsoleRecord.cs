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
        private ConsoleRecord(bool isOutput, bool isExit, string? stream, DateTime? time, string text)
        {
            IsOutput = isOutput;
            IsExit = isExit;
            Stream = stream;
            Time = time;
            Text = text;
        }

        public bool IsOutput { get; }

        public bool IsExit { get; }

        public string? Stream { get; }

        public DateTime? Time { get; }

        public string Text { get; }

        // Invalid UTF-8 becomes U+FFFD (the default UTF8Encoding replaces, never throws).
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

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
                        return new ConsoleRecord(false, true, null, null, string.Empty);
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
            string text = string.Empty;
            while (output.Next())
            {
                switch (output.Field)
                {
                    case RecordFields.OutputType: type = output.ReadInt32(); break;
                    case RecordFields.OutputTimestamp: time = output.ReadTimestamp(); break;
                    case RecordFields.OutputLine:
                        ArraySegment<byte> bytes = output.ReadBytes();
                        text = Utf8.GetString(bytes.Array!, bytes.Offset, bytes.Count);
                        break;
                    default: output.Skip(); break;
                }
            }

            if (wholeLines && !text.EndsWith("\n", StringComparison.Ordinal))
            {
                text += "\n";
            }

            return new ConsoleRecord(true, false, type == 1 ? "stdout" : "stderr", time, text);
        }
    }
}
