namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, zlib's crc32, unmasked): what the .wandb chunk checksum is, despite the SDK's "crc32c"
    /// comment. Every byte of a log passes through here, so it uses slicing-by-8 (eight table look-ups per 8 bytes)
    /// rather than the one-byte-at-a-time loop.
    /// </summary>
    internal static class Crc32
    {
        private static readonly uint[][] Tables = BuildTables();

        public static uint Compute(byte type, byte[] buffer, int offset, int count)
        {
            uint[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3], t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
            uint crc = t0[(0xFFFFFFFFu ^ type) & 0xFF] ^ (0xFFFFFFFFu >> 8);
            int i = offset;
            int end = offset + count;
            while (end - i >= 8)
            {
                uint one = crc ^ (uint)(buffer[i] | (buffer[i + 1] << 8) | (buffer[i + 2] << 16) | (buffer[i + 3] << 24));
                uint two = (uint)(buffer[i + 4] | (buffer[i + 5] << 8) | (buffer[i + 6] << 16) | (buffer[i + 7] << 24));
                crc = t7[one & 0xFF] ^ t6[(one >> 8) & 0xFF] ^ t5[(one >> 16) & 0xFF] ^ t4[one >> 24]
                    ^ t3[two & 0xFF] ^ t2[(two >> 8) & 0xFF] ^ t1[(two >> 16) & 0xFF] ^ t0[two >> 24];
                i += 8;
            }

            for (; i < end; i++)
            {
                crc = t0[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc ^ 0xFFFFFFFFu;
        }

        private static uint[][] BuildTables()
        {
            var tables = new uint[8][];
            tables[0] = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                tables[0][n] = c;
            }

            for (int t = 1; t < 8; t++)
            {
                tables[t] = new uint[256];
                for (int n = 0; n < 256; n++)
                {
                    uint previous = tables[t - 1][n];
                    tables[t][n] = (previous >> 8) ^ tables[0][previous & 0xFF];
                }
            }

            return tables;
        }
    }
}
