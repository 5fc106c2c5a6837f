using System;
using System.Collections.Generic;

namespace WandbRunOps.Api
{
    /// <summary>
    /// The ids of the last runs a listing passed on, to pass a repeated run on once. W&amp;B's cursors are offsets, so
    /// a run repeated by runs created while paging comes back within the next page, shifted by the runs created
    /// meanwhile; remembering the last <see cref="Capacity"/> ids catches every repeat a listing can see short of
    /// that many runs created between two pages, in memory that does not grow with the listing (a project of a
    /// million runs is listed in constant memory).
    /// </summary>
    internal sealed class RecentRunIds
    {
        /// <summary>Ten default pages.</summary>
        public const int Capacity = 10 * ApiRunSource.DefaultPageSize;

        private readonly HashSet<string> _ids = new HashSet<string>(StringComparer.Ordinal);
        private readonly Queue<string> _order = new Queue<string>();
        private readonly int _capacity;

        public RecentRunIds(int capacity = Capacity)
        {
            _capacity = capacity;
        }

        /// <summary>True the first time <paramref name="id"/> is seen within the window; false for a repeat.</summary>
        public bool Add(string id)
        {
            if (!_ids.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > _capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
