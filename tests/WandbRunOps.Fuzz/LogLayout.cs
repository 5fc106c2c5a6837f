using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WandbRunOps.Testing;

namespace WandbRunOps.Fuzz;

/// <summary>One chunk of an undamaged log: where its 7-byte header starts, its payload length and type.</summary>
public readonly record struct LogChunk(long Offset, int Length, byte Type)
{
    public long PayloadOffset => Offset + WandbLogWriter.ChunkHeaderSize;

    public long End => PayloadOffset + Length;

    public long Block => Offset / WandbLogWriter.BlockSize;
}

/// <summary>One record of an undamaged log: its byte span, the blocks its chunks lie in, and its oneof field (2 = history).</summary>
public sealed record LogRecord(long Start, long End, int Field, IReadOnlyList<long> Blocks)
{
    public bool IsHistory => Field == Records.HistoryField;
}

/// <summary>
/// The framing of an undamaged log, walked independently of the product's reader, so mutations can aim at chunks
/// and the harness knows which records a given damage must leave readable.
/// </summary>
public sealed class LogLayout
{
    private LogLayout(long length, List<LogChunk> chunks, List<LogRecord> records)
    {
        Length = length;
        Chunks = chunks;
        Records = records;
    }

    public long Length { get; }

    public IReadOnlyList<LogChunk> Chunks { get; }

    public IReadOnlyList<LogRecord> Records { get; }

    /// <summary>The same log with only the chunks in <paramref name="block"/> as targets, to aim a mutation at one block.</summary>
    public LogLayout OnlyBlock(long block) =>
        new(Length, Chunks.Where(c => c.Block == block).ToList(), Records.ToList());

    /// <summary>Walks the chunks until the first anomaly (a real crashed log may end mid-chunk); the walk never reads past it.</summary>
    public static LogLayout Of(byte[] log)
    {
        var chunks = new List<LogChunk>();
        var records = new List<LogRecord>();
        const int block = WandbLogWriter.BlockSize;
        long pos = 7;
        var payload = new MemoryStream();
        long recordStart = -1;
        var recordBlocks = new List<long>();
        while (log.Length >= 7 && pos < log.Length)
        {
            long blockEnd = Math.Min((pos / block + 1) * block, log.Length);
            if (blockEnd - pos < WandbLogWriter.ChunkHeaderSize)
            {
                pos = blockEnd;
                continue;
            }

            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(log.AsSpan((int)pos));
            int length = BinaryPrimitives.ReadUInt16LittleEndian(log.AsSpan((int)pos + 4));
            byte type = log[pos + 6];
            if (crc == 0 && length == 0 && type == 0)
            {
                pos = blockEnd;
                continue;
            }

            var chunk = new LogChunk(pos, length, type);
            if (chunk.End > blockEnd || type < WandbLogWriter.Full || type > WandbLogWriter.Last)
            {
                break;
            }

            chunks.Add(chunk);
            if (type is WandbLogWriter.Full or WandbLogWriter.First)
            {
                payload.SetLength(0);
                recordStart = pos;
                recordBlocks.Clear();
            }

            if (recordStart >= 0)
            {
                payload.Write(log, (int)chunk.PayloadOffset, length);
                if (!recordBlocks.Contains(chunk.Block))
                {
                    recordBlocks.Add(chunk.Block);
                }

                if (type is WandbLogWriter.Full or WandbLogWriter.Last)
                {
                    records.Add(new LogRecord(recordStart, chunk.End, OneofField(payload.ToArray()), recordBlocks.ToArray()));
                    recordStart = -1;
                }
            }

            pos = chunk.End;
        }

        return new LogLayout(log.Length, chunks, records);
    }

    /// <summary>The Record's first field other than num (1): which kind of record it is.</summary>
    private static int OneofField(byte[] record)
    {
        int pos = 0;
        while (pos < record.Length)
        {
            ulong tag = ReadVarint(record, ref pos);
            int field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    ReadVarint(record, ref pos);
                    break;
                case 2:
                    pos += (int)ReadVarint(record, ref pos);
                    break;
                default:
                    return -1;
            }

            if (field != 1)
            {
                return field;
            }
        }

        return -1;
    }

    private static ulong ReadVarint(byte[] bytes, ref int pos)
    {
        ulong value = 0;
        for (int shift = 0; pos < bytes.Length && shift < 64; shift += 7)
        {
            byte b = bytes[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        return value;
    }
}
