using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WandbRunOps.Local.Log;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>The framing: blocks, chunk types, checksums, and recovery from damage.</summary>
    public class LogChunkReaderTests
    {
        private static (List<byte[]> Records, LogChunkReader Reader) ReadAll(byte[] bytes)
        {
            var reader = new LogChunkReader(new MemoryStream(bytes), "test.wandb");
            var records = new List<byte[]>();
            while (reader.TryRead(out ArraySegment<byte> payload))
            {
                records.Add(payload.ToArray());
            }

            return (records, reader);
        }

        private static byte[] Payload(int size, byte seed)
        {
            var payload = new byte[size];
            for (int i = 0; i < size; i++)
            {
                payload[i] = (byte)(seed + i * 7);
            }

            return payload;
        }

        [Fact]
        public void RecordsSplitAcrossBlocksReassembleExactly()
        {
            byte[] small = Payload(100, 1);
            byte[] huge = Payload(100_000, 2);
            byte[] after = Payload(50, 3);
            byte[] bytes = LogBuilder.Bytes(new[] { small, huge, after });
            Assert.True(bytes.Length > 3 * LogChunkReader.BlockSize);

            var (records, reader) = ReadAll(bytes);
            Assert.Equal(3, records.Count);
            Assert.Equal(huge, records[1]);
            Assert.Equal(after, records[2]);
            Assert.Empty(reader.Damage);
        }

        [Fact]
        public void BlockTailsShorterThanAChunkHeaderArePadding()
        {
            // Fill block 0 so exactly 3 bytes remain: 32768 - 7 (file header) - 7 (chunk header) - 3 = 32751 payload bytes.
            byte[] filler = Payload(32751, 4);
            byte[] next = Payload(10, 5);
            var (records, reader) = ReadAll(LogBuilder.Bytes(new[] { filler, next }));
            Assert.Equal(new[] { filler, next }, records);
            Assert.Empty(reader.Damage);
        }

        [Fact]
        public void ABadChecksumSkipsToTheNextBlockAndRecoversTheRecordsThere()
        {
            byte[] good = Payload(20, 6);
            byte[] bytes = LogBuilder.Bytes(w =>
            {
                w.WriteRecord(good);
                w.WriteChunk(WandbLogWriter.Full, Payload(30, 7), corruptCrc: true);
                w.WriteRecord(Payload(40, 8)); // same block as the damage: lost with it
                w.PadToBlockEnd();
                w.WriteRecord(Payload(50, 9));
            });
            var (records, reader) = ReadAll(bytes);
            Assert.Equal(new[] { 20, 50 }, records.Select(r => r.Length));
            LogDamage damage = Assert.Single(reader.Damage);
            Assert.Contains("checksum", damage.Description);
            Assert.Equal(7 + 7 + 20, damage.Offset);
        }

        [Fact]
        public void AMiddleOrLastChunkWithoutItsFirstIsSkipped()
        {
            byte[] bytes = LogBuilder.Bytes(w =>
            {
                w.WriteChunk(WandbLogWriter.Middle, Payload(10, 1));
                w.WriteChunk(WandbLogWriter.Last, Payload(10, 2));
                w.WriteRecord(Payload(10, 3));
            });
            var (records, reader) = ReadAll(bytes);
            Assert.Equal(Payload(10, 3), Assert.Single(records));
            Assert.Equal(2, reader.Damage.Count);
            Assert.Contains("MIDDLE chunk without its FIRST", reader.Damage[0].Description);
            Assert.Contains("LAST chunk without its FIRST", reader.Damage[1].Description);
        }

        [Fact]
        public void AFirstInterruptedByAFullRecordDropsThePartialOne()
        {
            byte[] bytes = LogBuilder.Bytes(w =>
            {
                w.WriteChunk(WandbLogWriter.First, Payload(10, 1));
                w.WriteRecord(Payload(12, 2));
            });
            var (records, reader) = ReadAll(bytes);
            Assert.Equal(12, Assert.Single(records).Length);
            Assert.Contains("interrupted", Assert.Single(reader.Damage).Description);
        }

        [Fact]
        public void ALogEndingInAFirstChunkYieldsEveryCompleteRecord()
        {
            byte[] bytes = LogBuilder.Bytes(w =>
            {
                w.WriteRecord(Payload(10, 1));
                w.WriteChunk(WandbLogWriter.First, Payload(10, 2));
            });
            var (records, reader) = ReadAll(bytes);
            Assert.Single(records);
            Assert.Contains("FIRST chunk without LAST", Assert.Single(reader.Damage).Description);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(7)]
        [InlineData(20)]
        public void ALogCutInsideAChunkEndsCleanly(int cut)
        {
            byte[] full = LogBuilder.Bytes(new[] { Payload(10, 1), Payload(30, 2) });
            byte[] truncated = full.Take(full.Length - cut).ToArray();
            var (records, reader) = ReadAll(truncated);
            Assert.Equal(10, Assert.Single(records).Length);
            Assert.Contains("ends inside a chunk", Assert.Single(reader.Damage).Description);
        }

        [Fact]
        public void AZeroedRegionIsSkippedToTheNextBlock()
        {
            byte[] bytes = LogBuilder.Bytes(w =>
            {
                w.WriteRecord(Payload(10, 1));
                w.PadToBlockEnd();
                w.WriteRecord(Payload(11, 2));
            });
            var (records, reader) = ReadAll(bytes);
            Assert.Equal(new[] { 10, 11 }, records.Select(r => r.Length));
            Assert.Empty(reader.Damage);
        }

        [Fact]
        public void ALengthPastTheBlockIsDamageNotACrash()
        {
            byte[] bytes = LogBuilder.Bytes(w =>
            {
                w.WriteRecord(Payload(10, 1));
                w.PadToBlockEnd();
                w.WriteRecord(Payload(10, 2));
            });

            // Claim 60000 bytes in the first chunk's length field.
            bytes[7 + 4] = 0x60;
            bytes[7 + 5] = 0xEA;
            var (records, reader) = ReadAll(bytes);
            Assert.Equal(Payload(10, 2), Assert.Single(records));
            Assert.Contains("more than its block holds", Assert.Single(reader.Damage).Description);
        }

        [Fact]
        public void HeaderOnlyLogHasNoRecords()
        {
            var (records, reader) = ReadAll(LogBuilder.Bytes(_ => { }));
            Assert.Empty(records);
            Assert.True(reader.HeaderOnly);
            Assert.Empty(reader.Damage);
        }

        [Theory]
        [InlineData(new byte[0], "empty")]
        [InlineData(new byte[] { 0x3A, 0x57, 0x26 }, "inside the 7-byte header")]
        [InlineData(new byte[] { 0x3A, 0x57, 0x26, 0x42, 0xE1, 0xBE, 0x01 }, "version 1")]
        [InlineData(new byte[] { 0x3A, 0x57, 0x26, 0x42, 0x00, 0x00, 0x00 }, "magic")]
        [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x7D }, "':W&B'")]
        public void NotAWandbLogIsAFormatError(byte[] bytes, string reason)
        {
            var error = Assert.Throws<LogFormatException>(() => new LogChunkReader(new MemoryStream(bytes), "x.wandb"));
            Assert.Contains(reason, error.Message);
            Assert.Contains("x.wandb", error.Message);
        }
    }
}
