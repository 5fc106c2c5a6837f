using System;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Where <see cref="LogItems.ReadItem{TKey}"/> gets an item's keys: a log's <see cref="KeyCache"/> (strings, for the
    /// run reader) or its <see cref="HistoryKeyTable"/> (history keys, for the history decoder).
    /// </summary>
    internal interface IItemKeys<TKey>
        where TKey : class
    {
        /// <summary>The key whose UTF-8 bytes are <paramref name="utf8"/>.</summary>
        TKey Get(ArraySegment<byte> utf8);

        /// <summary>The key's text (an empty Python-era <c>key</c> names no path).</summary>
        string TextOf(TKey key);
    }
}
