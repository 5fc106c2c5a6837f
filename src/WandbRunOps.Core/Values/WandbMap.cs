using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Threading;

namespace WandbRunOps.Values
{
    /// <summary>
    /// An ordered string-keyed map of typed values (config, summary, metadata). Keys are stored exactly;
    /// look-ups fall back to a case-insensitive match so <c>$run.Config.LR</c> finds <c>lr</c> as PowerShell users expect.
    /// It implements <see cref="IDictionary"/> so PowerShell's member access, <c>ConvertTo-Json</c> and hashtable
    /// idioms work on it, and prints like a hashtable literal.
    /// </summary>
    public sealed class WandbMap : IDictionary<string, object?>, IReadOnlyDictionary<string, object?>, IDictionary
    {
        // Keys in order and their values at the same positions, in arrays of which the first _count slots are used. A
        // key's position is found by a scan while the map is small, else by an index built on the first look-up that
        // needs it: a history row (about 50 keys, one map per row, read in order far more often than by key) is filled
        // without hashing anything (docs/performance.md).
        //
        // A map made from a SharedKeyRow (history rows) starts on that row's key array, shared with the maps before and
        // after it: its slots are written once (the first map to reach a slot claims it) and never changed, so a map
        // whose next key is already in the shared slot only counts it. A map whose keys part from the shared ones moves
        // to a fresh array (published for the maps after it); one whose keys are removed or cleared first copies its
        // own (Own). To callers it is the same map.
        private const int ScanLimit = 8;
        private string?[] _keys;
        private object?[] _values;
        private int _count;
        private int _version;
        private SharedKeyRow? _shared;
        private Dictionary<string, int>? _index;

        public WandbMap()
            : this(0)
        {
        }

        /// <summary>A map with room for <paramref name="capacity"/> keys before it grows.</summary>
        public WandbMap(int capacity)
        {
            if (capacity < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity));
            }

            _keys = capacity == 0 ? Array.Empty<string?>() : new string?[capacity];
            _values = capacity == 0 ? Array.Empty<object?>() : new object?[capacity];
        }

        /// <summary>A map that starts on <paramref name="shared"/>'s keys (see <see cref="SharedKeyRow"/>).</summary>
        internal WandbMap(SharedKeyRow shared)
        {
            _shared = shared;
            _keys = shared.Keys;
            _values = new object?[Math.Max(4, shared.LastCount)];
        }

        public int Count => _count;

        public ICollection<string> Keys => new ReadOnlyCollection<string>(new KeyView(this));

        public ICollection<object?> Values => ValueList();

        IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

        IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

        ICollection IDictionary.Keys => KeyArray();

        ICollection IDictionary.Values => ValueList().ToArray();

        public bool IsReadOnly => false;

        bool IDictionary.IsFixedSize => false;

        bool ICollection.IsSynchronized => false;

        object ICollection.SyncRoot => this;

        public object? this[string key]
        {
            get => TryGetValue(key, out object? value) ? value : null;
            set => Set(key, value);
        }

        object? IDictionary.this[object key]
        {
            get => key is string s ? this[s] : null;
            set => Set(KeyOf(key), value);
        }

        /// <summary>Sets a key, keeping its original position when it already exists.</summary>
        public void Set(string key, object? value)
        {
            int at = IndexOf(key);
            if (at >= 0)
            {
                _values[at] = value;
            }
            else
            {
                Append(key, value);
            }
        }

        public void Add(string key, object? value)
        {
            if (IndexOf(key) >= 0)
            {
                throw new ArgumentException("An item with the key '" + key + "' has already been added.", nameof(key));
            }

            Append(key, value);
        }

        /// <summary>
        /// Adds a key the caller knows is not in the map yet (the history decoder tracks which keys a row has): no
        /// look-up. Adding a key that is already there breaks the map.
        /// </summary>
        internal void AddNew(string key, object? value)
        {
            System.Diagnostics.Debug.Assert(IndexOf(key) < 0, "AddNew with a key the map has");
            Append(key, value);
        }

        /// <summary>The value at <paramref name="position"/> in key order.</summary>
        internal object? ValueAt(int position)
        {
            if ((uint)position >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(position));
            }

            return _values[position];
        }

        private void Append(string key, object? value)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            int at = _count;
            _index?.Add(key, at);
            if (_shared is not null)
            {
                AppendShared(key, at);
            }
            else
            {
                if (at == _keys.Length)
                {
                    Array.Resize(ref _keys, Grown(at));
                }

                _keys[at] = key;
            }

            if (at == _values.Length)
            {
                Array.Resize(ref _values, Grown(at));
            }

            _values[at] = value;
            _count = at + 1;
            _version++;
        }

        private void AppendShared(string key, int at)
        {
            SharedKeyRow shared = _shared!;
            string?[] keys = _keys;
            shared.LastCount = at + 1;
            if (at < keys.Length)
            {
                // The slot is this map's if no map has reached it; else it holds the key the maps before had here.
                string? there = Volatile.Read(ref keys[at]) ?? Interlocked.CompareExchange(ref keys[at], key, null) ?? key;
                if (ReferenceEquals(there, key) || string.Equals(there, key, StringComparison.Ordinal))
                {
                    return;
                }
            }

            // This map's keys part from the shared ones here (or outgrow them): a fresh array with its keys so far, which
            // the maps after it start on.
            var fresh = new string?[at < keys.Length ? keys.Length : Grown(at)];
            Array.Copy(keys, fresh, at);
            fresh[at] = key;
            _keys = fresh;
            shared.Keys = fresh;
        }

        private static int Grown(int length) => length < 4 ? 4 : length * 2;

        /// <summary>Makes the key array this map's own before a change other than adding a key at the end.</summary>
        private void Own()
        {
            if (_shared is not null)
            {
                var own = new string?[Math.Max(_count, 4)];
                Array.Copy(_keys, own, _count);
                _keys = own;
                _shared = null;
            }
        }

        /// <summary>The key at <paramref name="position"/> (below <see cref="_count"/>, so set).</summary>
        private string KeyAt(int position) => _keys[position]!;

        /// <summary>The position of exactly <paramref name="key"/>, or -1.</summary>
        private int IndexOf(string key)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            Dictionary<string, int>? index = _index;
            if (index is null)
            {
                int count = _count;
                if (count <= ScanLimit)
                {
                    for (int i = 0; i < count; i++)
                    {
                        if (string.Equals(KeyAt(i), key, StringComparison.Ordinal))
                        {
                            return i;
                        }
                    }

                    return -1;
                }

                // Built whole, then published: readers on other threads (a map is read-only to them) see no index or a
                // complete one, as reading the dictionary it replaced from several threads was safe.
                index = new Dictionary<string, int>(count, StringComparer.Ordinal);
                for (int i = 0; i < count; i++)
                {
                    index.Add(KeyAt(i), i);
                }

                _index = index;
            }

            return index.TryGetValue(key, out int at) ? at : -1;
        }

        public bool ContainsKey(string key) => ResolveKey(key) is not null;

        /// <summary>The same as <see cref="ContainsKey"/>, as <c>$hashtable.Contains('k')</c> reads.</summary>
        public bool Contains(string key) => ContainsKey(key);

        public bool Remove(string key)
        {
            int at = IndexOf(key);
            if (at < 0)
            {
                return false;
            }

            Own();
            _count--;
            Array.Copy(_keys, at + 1, _keys, at, _count - at);
            Array.Copy(_values, at + 1, _values, at, _count - at);
            _keys[_count] = null;
            _values[_count] = null;
            _index = null;
            _version++;
            return true;
        }

        public bool TryGetValue(string key, out object? value)
        {
            int at = PositionOf(key);
            if (at < 0)
            {
                value = null;
                return false;
            }

            value = _values[at];
            return true;
        }

        /// <summary>A look-up by the exact key only (folding the log must not merge keys that differ in case).</summary>
        public bool TryGetExact(string key, out object? value)
        {
            int at = IndexOf(key);
            value = at >= 0 ? _values[at] : null;
            return at >= 0;
        }

        /// <summary>The stored spelling of <paramref name="key"/>: exact first, then the first case-insensitive match.</summary>
        public string? ResolveKey(string key)
        {
            int at = PositionOf(key);
            return at >= 0 ? KeyAt(at) : null;
        }

        /// <summary>The position of <paramref name="key"/>: exact first, then the first case-insensitive match; -1 for none (or null).</summary>
        private int PositionOf(string key)
        {
            if (key is null)
            {
                return -1;
            }

            int at = IndexOf(key);
            if (at >= 0)
            {
                return at;
            }

            for (int i = 0; i < _count; i++)
            {
                if (string.Equals(KeyAt(i), key, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        public void Clear()
        {
            if (_shared is not null)
            {
                _shared = null;
                _keys = Array.Empty<string?>();
            }
            else
            {
                Array.Clear(_keys, 0, _count);
            }

            Array.Clear(_values, 0, _count);
            _count = 0;
            _index = null;
            _version++;
        }

        /// <summary>A deep copy: nested maps and arrays are copied too, so folding into the copy leaves this map alone.</summary>
        public WandbMap Clone()
        {
            var copy = new WandbMap(_count);
            for (int i = 0; i < _count; i++)
            {
                copy.Append(KeyAt(i), CloneValue(_values[i]));
            }

            return copy;
        }

        internal static object? CloneValue(object? value) => value switch
        {
            WandbMap map => map.Clone(),
            ValueList<object?> list => new ValueList<object?>(list.Select(CloneValue)),
            object?[] array => array.Select(CloneValue).ToArray(),
            _ => value,
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            // Changing the keys while enumerating throws (as List's enumerator did); setting a value does not.
            int version = _version;
            for (int i = 0; i < _count; i++)
            {
                yield return new KeyValuePair<string, object?>(KeyAt(i), _values[i]);
                CheckVersion(version);
            }
        }

        private void CheckVersion(int version)
        {
            if (version != _version)
            {
                throw new InvalidOperationException("The map was changed; enumeration operation may not execute.");
            }
        }

        private List<object?> ValueList()
        {
            var values = new List<object?>(_count);
            for (int i = 0; i < _count; i++)
            {
                values.Add(_values[i]);
            }

            return values;
        }

        private string[] KeyArray()
        {
            var keys = new string[_count];
            Array.Copy(_keys, keys, _count);
            return keys;
        }

        /// <summary>
        /// What PowerShell's formatter enumerates (it lists a dictionary's items through the non-generic interface):
        /// entries that read <c>key=value</c>, where key/value pairs would print as <c>[betas, System.Object[]]</c>.
        /// </summary>
        IEnumerator IEnumerable.GetEnumerator()
        {
            int version = _version;
            for (int i = 0; i < _count; i++)
            {
                yield return new MapEntry(KeyAt(i), _values[i]);
                CheckVersion(version);
            }
        }

        IDictionaryEnumerator IDictionary.GetEnumerator() => new Enumerator(this);

        void ICollection<KeyValuePair<string, object?>>.Add(KeyValuePair<string, object?> item) => Add(item.Key, item.Value);

        bool ICollection<KeyValuePair<string, object?>>.Contains(KeyValuePair<string, object?> item) =>
            TryGetValue(item.Key, out object? value) && Equals(value, item.Value);

        void ICollection<KeyValuePair<string, object?>>.CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex)
        {
            foreach (KeyValuePair<string, object?> pair in this)
            {
                array[arrayIndex++] = pair;
            }
        }

        bool ICollection<KeyValuePair<string, object?>>.Remove(KeyValuePair<string, object?> item) => Remove(item.Key);

        void IDictionary.Add(object key, object? value) => Add(KeyOf(key), value);

        bool IDictionary.Contains(object key) => key is string s && ContainsKey(s);

        void IDictionary.Remove(object key)
        {
            if (key is string s)
            {
                Remove(s);
            }
        }

        void ICollection.CopyTo(Array array, int index)
        {
            foreach (KeyValuePair<string, object?> pair in this)
            {
                array.SetValue(new DictionaryEntry(pair.Key, pair.Value), index++);
            }
        }

        /// <summary>Reads like PowerShell's hashtable display, so a table cell shows the content: <c>@{lr=0.01; momentum=0.9}</c>.</summary>
        public override string ToString() => ValueText.Format(this);

        private static string KeyOf(object key) => key as string ?? throw new ArgumentException("Keys must be strings.", nameof(key));

        /// <summary>The live key list behind <see cref="Keys"/> (read-only to callers, as <c>List.AsReadOnly</c> was).</summary>
        private sealed class KeyView : IList<string>
        {
            private readonly WandbMap _map;

            public KeyView(WandbMap map) => _map = map;

            public int Count => _map._count;

            public bool IsReadOnly => true;

            public string this[int index]
            {
                get => (uint)index < (uint)_map._count ? _map.KeyAt(index) : throw new ArgumentOutOfRangeException(nameof(index));
                set => throw new NotSupportedException();
            }

            public int IndexOf(string item)
            {
                for (int i = 0; i < _map._count; i++)
                {
                    if (string.Equals(_map.KeyAt(i), item, StringComparison.Ordinal))
                    {
                        return i;
                    }
                }

                return -1;
            }

            public bool Contains(string item) => IndexOf(item) >= 0;

            public void CopyTo(string[] array, int arrayIndex) => Array.Copy(_map._keys, 0, array, arrayIndex, _map._count);

            public IEnumerator<string> GetEnumerator()
            {
                int version = _map._version;
                for (int i = 0; i < _map._count; i++)
                {
                    yield return _map.KeyAt(i);
                    _map.CheckVersion(version);
                }
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

            public void Insert(int index, string item) => throw new NotSupportedException();

            public void RemoveAt(int index) => throw new NotSupportedException();

            public void Add(string item) => throw new NotSupportedException();

            public void Clear() => throw new NotSupportedException();

            public bool Remove(string item) => throw new NotSupportedException();
        }

        private sealed class Enumerator : IDictionaryEnumerator
        {
            private readonly IEnumerator<KeyValuePair<string, object?>> _inner;

            public Enumerator(WandbMap map) => _inner = map.GetEnumerator();

            public DictionaryEntry Entry => new DictionaryEntry(_inner.Current.Key, _inner.Current.Value);

            public object Key => _inner.Current.Key;

            public object? Value => _inner.Current.Value;

            public object Current => Entry;

            public bool MoveNext() => _inner.MoveNext();

            public void Reset() => _inner.Reset();
        }
    }
}
