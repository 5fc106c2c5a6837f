using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Asks W&amp;B to stop running runs: the training process learns of it when it next polls the server, so a stop
    /// takes effect within moments and is safe to repeat. Local run folders refuse it (WandbReadOnlySource).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "WandbRun", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
        HelpUri = HelpLinks.Docs + "Stop-WandbRun.md")]
    [OutputType(typeof(void))]
    public sealed class StopWandbRunCommand : RunChangeCmdlet<RunSnapshot>
    {

        private protected override Task<RunSnapshot> PlanAsync(IRunOrigin origin, WandbRun run, CancellationToken cancellation) =>
            origin.Changes.ReadAsync(run, cancellation);

        private protected override async Task<WandbRun?> ApplyAsync(IRunOrigin origin, RunSnapshot plan, CancellationToken cancellation)
        {
            await origin.Changes.StopAsync(plan, cancellation).ConfigureAwait(false);
            return null;
        }

        private protected override string TargetText(RunSnapshot plan) => plan.Label;

        private protected override string? ActionText(RunSnapshot plan) =>
            "Stop (state " + (plan.State ?? "unknown") + "; the training process stops when it next polls W&B)";

        private protected override void OnChanged(RunSnapshot plan, WandbRun? result)
        {
            WriteVerbose("Stop sent for run " + plan.Label + ".");
        }
    }
}
