using System;
using System.Collections.Generic;
using System.Linq;

namespace WandbRunOps.Fuzz;

/// <summary>
/// A damaged copy of a log and what the damage may cost: the blocks it touched (the reader resyncs at the next block,
/// so records outside them must survive) or the offset it was cut at (every record ending before the cut must survive).
/// </summary>
public sealed class LogMutation
{
    private LogMutation(string kind, string detail, byte[] bytes, IReadOnlyCollection<long> blocks, long? cutAt, bool touchesHeader)
    {
        Kind = kind;
        Detail = detail;
        Bytes = bytes;
        DamagedBlocks = blocks;
        CutAt = cutAt;
        TouchesHeader = touchesHeader;
    }

    public string Kind { get; }

    /// <summary>Where and how, enough to replay the case by hand.</summary>
    public string Detail { get; }

    public byte[] Bytes { get; }

    public IReadOnlyCollection<long> DamagedBlocks { get; }

    public long? CutAt { get; }

    /// <summary>The 7-byte file header was hit: the file is no longer a W&amp;B log, and nothing in it must be read.</summary>
    public bool TouchesHeader { get; }

    public static LogMutation Cut(byte[] log, int length) =>
        new("truncate", "cut at " + length, log.AsSpan(0, length).ToArray(), Array.Empty<long>(), length, length < 7);

    /// <summary>A mutation that changed bytes at <paramref name="changedOffsets"/> (any number) without moving the rest.</summary>
    public static LogMutation InPlace(string kind, string detail, byte[] bytes, IEnumerable<long> changedOffsets)
    {
        long[] offsets = changedOffsets.ToArray();
        long[] blocks = offsets.Select(o => o / Testing.WandbLogWriter.BlockSize).Distinct().ToArray();
        return new LogMutation(kind, detail, bytes, blocks, null, offsets.Any(o => o < 7));
    }

    /// <summary>The records of the undamaged log this damage must leave readable.</summary>
    public IEnumerable<LogRecord> Survivors(LogLayout pristine)
    {
        if (TouchesHeader)
        {
            return Array.Empty<LogRecord>();
        }

        return CutAt is long cut
            ? pristine.Records.Where(r => r.End <= cut)
            : pristine.Records.Where(r => !r.Blocks.Any(DamagedBlocks.Contains));
    }

    public override string ToString() => Kind + " (" + Detail + ")";
}
