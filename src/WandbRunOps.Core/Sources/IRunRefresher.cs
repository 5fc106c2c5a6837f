using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// A source's fresh reading of runs it gave before (Wait-WandbRun asks it every poll): locally each run's folders
    /// read again as they are on disk now; over the API one listing request for up to a page of runs, so waiting on
    /// many runs costs one request per poll, not one per run.
    /// </summary>
    public interface IRunRefresher
    {
        /// <summary>
        /// <paramref name="runs"/> read again; a run that is gone (its folder removed, deleted on the server) is
        /// reported through <paramref name="onError"/> and left out.
        /// </summary>
        IEnumerable<WandbRun> Refresh(IReadOnlyList<WandbRun> runs, Action<WandbException> onError, CancellationToken cancellation);
    }
}
