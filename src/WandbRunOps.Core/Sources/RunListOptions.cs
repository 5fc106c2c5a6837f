using System;
using WandbRunOps.Filtering;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// How one listing runs: page size and order, and the calling command's progress and total-count callbacks. They
    /// are given to <see cref="IRunSource.GetRuns"/> for that one listing and are never kept on the source or on the
    /// runs it yields.
    /// </summary>
    public sealed class RunListOptions
    {
        /// <summary>Runs per API request; null for the default (a small first page, then large ones). Local folders have no pages.</summary>
        public int? PageSize { get; set; }

        /// <summary>
        /// The order the runs come in; null for oldest first. The API asks the server for the part it can sort on and
        /// sorts the rest itself once every run is in; locally the runs are sorted once read.
        /// </summary>
        public RunOrder? Order { get; set; }

        /// <summary>
        /// Newest runs first, read lazily (for a caller that takes only the first few): locally the newest run folders
        /// are read first; over the API the server orders by creation time, descending. Ignored when <see cref="Order"/> is set.
        /// </summary>
        public bool NewestFirst { get; set; }

        /// <summary>Called once, before the first run, with the number of runs the listing will look at and how exact that is (1.0 exact, 0.5 an upper bound).</summary>
        public Action<long, double>? TotalCount { get; set; }

        /// <summary>Where the listing stands: locally after each run folder, over the API at each page boundary.</summary>
        public Action<ListingProgress>? Progress { get; set; }
    }
}
