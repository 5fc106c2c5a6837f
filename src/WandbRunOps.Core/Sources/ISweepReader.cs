using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>What Get-WandbSweep asks of a source: the sweeps of its project (API) or of the runs under its paths (local).</summary>
    public interface ISweepReader
    {
        /// <summary>
        /// The sweeps the query names, each with its best run by its metric (or by the query's metric when given); a
        /// literal id that names no sweep is reported (WandbSweepNotFound) and the others still come.
        /// </summary>
        IEnumerable<WandbSweep> GetSweeps(SweepQuery query, Action<WandbException> onError, CancellationToken cancellation);
    }

    /// <summary>Which sweeps, and by which metric their best run is chosen.</summary>
    public sealed class SweepQuery
    {
        /// <summary>-Id: wildcards or literals; empty for every sweep.</summary>
        public IReadOnlyList<string> Ids { get; set; } = Array.Empty<string>();

        /// <summary>-Metric: overrides (API) or supplies (local) the sweep's metric.</summary>
        public string? Metric { get; set; }

        /// <summary>-Goal: minimize or maximize; with -Metric, default minimize as in W&amp;B.</summary>
        public string? Goal { get; set; }
    }
}
