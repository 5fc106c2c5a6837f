using System;
using System.Text;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// The strings of a log's item keys, decoded once: every history row repeats the same keys (often 50 and more),
    /// so decoding each from UTF-8 again was a string per key per row. Keys are looked up by their bytes; the table is
    /// bounded so a log with endlessly new keys costs no more than decoding them.
    /// </summary>
    internal sealed class KeyCache : IItemKeys<string>
    {
        private const int Slots = 1024;
        private const int MaxKeyBytes = 128;
        private readonly Entry?[] _entries = new Entry?[Slots];

        string IItemKeys<string>.TextOf(string key) => key;

        public string Get(ArraySegment<byte> utf8)
        {
            if (utf8.Count > MaxKeyBytes)
            {
                return Encoding.UTF8.GetString(utf8.Array!, utf8.Offset, utf8.Count);
            }

            uint hash = Hash(utf8.Array!, utf8.Offset, utf8.Count);
            int slot = (int)(hash & (Slots - 1));
            Entry? entry = _entries[slot];
            if (entry is not null && entry.Hash == hash && SameBytes(entry.Bytes, utf8))
            {
                return entry.Text;
            }

            // A miss (or a collision) replaces the slot: recent keys win, which suits rows that repeat their keys.
            string text = Encoding.UTF8.GetString(utf8.Array!, utf8.Offset, utf8.Count);
            byte[] copy = new byte[utf8.Count];
            Buffer.BlockCopy(utf8.Array!, utf8.Offset, copy, 0, utf8.Count);
            _entries[slot] = new Entry(hash, copy, text);
            return text;
        }

        /// <summary>
        /// A cheap hash: the length and the first and last eight bytes (keys that differ only in the middle of a long
        /// name share a slot and take turns, which costs a decode, never a wrong answer — the bytes are compared).
        /// </summary>
        internal static uint Hash(byte[] bytes, int offset, int count)
        {
            ulong head, tail;
            if (count >= 8)
            {
                head = BitConverter.ToUInt64(bytes, offset);
                tail = BitConverter.ToUInt64(bytes, offset + count - 8);
            }
            else
            {
                head = 0;
                for (int i = 0; i < count; i++)
                {
                    head = (head << 8) | bytes[offset + i];
                }

                tail = 0;
            }

            ulong mixed = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)count;
            return (uint)(mixed ^ (mixed >> 29) ^ (mixed >> 41));
        }

        private static bool SameBytes(byte[] known, ArraySegment<byte> utf8) =>
            new ReadOnlySpan<byte>(known).SequenceEqual(new ReadOnlySpan<byte>(utf8.Array!, utf8.Offset, utf8.Count));

        private sealed class Entry
        {
            public Entry(uint hash, byte[] bytes, string text)
            {
                Hash = hash;
                Bytes = bytes;
                Text = text;
            }

            public uint Hash { get; }

            public byte[] Bytes { get; }

            public string Text { get; }
        }
    }
}
