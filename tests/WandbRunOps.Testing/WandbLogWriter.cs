using System;
using System.Buffers.Binary;
using System.IO;

namespace WandbRunOps.Testing;

/// <summary>
/// Writes a .wandb transaction log: the 7-byte file header, then records framed LevelDB-log style
/// in 32 KiB blocks at absolute file offsets (protocol notes §2.7). Besides
/// <see cref="WriteRecord"/> it exposes raw hooks so tests can build damaged files.
/// </summary>
public sealed class WandbLogWriter : IDisposable
{
    public const int BlockSize = 32768;
    public const int ChunkHeaderSize = 7;
    public const byte Full = 1, First = 2, Middle = 3, Last = 4;

    private static readonly byte[] FileHeader = { (byte)':', (byte)'W', (byte)'&', (byte)'B', 0xE1, 0xBE, 0 };

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private long _position;

    /// <param name="stream">Target; block offsets are counted from its current position, taken as file offset 0 unless the stream is seekable.</param>
    /// <param name="writeHeader">False leaves out the ":W&amp;B" header (for tests of headerless or bad files).</param>
    public WandbLogWriter(Stream stream, bool writeHeader = true, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _position = stream.CanSeek ? stream.Position : 0;
        if (writeHeader) WriteRaw(FileHeader);
    }

    /// <summary>Creates (or overwrites) a log file at <paramref name="path"/>.</summary>
    public static WandbLogWriter Create(string path, bool writeHeader = true) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), writeHeader);

    /// <summary>Appends records to an existing log in its own framing, continuing the 32 KiB blocks where the file ends, as a live SDK writer does.</summary>
    public static void Append(string path, params byte[][] records)
    {
        using var writer = new WandbLogWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), writeHeader: false);
        foreach (byte[] record in records) writer.WriteRecord(record);
    }

    /// <summary>Absolute offset of the next byte to be written.</summary>
    public long Position => _position;

    /// <summary>Frames one record, padding to the next block and splitting into FIRST/MIDDLE*/LAST as needed.</summary>
    public void WriteRecord(byte[] payload)
    {
        int offset = 0;
        bool first = true;
        while (true)
        {
            int room = RoomInBlock();
            if (room < ChunkHeaderSize)
            {
                WriteZeros(room);
                continue;
            }
            // Like the SDK writers, a block with exactly 7 bytes left gets a header with no data.
            int take = Math.Min(room - ChunkHeaderSize, payload.Length - offset);
            bool last = offset + take == payload.Length;
            byte type = first ? (last ? Full : First) : (last ? Last : Middle);
            WriteChunkCore(type, payload.AsSpan(offset, take), corruptCrc: false);
            offset += take;
            first = false;
            if (last) return;
        }
    }

    /// <summary>
    /// Writes one raw chunk (header + payload) at the current position with no block handling:
    /// the caller must make sure it fits in the block, or deliberately make it not fit.
    /// <paramref name="corruptCrc"/> flips the stored checksum so readers see a CRC mismatch.
    /// </summary>
    public void WriteChunk(byte type, byte[] payload, bool corruptCrc = false)
    {
        if (payload.Length > ushort.MaxValue) throw new ArgumentException("A chunk payload must fit in a u16 length.", nameof(payload));
        WriteChunkCore(type, payload, corruptCrc);
    }

    /// <summary>Writes <paramref name="count"/> zero bytes (zeroed regions, all-zero chunk headers).</summary>
    public void WriteZeros(int count)
    {
        if (count > 0) WriteRaw(new byte[count]);
    }

    /// <summary>Zero-fills up to the next block boundary (nothing if already on one).</summary>
    public void PadToBlockEnd()
    {
        int room = RoomInBlock();
        if (room != BlockSize) WriteZeros(room);
    }

    /// <summary>Writes bytes verbatim, e.g. a truncated chunk header at end of file.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _position += bytes.Length;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }

    private int RoomInBlock() => BlockSize - (int)(_position % BlockSize);

    private void WriteChunkCore(byte type, ReadOnlySpan<byte> payload, bool corruptCrc)
    {
        Span<byte> header = stackalloc byte[ChunkHeaderSize];
        uint crc = Crc32.Compute(type, payload);
        if (corruptCrc) crc ^= 0xA5A5A5A5u;
        BinaryPrimitives.WriteUInt32LittleEndian(header, crc);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], (ushort)payload.Length);
        header[6] = type;
        WriteRaw(header);
        WriteRaw(payload);
    }
}
