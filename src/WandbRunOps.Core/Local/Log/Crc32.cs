namespace WandbRunOps.Local.Log
{
    /// <summary>CRC-32 (IEEE 802.3, zlib's crc32, unmasked): what the .wandb chunk checksum is, despite the SDK's "crc32c" comment.</summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        public static uint Compute(byte type, byte[] buffer, int offset, int count)
        {
            uint crc = Update(0xFFFFFFFFu, type);
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = Table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc ^ 0xFFFFFFFFu;
        }

        private static uint Update(uint crc, byte value) => Table[(crc ^ value) & 0xFF] ^ (crc >> 8);

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
