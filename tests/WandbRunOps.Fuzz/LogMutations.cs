using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Testing;

namespace WandbRunOps.Fuzz;

/// <summary>
/// The mutations the harness applies to a log. Each takes the undamaged bytes, their layout and a seeded random, and
/// returns a damaged copy; the ones aimed at a chunk keep the framing of every other chunk intact.
/// </summary>
public static class LogMutations
{
    private const int Block = WandbLogWriter.BlockSize;

    /// <summary>Every kind, by name; a random run cycles through them.</summary>
    public static readonly IReadOnlyList<(string Kind, Func<byte[], LogLayout, Random, LogMutation?> Apply)> All = new (string, Func<byte[], LogLayout, Random, LogMutation?>)[]
    {
        ("bit-flips", BitFlips),
        ("truncate", (log, _, random) => LogMutation.Cut(log, random.Next(0, log.Length))),
        ("wrong-length", WrongLength),
        ("max-chunk-length", MaxChunkLength),
        ("wrong-crc", WrongCrc),
        ("bad-chunk-type", BadChunkType),
        ("first-without-last", FirstWithoutLast),
        ("middle-without-first", MiddleWithoutFirst),
        ("zeroed-block", ZeroedBlock),
        ("proto-garbage", ProtoGarbage),
        ("proto-2gb-length", ProtoHugeLength),
    };

    /// <summary>The kinds that damage one chunk or block in place: aimed at a block via <see cref="LogLayout.OnlyBlock"/>, they touch only it.</summary>
    public static IEnumerable<(string Kind, Func<byte[], LogLayout, Random, LogMutation?> Apply)> BlockLocal =>
        All.Where(k => k.Kind is not ("bit-flips" or "truncate"));

    /// <summary>One to eight random bits anywhere in the file (the header included).</summary>
    public static LogMutation BitFlips(byte[] log, LogLayout layout, Random random)
    {
        byte[] bytes = (byte[])log.Clone();
        int count = random.Next(1, 9);
        var offsets = new List<long>();
        for (int i = 0; i < count && bytes.Length > 0; i++)
        {
            int at = random.Next(bytes.Length);
            bytes[at] ^= (byte)(1 << random.Next(8));
            offsets.Add(at);
        }

        return LogMutation.InPlace("bit-flips", "bytes " + string.Join(",", offsets), bytes, offsets);
    }

    public static LogMutation? WrongLength(byte[] log, LogLayout layout, Random random) =>
        OnChunk(log, layout, random, "wrong-length", c => true, (bytes, c) =>
        {
            ushort length = (ushort)random.Next(0, ushort.MaxValue + 1);
            if (length == c.Length)
            {
                length ^= 1;
            }

            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)c.Offset + 4), length);
            return "length " + c.Length + " -> " + length;
        });

    /// <summary>The largest length a chunk header can claim (a u16: the format has no room for more).</summary>
    public static LogMutation? MaxChunkLength(byte[] log, LogLayout layout, Random random) =>
        OnChunk(log, layout, random, "max-chunk-length", c => true, (bytes, c) =>
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)c.Offset + 4), ushort.MaxValue);
            return "length " + c.Length + " -> 65535";
        });

    public static LogMutation? WrongCrc(byte[] log, LogLayout layout, Random random) =>
        OnChunk(log, layout, random, "wrong-crc", c => true, (bytes, c) =>
        {
            uint mask = (uint)random.Next(1, int.MaxValue);
            Span<byte> crc = bytes.AsSpan((int)c.Offset, 4);
            BinaryPrimitives.WriteUInt32LittleEndian(crc, BinaryPrimitives.ReadUInt32LittleEndian(crc) ^ mask);
            return "crc ^ " + mask.ToString("x8");
        });

    public static LogMutation? BadChunkType(byte[] log, LogLayout layout, Random random) =>
        OnChunk(log, layout, random, "bad-chunk-type", c => true, (bytes, c) =>
        {
            byte[] bad = { 0, 5, 6, 0x7F, 0xFF };
            byte type = bad[random.Next(bad.Length)];
            bytes[c.Offset + 6] = type;
            Reseal(bytes, c with { Type = type });
            return "type " + c.Type + " -> " + type + " (checksum resealed)";
        });

    /// <summary>A complete record's chunk relabelled FIRST (or a LAST relabelled MIDDLE), valid checksum: a record that never ends.</summary>
    public static LogMutation? FirstWithoutLast(byte[] log, LogLayout layout, Random random) =>
        OnChunk(log, layout, random, "first-without-last", c => c.Type is WandbLogWriter.Full or WandbLogWriter.Last, (bytes, c) =>
        {
            byte type = c.Type == WandbLogWriter.Full ? WandbLogWriter.First : WandbLogWriter.Middle;
            bytes[c.Offset + 6] = type;
            Reseal(bytes, c with { Type = type });
            return "type " + c.Type + " -> " + type;
        });

    /// <summary>A FULL or FIRST chunk relabelled MIDDLE or LAST, valid checksum: a continuation with no start.</summary>
    public static LogMutation? MiddleWithoutFirst(byte[] log, LogLayout layout, Random random) =>
        OnChunk(log, layout, random, "middle-without-first", c => c.Type is WandbLogWriter.Full or WandbLogWriter.First, (bytes, c) =>
        {
            byte type = random.Next(2) == 0 ? WandbLogWriter.Middle : WandbLogWriter.Last;
            bytes[c.Offset + 6] = type;
            Reseal(bytes, c with { Type = type });
            return "type " + c.Type + " -> " + type;
        });

    /// <summary>One whole 32 KiB block that holds chunks zeroed (block 0 after the file header), as a preallocated or torn file shows.</summary>
    public static LogMutation? ZeroedBlock(byte[] log, LogLayout layout, Random random)
    {
        long[] blocks = layout.Chunks.Select(c => c.Block).Distinct().ToArray();
        if (blocks.Length == 0)
        {
            return null;
        }

        long block = blocks[random.Next(blocks.Length)];
        int from = (int)Math.Max(7, block * Block);
        int to = (int)Math.Min(log.Length, (block + 1) * Block);
        byte[] bytes = (byte[])log.Clone();
        Array.Clear(bytes, from, to - from);
        return LogMutation.InPlace("zeroed-block", "block " + block + " [" + from + ", " + to + ")", bytes, new long[] { from, to - 1 });
    }

    /// <summary>A chunk's payload replaced by random bytes under a valid checksum: the framing is fine, the protobuf is not.</summary>
    public static LogMutation? ProtoGarbage(byte[] log, LogLayout layout, Random random) =>
        OnChunk(log, layout, random, "proto-garbage", c => c.Length > 0, (bytes, c) =>
        {
            random.NextBytes(bytes.AsSpan((int)c.PayloadOffset, c.Length));
            Reseal(bytes, c);
            return "payload of " + c.Length + " random bytes";
        });

    /// <summary>
    /// A record whose first field claims about 2 GB (or 2^64-1 bytes) under a valid checksum: the reader must check the
    /// claim against the bytes present rather than allocate for it.
    /// </summary>
    public static LogMutation? ProtoHugeLength(byte[] log, LogLayout layout, Random random) =>
        OnChunk(log, layout, random, "proto-2gb-length", c => c.Type == WandbLogWriter.Full && c.Length >= 13, (bytes, c) =>
        {
            var claim = new List<byte> { 0x08, 0x00, (byte)((Records.HistoryField << 3) | 2) };
            ulong length = random.Next(2) == 0 ? 0x7FFF_FFF0UL : ulong.MaxValue;
            for (ulong v = length; ; v >>= 7)
            {
                if (v < 0x80)
                {
                    claim.Add((byte)v);
                    break;
                }

                claim.Add((byte)(v | 0x80));
            }

            claim.CopyTo(bytes, (int)c.PayloadOffset);
            Reseal(bytes, c);
            return "history field claims " + length + " bytes";
        });

    private static LogMutation? OnChunk(byte[] log, LogLayout layout, Random random, string kind, Func<LogChunk, bool> eligible, Func<byte[], LogChunk, string> mutate)
    {
        LogChunk[] candidates = layout.Chunks.Where(eligible).ToArray();
        if (candidates.Length == 0)
        {
            return null;
        }

        LogChunk chunk = candidates[random.Next(candidates.Length)];
        byte[] bytes = (byte[])log.Clone();
        string what = mutate(bytes, chunk);
        return LogMutation.InPlace(kind, "chunk at " + chunk.Offset + ": " + what, bytes, new[] { chunk.Offset });
    }

    /// <summary>Rewrites a chunk's checksum over its (possibly changed) type and payload, so only the intended damage shows.</summary>
    private static void Reseal(byte[] bytes, LogChunk chunk)
    {
        uint crc = Crc32.Compute(chunk.Type, bytes.AsSpan((int)chunk.PayloadOffset, chunk.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)chunk.Offset), crc);
    }
}
