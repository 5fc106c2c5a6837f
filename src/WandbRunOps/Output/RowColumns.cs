using System;
using System.Collections.Generic;

namespace WandbRunOps.Commands.Output
{
    /// <summary>Column names in first-seen order, each once (case-insensitive, as PowerShell property names are).</summary>
    internal sealed class RowColumns
    {
        private readonly List<string> _names = new List<string>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyList<string> Names => _names;

        public int Count => _names.Count;

        public bool Contains(string name) => _seen.Contains(name);

        /// <summary>Adds a name not seen yet; true when it was new.</summary>
        public bool Add(string name)
        {
            if (!_seen.Add(name))
            {
                return false;
            }

            _names.Add(name);
            return true;
        }

        public void AddRange(IEnumerable<string> names)
        {
            foreach (string name in names)
            {
                Add(name);
            }
        }
    }
}
