using System;

namespace WandbRunOps.Testing;

/// <summary>
/// Standard CRC-32 (IEEE 802.3 / zlib, reflected polynomial 0xEDB88320, unmasked), which is what
/// W&amp;B uses for .wandb chunks despite the "crc32c" in the SDK's docstring. Written here rather
/// than taken from System.IO.Hashing so the test writer has no dependency the reader might share.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The chunk checksum: CRC-32 over the type byte followed by the payload.</summary>
    public static uint Compute(byte type, byte[] payload) => Compute(type, payload.AsSpan());

    public static uint Compute(byte type, ReadOnlySpan<byte> payload)
    {
        uint crc = Update(0xFFFFFFFFu, stackalloc byte[] { type });
        return ~Update(crc, payload);
    }

    /// <summary>Plain CRC-32 of a buffer (zlib.crc32(data)).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFFu, data);

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
