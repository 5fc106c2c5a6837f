using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using WandbRunOps.Local.Log;
using WandbRunOps.Logs;
using WandbRunOps.Testing;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Logs
{
    /// <summary>
    /// The console read's fast paths (issue 16, "Performance") against the plain ones they stand in for, on random
    /// input: a console record read in one pass against the field-by-field reader, a chunk folded from its UTF-8 bytes
    /// against decoding it and folding the characters, escapes removed in place against a plain reference, and a
    /// protobuf timestamp converted by ticks against adding seconds then ticks.
    /// </summary>
    public class ConsoleDecodingAgreementTests
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

        [Fact]
        public void AConsoleRecordReadInOnePassIsTheRecordTheFieldByFieldReaderGives()
        {
            var random = new Random(16);
            int fastShaped = 0;
            for (int n = 0; n < 20000; n++)
            {
                byte[] payload = RandomRecord(random, out bool typical);
                if (random.Next(4) == 0)
                {
                    payload = Damaged(random, payload);
                    typical = false;
                }

                fastShaped += typical ? 1 : 0;
                string fast = Describe(() => ConsoleRecord.Decode(new ArraySegment<byte>(payload)));
                string any = Describe(() => ConsoleRecord.DecodeAny(new ArraySegment<byte>(payload)));
                Assert.True(any == fast, "record " + BitConverter.ToString(payload) + ": " + fast + " against " + any);
            }

            Assert.True(fastShaped > 5000, "too few records of the usual shape: " + fastShaped);
        }

        [Fact]
        public void AChunkFoldedFromItsBytesGivesTheLinesOfItsDecodedText()
        {
            var random = new Random(1616);
            for (int n = 0; n < 300; n++)
            {
                var chunks = Enumerable.Range(0, random.Next(1, 40)).Select(_ => (Stream: Streams[random.Next(Streams.Length)], Bytes: RandomText(random))).ToList();
                foreach (bool raw in new[] { false, true })
                {
                    var fromBytes = new ConsoleFolder(raw, startsMidStream: n % 2 == 0);
                    var fromChars = new ConsoleFolder(raw, startsMidStream: n % 2 == 0);
                    var bytesLines = new List<FoldedLine>();
                    var charsLines = new List<FoldedLine>();
                    var time = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
                    foreach ((string? stream, byte[] bytes) in chunks)
                    {
                        time = time.AddSeconds(1);
                        fromBytes.WriteUtf8(stream, time, bytes, bytesLines);
                        fromChars.Write(stream, time, Utf8.GetString(bytes), charsLines);
                    }

                    fromBytes.Flush(bytesLines);
                    fromChars.Flush(charsLines);
                    Assert.Equal(charsLines.Select(Show), bytesLines.Select(Show));
                }
            }
        }

        [Fact]
        public void EscapesRemovedInPlaceAreThoseAPlainScanRemoves()
        {
            var random = new Random(1618);
            for (int n = 0; n < 20000; n++)
            {
                string line = Utf8.GetString(RandomText(random)).Replace("\n", "x").Replace("\r", "y");
                Assert.Equal(Reference(line), ConsoleText.StripEscapes(line));
            }
        }

        [Fact]
        public void ATimestampConvertedByTicksIsTheTimeAddingSecondsThenTicksGives()
        {
            var random = new Random(1619);
            var epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            long max = (long)(DateTime.MaxValue - epoch).TotalSeconds;
            var seconds = new List<long> { 1, 1700000000, max, max - 1, 0, -5 };
            seconds.AddRange(Enumerable.Range(0, 5000).Select(_ => (long)(random.NextDouble() * max)));
            foreach (long s in seconds)
            {
                foreach (int nanos in new[] { 0, 999_999_999, -1, int.MaxValue, int.MinValue, random.Next(), -random.Next() })
                {
                    // Where adding them leaves DateTime's range (only at its very end) the time is unknown: null, not an exception.
                    // The exact sum, in decimal: past DateTime's end (only at its very end) the time is unknown, null.
                    decimal exact = epoch.Ticks + ((decimal)s * TimeSpan.TicksPerSecond) + (nanos / 100);
                    string expected = Describe(() =>
                        s <= 0 || s > max || exact > DateTime.MaxValue.Ticks ? null
                        : (decimal)s * TimeSpan.TicksPerSecond <= (DateTime.MaxValue - epoch).Ticks ? epoch.AddSeconds(s).AddTicks(nanos / 100)
                        : new DateTime((long)exact, DateTimeKind.Utc));
                    string actual = Describe(() => TimeValues.FromUnixSeconds(s, nanos));
                    Assert.True(expected == actual, s + " s, " + nanos + " ns: " + actual + " against " + expected);
                }
            }
        }

        [Fact]
        public void TimesAtTheEndOfDateTimesRangeAreUnknownNotAnException()
        {
            var epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            double last = (DateTime.MaxValue - epoch).TotalSeconds;
            long lastWhole = (long)Math.Floor((DateTime.MaxValue - epoch).Ticks / (double)TimeSpan.TicksPerSecond) - 1;

            Assert.Equal(DateTime.MaxValue, TimeValues.FromUnixSeconds(lastWhole, 999_999_999));
            Assert.Null(TimeValues.FromUnixSeconds(lastWhole + 1, 0));
            Assert.Equal(epoch.AddSeconds(lastWhole), TimeValues.FromUnixSeconds(lastWhole, 0));
            foreach (double seconds in new[] { last, Math.BitDecrement(last), lastWhole + 0.9999999 })
            {
                DateTime? time = TimeValues.FromUnixSeconds(seconds);
                Assert.True(time is null || time <= DateTime.MaxValue, seconds.ToString("R"));
            }
        }

        private static readonly string?[] Streams = { "stdout", "stderr", null };

        /// <summary>A record: mostly a console chunk as SDKs write it, sometimes with other fields, repeats or odd values.</summary>
        private static byte[] RandomRecord(Random random, out bool typicalRecord)
        {
            var w = new ProtoWriter();
            bool typical = typicalRecord = random.Next(3) != 0;
            if (random.Next(5) != 0)
            {
                w.WriteRawVarint(1 << 3);
                w.WriteRawVarint(typical ? (ulong)random.Next(1, int.MaxValue) : (ulong)random.NextInt64());
            }

            if (!typical && random.Next(4) == 0)
            {
                w.WriteString(random.Next(2, 30), "other");
            }

            int field = random.Next(10) == 0 ? RecordFields.Exit : random.Next(2) == 0 ? RecordFields.Output : RecordFields.OutputRaw;
            w.WriteMessage(field, body =>
            {
                var fields = new List<Action>
                {
                    () => Varint(body, 1, typical ? (ulong)random.Next(0, 3) : (ulong)random.NextInt64()),
                    () => body.WriteMessage(2, t =>
                    {
                        Varint(t, 1, typical ? (ulong)random.Next(1_500_000_000, 1_800_000_000) : (ulong)random.NextInt64());
                        if (random.Next(4) != 0)
                        {
                            Varint(t, 2, typical ? (ulong)random.Next(0, 1_000_000_000) : (ulong)(long)random.Next(int.MinValue, int.MaxValue));
                        }

                        if (!typical && random.Next(3) == 0)
                        {
                            Varint(t, random.Next(1, 4), (ulong)random.Next());
                        }
                    }),
                    () => body.WriteBytes(3, RandomText(random)),
                };
                if (!typical)
                {
                    fields.Add(() => Varint(body, random.Next(1, 20), (ulong)random.Next()));
                    fields.Add(fields[random.Next(3)]);
                }

                foreach (Action write in fields.OrderBy(_ => typical ? 0 : random.Next()).Where(_ => random.Next(6) != 0))
                {
                    write();
                }
            });
            if (random.Next(3) == 0)
            {
                w.WriteString(200, "trailing");
            }

            return w.ToArray();
        }

        private static void Varint(ProtoWriter writer, int field, ulong value)
        {
            writer.WriteTag(field, 0);
            writer.WriteRawVarint(value);
        }

        private static byte[] Damaged(Random random, byte[] payload)
        {
            byte[] copy = payload.Take(random.Next(payload.Length + 1)).ToArray();
            if (copy.Length > 0 && random.Next(2) == 0)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            return copy;
        }

        /// <summary>Console text: ASCII, carriage returns, line feeds, escapes, multi-byte characters and invalid UTF-8.</summary>
        private static byte[] RandomText(Random random)
        {
            string[] pieces = { "a", "loss=0.5 ", "\r", "\n", "\r\n", "\u001b[32m", "\u001b[0m", "\u001b]0;t\u0007", "\u001b(B", "\u001b", "é", "█", "\t", "100%|####| 12/34 [00:01<00:02]" };
            var bytes = new List<byte>();
            int count = random.Next(0, random.Next(3) == 0 ? 120 : 12);
            for (int i = 0; i < count; i++)
            {
                if (random.Next(25) == 0)
                {
                    byte[][] invalid = { new byte[] { 0xFF }, new byte[] { 0x80 }, new byte[] { 0xE2, 0x96 }, new byte[] { 0xC3 } };
                    bytes.AddRange(invalid[random.Next(invalid.Length)]);
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)]));
                }
            }

            return bytes.ToArray();
        }

        private static string Show(FoldedLine line) => (line.Stream ?? "-") + "|" + line.Time?.Ticks + "|" + line.Whole + "|" + line.Text;

        private static string Describe(Func<ConsoleRecord> decode)
        {
            try
            {
                ConsoleRecord r = decode();
                return r.IsOutput + "/" + r.IsExit + "/" + r.Stream + "/" + r.Time?.Ticks + "/" + r.EndsLine + "/" + r.Text.Offset + "/" + r.Text.Count;
            }
            catch (FormatException e)
            {
                return "error: " + e.Message;
            }
        }

        private static string Describe(Func<DateTime?> convert)
        {
            try
            {
                return convert()?.Ticks.ToString() + "/" + convert()?.Kind;
            }
            catch (ArgumentOutOfRangeException)
            {
                return "out of range";
            }
        }

        /// <summary>The escapes ConsoleText documents, removed by a plain scan.</summary>
        private static string Reference(string line)
        {
            var kept = new StringBuilder();
            int i = 0;
            while (i < line.Length)
            {
                if (line[i] != '\u001b')
                {
                    kept.Append(line[i++]);
                    continue;
                }

                i++;
                if (i >= line.Length)
                {
                    break;
                }

                char kind = line[i++];
                if (kind == '[')
                {
                    while (i < line.Length && line[i] >= '0' && line[i] <= '?') { i++; }
                    while (i < line.Length && line[i] >= ' ' && line[i] <= '/') { i++; }
                    if (i < line.Length && line[i] >= '@' && line[i] <= '~') { i++; }
                }
                else if (kind == ']')
                {
                    while (i < line.Length && line[i] != '\u0007' && !(line[i] == '\u001b' && i + 1 < line.Length && line[i + 1] == '\\')) { i++; }
                    i = i >= line.Length ? i : line[i] == '\u0007' ? i + 1 : i + 2;
                }
                else if (kind >= '(' && kind <= '/' && i < line.Length)
                {
                    i++;
                }
            }

            return kept.ToString();
        }
    }
}
