using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

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
        // Keys in order and their values at the same positions. A key's position is found by a scan while the map is
        // small, else by an index built on the first look-up that needs it: a history row (about 50 keys, one map per
        // row, read in order far more often than by key) is filled without hashing anything (docs/performance.md).
        private const int ScanLimit = 8;
        private readonly List<string> _order;
        private readonly List<object?> _values;
        private Dictionary<string, int>? _index;

        public WandbMap()
            : this(0)
        {
        }

        /// <summary>A map with room for <paramref name="capacity"/> keys before it grows.</summary>
        public WandbMap(int capacity)
        {
            _order = new List<string>(capacity);
            _values = new List<object?>(capacity);
        }

        public int Count => _order.Count;

        public ICollection<string> Keys => _order.AsReadOnly();

        public ICollection<object?> Values => _values.ToList();

        IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

        IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

        ICollection IDictionary.Keys => _order.ToArray();

        ICollection IDictionary.Values => Values.ToArray();

        public bool IsReadOnly => false;

        bool IDictionary.IsFixedSize => false;

        bool ICollection.IsSynchronized => false;

        object ICollection.SyncRoot => _order;

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
        internal object? ValueAt(int position) => _values[position];

        private void Append(string key, object? value)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            _index?.Add(key, _order.Count);
            _order.Add(key);
            _values.Add(value);
        }

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
                if (_order.Count <= ScanLimit)
                {
                    for (int i = 0; i < _order.Count; i++)
                    {
                        if (string.Equals(_order[i], key, StringComparison.Ordinal))
                        {
                            return i;
                        }
                    }

                    return -1;
                }

                // Built whole, then published: readers on other threads (a map is read-only to them) see no index or a
                // complete one, as reading the dictionary it replaced from several threads was safe.
                index = new Dictionary<string, int>(_order.Count, StringComparer.Ordinal);
                for (int i = 0; i < _order.Count; i++)
                {
                    index.Add(_order[i], i);
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

            _order.RemoveAt(at);
            _values.RemoveAt(at);
            _index = null;
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
            return at >= 0 ? _order[at] : null;
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

            for (int i = 0; i < _order.Count; i++)
            {
                if (string.Equals(_order[i], key, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        public void Clear()
        {
            _order.Clear();
            _values.Clear();
            _index = null;
        }

        /// <summary>A deep copy: nested maps and arrays are copied too, so folding into the copy leaves this map alone.</summary>
        public WandbMap Clone()
        {
            var copy = new WandbMap(_order.Count);
            for (int i = 0; i < _order.Count; i++)
            {
                copy.Append(_order[i], CloneValue(_values[i]));
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
            // Through the key list's enumerator, so changing the map while enumerating it throws, as it did.
            int i = 0;
            foreach (string key in _order)
            {
                yield return new KeyValuePair<string, object?>(key, _values[i++]);
            }
        }

        /// <summary>
        /// What PowerShell's formatter enumerates (it lists a dictionary's items through the non-generic interface):
        /// entries that read <c>key=value</c>, where key/value pairs would print as <c>[betas, System.Object[]]</c>.
        /// </summary>
        IEnumerator IEnumerable.GetEnumerator()
        {
            int i = 0;
            foreach (string key in _order)
            {
                yield return new MapEntry(key, _values[i++]);
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
