namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, zlib's crc32, unmasked): what the .wandb chunk checksum is, despite the SDK's "crc32c"
    /// comment. Every byte of a log passes through here, so it uses slicing-by-8 (eight table look-ups per 8 bytes)
    /// rather than the one-byte-at-a-time loop.
    /// </summary>
    internal static class Crc32
    {
        // The eight slicing tables end to end (table k at k * 256), so the loop below indexes one pinned block.
        private static readonly uint[] Tables = BuildTables();

        /// <remarks>
        /// Pointers, not array indexing: this loop is where a full history read spends about a seventh of its time, and
        /// without the sixteen bounds checks per eight bytes it runs about 1.3x faster (measured side by side). The
        /// indices are masked to a byte, so every table read stays inside its 256 entries, and the buffer range is
        /// checked once, here.
        /// </remarks>
        public static unsafe uint Compute(byte type, byte[] buffer, int offset, int count)
        {
            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new System.ArgumentOutOfRangeException(nameof(count));
            }

            uint crc = Tables[(0xFFFFFFFFu ^ type) & 0xFF] ^ (0xFFFFFFFFu >> 8);
            fixed (uint* t = Tables)
            fixed (byte* start = buffer)
            {
                byte* p = start + offset;
                byte* end = p + count;
                while (end - p >= 8)
                {
                    uint one = crc ^ (uint)(p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24));
                    uint two = (uint)(p[4] | (p[5] << 8) | (p[6] << 16) | (p[7] << 24));
                    crc = t[(7 * 256) + (one & 0xFF)] ^ t[(6 * 256) + ((one >> 8) & 0xFF)] ^ t[(5 * 256) + ((one >> 16) & 0xFF)] ^ t[(4 * 256) + (one >> 24)]
                        ^ t[(3 * 256) + (two & 0xFF)] ^ t[(2 * 256) + ((two >> 8) & 0xFF)] ^ t[256 + ((two >> 16) & 0xFF)] ^ t[two >> 24];
                    p += 8;
                }

                for (; p < end; p++)
                {
                    crc = t[(crc ^ *p) & 0xFF] ^ (crc >> 8);
                }
            }

            return crc ^ 0xFFFFFFFFu;
        }

        private static uint[] BuildTables()
        {
            var tables = new uint[8 * 256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                tables[n] = c;
            }

            // Table k advances table k - 1 by one more zero byte.
            for (int i = 256; i < tables.Length; i++)
            {
                uint previous = tables[i - 256];
                tables[i] = (previous >> 8) ^ tables[previous & 0xFF];
            }

            return tables;
        }
    }
}
