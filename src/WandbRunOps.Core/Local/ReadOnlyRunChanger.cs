using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Local run folders are records of what happened: a change to a run's fields or a stop is refused per run with
    /// WandbReadOnlySource, and nothing is read or written.
    /// </summary>
    internal sealed class ReadOnlyRunChanger : IRunChanger
    {
        public Task<RunSnapshot> ReadAsync(WandbRun run, CancellationToken cancellation) => throw Refusal(run.Path ?? run.Id, run.Id);

        public Task<WandbRun> ApplyAsync(RunChangePlan plan, CancellationToken cancellation) => throw Refusal(plan.Run.Target, plan.Run.RunId);

        public Task StopAsync(RunSnapshot run, CancellationToken cancellation) => throw Refusal(run.Target, run.RunId);

        private static WandbException Refusal(string target, string runId) => new WandbException(
            WandbErrorKind.ReadOnlySource,
            "Run '" + runId + "' is a local run folder, a record of what the SDK wrote: it cannot be changed or stopped here. " +
            "Change the run on the W&B server it was synced to (-Project/-Entity), or remove its folders with Remove-WandbRun.",
            target);
    }
}
