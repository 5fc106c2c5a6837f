using System;
using System.Text;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// The strings of a log's item keys, decoded once: every history row repeats the same keys (often 50 and more),
    /// so decoding each from UTF-8 again was a string per key per row. Keys are looked up by their bytes; the table is
    /// bounded so a log with endlessly new keys costs no more than decoding them.
    /// </summary>
    internal sealed class KeyCache
    {
        private const int Slots = 1024;
        private const int MaxKeyBytes = 128;
        private readonly Entry?[] _entries = new Entry?[Slots];

        public string Get(ArraySegment<byte> utf8)
        {
            if (utf8.Count > MaxKeyBytes)
            {
                return Encoding.UTF8.GetString(utf8.Array!, utf8.Offset, utf8.Count);
            }

            uint hash = 2166136261;
            for (int i = utf8.Offset, end = utf8.Offset + utf8.Count; i < end; i++)
            {
                hash = (hash ^ utf8.Array![i]) * 16777619;
            }

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

        private static bool SameBytes(byte[] known, ArraySegment<byte> utf8)
        {
            if (known.Length != utf8.Count)
            {
                return false;
            }

            for (int i = 0; i < known.Length; i++)
            {
                if (known[i] != utf8.Array![utf8.Offset + i])
                {
                    return false;
                }
            }

            return true;
        }

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
