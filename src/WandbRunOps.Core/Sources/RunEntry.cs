using System.Collections.Generic;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>A run as <see cref="IRunSource.FindRuns"/> names it: its id, and what the source knew without reading more.</summary>
    public sealed class RunEntry
    {
        public RunEntry(string id, IReadOnlyList<string> folders, WandbRun? run)
        {
            Id = id;
            Folders = folders;
            Run = run;
        }

        public string Id { get; }

        /// <summary>The run's folders, oldest first (local runs; empty over the API).</summary>
        public IReadOnlyList<string> Folders { get; }

        /// <summary>The run itself, when naming it cost reading it (API); null for local runs, whose logs are not read.</summary>
        public WandbRun? Run { get; }
    }
}
