using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// A source's changes to a run's fields and its stop (Set-WandbRun, Stop-WandbRun). Each works on a fresh read,
    /// never on the object piped in. Local run folders are records of what happened: their changer refuses every call
    /// with <see cref="Errors.WandbErrorKind.ReadOnlySource"/>, before anything is read or written.
    /// </summary>
    public interface IRunChanger
    {
        /// <summary>The run as the source has it now, with what a change needs (the storage id).</summary>
        Task<RunSnapshot> ReadAsync(WandbRun run, CancellationToken cancellation);

        /// <summary>Sends the plan; returns the run as the source now has it.</summary>
        Task<WandbRun> ApplyAsync(RunChangePlan plan, CancellationToken cancellation);

        /// <summary>Asks the run to stop; safe to repeat.</summary>
        Task StopAsync(RunSnapshot run, CancellationToken cancellation);
    }
}
