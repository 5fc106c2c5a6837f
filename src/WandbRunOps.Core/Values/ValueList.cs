using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace WandbRunOps.Values
{
    /// <summary>
    /// A read-only list: config and summary arrays (<c>ValueList&lt;object?&gt;</c>), and a run's <c>Tags</c>, an
    /// artifact's <c>Aliases</c> (<c>ValueList&lt;string&gt;</c>). PowerShell indexes, enumerates, <c>-contains</c> and
    /// <c>ConvertTo-Json</c>s it like an array (it is an <see cref="IList"/>); unlike an array, its text is its items
    /// joined by ", ", so a CSV cell or a string reads <c>0.9, 0.999</c> and never <c>System.Object[]</c>.
    /// </summary>
    public sealed class ValueList<T> : IReadOnlyList<T>, IList
    {
        private readonly T[] _items;

        public ValueList(IEnumerable<T> items)
        {
            _items = (items ?? throw new ArgumentNullException(nameof(items))).ToArray();
        }

        private ValueList(T[] items, bool owned)
        {
            _items = owned ? items : (T[])items.Clone();
        }

        /// <summary>The empty list: empty collections are empty lists, never null.</summary>
        public static ValueList<T> Empty { get; } = new ValueList<T>(Array.Empty<T>(), owned: true);

        public int Count => _items.Length;

        /// <summary>The same as <see cref="Count"/>, as arrays have it.</summary>
        public int Length => _items.Length;

        bool IList.IsReadOnly => true;

        bool IList.IsFixedSize => true;

        bool ICollection.IsSynchronized => false;

        object ICollection.SyncRoot => _items;

        public T this[int index] => _items[index];

        object? IList.this[int index]
        {
            get => _items[index];
            set => throw ReadOnly();
        }

        /// <summary>An array's items as a list (copied, so the list never changes under its reader).</summary>
        public static implicit operator ValueList<T>(T[] items) => items is null || items.Length == 0 ? Empty : new ValueList<T>(items, owned: false);

        public bool Contains(T item) => Array.IndexOf(_items, item) >= 0;

        public int IndexOf(T item) => Array.IndexOf(_items, item);

        public T[] ToArray() => (T[])_items.Clone();

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

        bool IList.Contains(object? value) => ((IList)_items).Contains(value);

        int IList.IndexOf(object? value) => ((IList)_items).IndexOf(value);

        void ICollection.CopyTo(Array array, int index) => _items.CopyTo(array, index);

        int IList.Add(object? value) => throw ReadOnly();

        void IList.Clear() => throw ReadOnly();

        void IList.Insert(int index, object? value) => throw ReadOnly();

        void IList.Remove(object? value) => throw ReadOnly();

        void IList.RemoveAt(int index) => throw ReadOnly();

        /// <summary>The items joined by ", " (nested maps as <c>@{key=value; …}</c>), as a table cell or a CSV cell shows it.</summary>
        public override string ToString() => ValueText.Format(this);

        private static NotSupportedException ReadOnly() => new NotSupportedException("This list is read-only.");
    }
}
