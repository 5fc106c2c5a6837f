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
        private readonly List<string> _order;
        private readonly Dictionary<string, object?> _values;

        public WandbMap()
            : this(0)
        {
        }

        /// <summary>A map with room for <paramref name="capacity"/> keys before it grows.</summary>
        public WandbMap(int capacity)
        {
            _order = new List<string>(capacity);
            _values = new Dictionary<string, object?>(capacity, StringComparer.Ordinal);
        }

        public int Count => _order.Count;

        public ICollection<string> Keys => _order.AsReadOnly();

        public ICollection<object?> Values => _order.Select(k => _values[k]).ToList();

        IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

        IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

        ICollection IDictionary.Keys => _order.ToArray();

        ICollection IDictionary.Values => Values.ToArray();

        public bool IsReadOnly => false;

        bool IDictionary.IsFixedSize => false;

        bool ICollection.IsSynchronized => false;

        object ICollection.SyncRoot => _values;

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
            int before = _values.Count;
            _values[key] = value;
            if (_values.Count != before)
            {
                _order.Add(key);
            }
        }

        public void Add(string key, object? value)
        {
            if (_values.ContainsKey(key))
            {
                throw new ArgumentException("An item with the key '" + key + "' has already been added.", nameof(key));
            }

            Set(key, value);
        }

        public bool ContainsKey(string key) => ResolveKey(key) is not null;

        /// <summary>The same as <see cref="ContainsKey"/>, as <c>$hashtable.Contains('k')</c> reads.</summary>
        public bool Contains(string key) => ContainsKey(key);

        public bool Remove(string key)
        {
            string? actual = _values.ContainsKey(key) ? key : null;
            if (actual is null)
            {
                return false;
            }

            _values.Remove(actual);
            _order.Remove(actual);
            return true;
        }

        public bool TryGetValue(string key, out object? value)
        {
            string? actual = ResolveKey(key);
            if (actual is null)
            {
                value = null;
                return false;
            }

            value = _values[actual];
            return true;
        }

        /// <summary>A look-up by the exact key only (folding the log must not merge keys that differ in case).</summary>
        public bool TryGetExact(string key, out object? value) => _values.TryGetValue(key, out value);

        /// <summary>The stored spelling of <paramref name="key"/>: exact first, then the first case-insensitive match.</summary>
        public string? ResolveKey(string key)
        {
            if (key is null)
            {
                return null;
            }

            if (_values.ContainsKey(key))
            {
                return key;
            }

            foreach (string candidate in _order)
            {
                if (string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate;
                }
            }

            return null;
        }

        public void Clear()
        {
            _order.Clear();
            _values.Clear();
        }

        /// <summary>A deep copy: nested maps and arrays are copied too, so folding into the copy leaves this map alone.</summary>
        public WandbMap Clone()
        {
            var copy = new WandbMap();
            foreach (string key in _order)
            {
                copy.Set(key, CloneValue(_values[key]));
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
            foreach (string key in _order)
            {
                yield return new KeyValuePair<string, object?>(key, _values[key]);
            }
        }

        /// <summary>
        /// What PowerShell's formatter enumerates (it lists a dictionary's items through the non-generic interface):
        /// entries that read <c>key=value</c>, where key/value pairs would print as <c>[betas, System.Object[]]</c>.
        /// </summary>
        IEnumerator IEnumerable.GetEnumerator()
        {
            foreach (string key in _order)
            {
                yield return new MapEntry(key, _values[key]);
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
