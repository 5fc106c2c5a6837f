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
    /// Deletes W&amp;B runs, or removes local run folders (every folder of a resumed run). A running run is never
    /// removed, nor an offline run that was never synced unless -IncludeUnsynced; the artifacts a run logged are kept
    /// unless -DeleteArtifacts. -WhatIf shows, per run, what would go.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "WandbRun", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
        HelpUri = HelpLinks.Docs + "Remove-WandbRun.md")]
    [OutputType(typeof(void))]
    public sealed class RemoveWandbRunCommand : RunChangeCmdlet<RunRemovalPlan>
    {
        /// <summary>API runs: also delete the artifacts each run logged (off by default, as in W&amp;B's own clients).</summary>
        [Parameter]
        public SwitchParameter DeleteArtifacts { get; set; }

        /// <summary>Local runs: also remove offline runs that were never synced (their folders hold the only copy).</summary>
        [Parameter]
        public SwitchParameter IncludeUnsynced { get; set; }

        private RunRemovalOptions Options => new RunRemovalOptions { DeleteArtifacts = DeleteArtifacts.IsPresent, IncludeUnsynced = IncludeUnsynced.IsPresent };

        private protected override Task<RunRemovalPlan> PlanAsync(IRunOrigin origin, WandbRun run, CancellationToken cancellation) =>
            origin.Removal.PlanAsync(run, Options, cancellation);

        private protected override async Task<WandbRun?> ApplyAsync(IRunOrigin origin, RunRemovalPlan plan, CancellationToken cancellation)
        {
            await origin.Removal.RemoveAsync(plan, cancellation).ConfigureAwait(false);
            return null;
        }

        private protected override string TargetText(RunRemovalPlan plan) => plan.Label;

        private protected override string? ActionText(RunRemovalPlan plan) => "Remove: " + plan.Description;

        private protected override void OnChanged(RunRemovalPlan plan, WandbRun? result) =>
            WriteVerbose("Removed run " + plan.Label + ": " + plan.Description + ".");
    }
}
