namespace WandbRunOps.Sources
{
    /// <summary>One progress report of a run listing.</summary>
    public readonly struct ListingProgress
    {
        public ListingProgress(long done, long? total, int page)
        {
            Done = done;
            Total = total;
            Page = page;
        }

        /// <summary>Runs looked at so far.</summary>
        public long Done { get; }

        /// <summary>Runs the listing will look at, when known.</summary>
        public long? Total { get; }

        /// <summary>The API page just received (1, 2, …); 0 for a local listing, which reports each run folder before it is read.</summary>
        public int Page { get; }
    }
}
