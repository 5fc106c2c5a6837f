namespace WandbRunOps.Values
{
    /// <summary>
    /// The key order that consecutive maps of one source have in common (a log's history rows repeat their keys in the
    /// same order): maps made from it (<see cref="WandbMap(SharedKeyRow)"/>) start on one key array instead of each
    /// filling a list of their own. The array's slots are written once and never change (see
    /// <see cref="WandbMap"/>), so maps on any thread can share it; a map whose keys part from it copies its own first.
    /// </summary>
    internal sealed class SharedKeyRow
    {
        private string?[] _keys = new string?[8];

        /// <summary>The array the next map starts on.</summary>
        internal string?[] Keys
        {
            get => System.Threading.Volatile.Read(ref _keys);
            set => System.Threading.Volatile.Write(ref _keys, value);
        }

        /// <summary>How many keys the last map to add one had: the next map's room for values.</summary>
        internal int LastCount { get; set; }
    }
}
