using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// A source's removal of a run (Remove-WandbRun): over the API a delete, locally the run's folders. Planning
    /// reads what would go and refuses what must not (a running run, an unsynced offline run) with the reason; the
    /// plan's text is what -WhatIf and -Confirm show.
    /// </summary>
    public interface IRunRemover
    {
        Task<RunRemovalPlan> PlanAsync(WandbRun run, RunRemovalOptions options, CancellationToken cancellation);

        Task RemoveAsync(RunRemovalPlan plan, CancellationToken cancellation);
    }
}
