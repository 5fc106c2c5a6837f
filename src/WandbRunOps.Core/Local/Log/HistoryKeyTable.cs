using System;
using System.Text;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// The item keys of one log's history rows, each decoded once and kept as a <see cref="HistoryKey"/>. A row
    /// usually repeats the previous row's keys in the same order, so a key is first compared with the key the previous
    /// row had at the same position (a few bytes, no hashing) and only then looked up by its bytes. Each key remembers
    /// the row that last added it at the top level, so the decoder knows, without a look-up in the row, whether a key is
    /// new to the row (appended) or repeated in it (set again, as before).
    /// </summary>
    internal sealed class HistoryKeyTable : IItemKeys<HistoryKey>
    {
        // A log with endlessly new keys stops filling the table: keys beyond it are decoded each time and untracked.
        private const int MaxKeys = 4096;
        private const int MaxKeyBytes = 128;
        private const int MaxPositions = 1024;

        private HistoryKey?[] _buckets = new HistoryKey?[256];
        private HistoryKey?[] _previous = new HistoryKey?[64];
        private int _count;
        private int _position;

        /// <summary>The key order the log's rows share: each row's map starts on it (<see cref="WandbMap(SharedKeyRow)"/>).</summary>
        public SharedKeyRow RowKeys { get; } = new SharedKeyRow();

        /// <summary>The current row's number (from 1); <see cref="HistoryKey.Row"/> compares with it.</summary>
        public int Row { get; private set; }

        /// <summary>Starts a row: key positions count from its first key again.</summary>
        public void StartRow()
        {
            Row++;
            _position = 0;
        }

        string IItemKeys<HistoryKey>.TextOf(HistoryKey key) => key.Text;

        /// <summary>The key whose UTF-8 bytes are <paramref name="utf8"/>: the next key element of the current row.</summary>
        public HistoryKey Get(ArraySegment<byte> utf8)
        {
            byte[] buffer = utf8.Array!;
            int offset = utf8.Offset, count = utf8.Count;
            int position = _position++;
            HistoryKey?[] previous = _previous;
            if (position < previous.Length)
            {
                HistoryKey? hint = previous[position];
                if (hint is not null && hint.Matches(buffer, offset, count))
                {
                    return hint;
                }
            }

            HistoryKey key = Find(buffer, offset, count);
            if (position >= previous.Length && position < MaxPositions)
            {
                Array.Resize(ref _previous, Math.Min(MaxPositions, previous.Length * 2));
                previous = _previous;
            }

            if (position < previous.Length)
            {
                previous[position] = key;
            }

            return key;
        }

        private HistoryKey Find(byte[] buffer, int offset, int count)
        {
            uint hash = KeyCache.Hash(buffer, offset, count);
            for (HistoryKey? known = _buckets[hash & (uint)(_buckets.Length - 1)]; known is not null; known = known.Next)
            {
                if (known.Hash == hash && known.Matches(buffer, offset, count))
                {
                    return known;
                }
            }

            string text = Encoding.UTF8.GetString(buffer, offset, count);

            // Invalid UTF-8 decodes to U+FFFD, so two byte strings could give one text: such keys are not tracked,
            // and the decoder sets them by look-up. Valid UTF-8 gives each text once.
            bool tracked = count <= MaxKeyBytes && _count < MaxKeys && text.IndexOf('\uFFFD') < 0;
            byte[] bytes = new byte[count];
            Buffer.BlockCopy(buffer, offset, bytes, 0, count);
            var key = new HistoryKey(hash, bytes, text, tracked);
            if (tracked)
            {
                if (_count >= _buckets.Length)
                {
                    Grow();
                }

                uint slot = hash & (uint)(_buckets.Length - 1);
                key.Next = _buckets[slot];
                _buckets[slot] = key;
                _count++;
            }

            return key;
        }

        private void Grow()
        {
            var buckets = new HistoryKey?[_buckets.Length * 2];
            foreach (HistoryKey? head in _buckets)
            {
                HistoryKey? key = head;
                while (key is not null)
                {
                    HistoryKey? next = key.Next;
                    uint slot = key.Hash & (uint)(buckets.Length - 1);
                    key.Next = buckets[slot];
                    buckets[slot] = key;
                    key = next;
                }
            }

            _buckets = buckets;
        }
    }

    /// <summary>One item key of a log's history rows: its text, and what the row being decoded knows about it.</summary>
    internal sealed class HistoryKey
    {
        private readonly byte[] _bytes;
        private sbyte _wanted;

        public HistoryKey(uint hash, byte[] bytes, string text, bool tracked)
        {
            Hash = hash;
            _bytes = bytes;
            Text = text;
            Tracked = tracked;
            IsSystem = HistoryRow.IsSystemKey(text);
        }

        public uint Hash { get; }

        public string Text { get; }

        /// <summary>
        /// False for a key the table does not keep (see <see cref="HistoryKeyTable"/>): <see cref="Row"/> means nothing
        /// for it, so the decoder sets it by look-up.
        /// </summary>
        public bool Tracked { get; }

        /// <summary><c>_step</c>, <c>_runtime</c> or <c>_timestamp</c>.</summary>
        public bool IsSystem { get; }

        /// <summary>The row that last added this key at its top level (0: none); see <see cref="HistoryKeyTable.Row"/>.</summary>
        public int Row { get; set; }

        public HistoryKey? Next { get; set; }

        /// <summary>Whether the query wants this top-level key (asked once per key and log: the query is the log's).</summary>
        public bool WantedBy(History.HistoryQuery query)
        {
            if (_wanted == 0)
            {
                _wanted = query.Wants(Text) ? (sbyte)1 : (sbyte)-1;
            }

            return _wanted > 0;
        }

        public unsafe bool Matches(byte[] buffer, int offset, int count)
        {
            byte[] bytes = _bytes;
            if (bytes.Length != count)
            {
                return false;
            }

            if (count == 0)
            {
                return true;
            }

            if (offset < 0 || offset > buffer.Length - count)
            {
                return false;
            }

            // Eight bytes at a time through pointers: BitConverter.ToUInt64 is a call on netstandard2.0's surface.
            fixed (byte* mine = bytes, theirs = &buffer[offset])
            {
                int i = 0;
                for (; i + 8 <= count; i += 8)
                {
                    if (*(ulong*)(mine + i) != *(ulong*)(theirs + i))
                    {
                        return false;
                    }
                }

                for (; i < count; i++)
                {
                    if (mine[i] != theirs[i])
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }
}
