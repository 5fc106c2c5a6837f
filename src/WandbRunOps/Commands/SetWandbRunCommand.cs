using System.Collections;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Commands.Base;
using WandbRunOps.Commands.Filtering;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Changes the tags, notes, display name, group, job type or config of W&amp;B runs. Tag additions and removals
    /// apply to a fresh read of each run (W&amp;B replaces the whole list); -WhatIf shows, per run, exactly what would
    /// be sent. Local run folders are records and refuse changes (WandbReadOnlySource).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "WandbRun", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Docs + "Set-WandbRun.md")]
    [OutputType(typeof(WandbRun))]
    public sealed class SetWandbRunCommand : RunChangeCmdlet<RunChangePlan>
    {
        private RunChangeRequest _request = null!;

        /// <summary>The run's new tag list, replacing the old one.</summary>
        [Parameter]
        [AllowEmptyCollection]
        public string[]? Tag { get; set; }

        /// <summary>Tags to add to each run's current tags.</summary>
        [Parameter]
        public string[]? AddTag { get; set; }

        /// <summary>Tags to remove from each run's current tags.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(Completion.RunTagCompleter))]
        public string[]? RemoveTag { get; set; }

        /// <summary>The run's notes; an empty string clears them.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? Notes { get; set; }

        /// <summary>The run's display name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The run's group.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? Group { get; set; }

        /// <summary>The run's job type.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? JobType { get; set; }

        /// <summary>Config keys to set, merged key by key into the run's config; a key set to $null is removed.</summary>
        [Parameter]
        public Hashtable? Config { get; set; }

        /// <summary>Writes each changed run, as the server now has it.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            RunCore(() =>
            {
                _request = new RunChangeRequest
                {
                    Tags = Tag,
                    AddTags = AddTag,
                    RemoveTags = RemoveTag,
                    Notes = Notes,
                    DisplayName = Name,
                    Group = Group,
                    JobType = JobType,
                    Config = Config is null ? null : PowerShellValues.ToStorable(Config, "-Config") as WandbMap,
                };
                _request.Validate();
            });
            base.BeginProcessing();
        }

        private protected override async Task<RunChangePlan> PlanAsync(IRunOrigin origin, WandbRun run, CancellationToken cancellation) =>
            RunChangePlan.For(await origin.Changes.ReadAsync(run, cancellation).ConfigureAwait(false), _request);

        private protected override async Task<WandbRun?> ApplyAsync(IRunOrigin origin, RunChangePlan plan, CancellationToken cancellation) =>
            await origin.Changes.ApplyAsync(plan, cancellation).ConfigureAwait(false);

        private protected override string TargetText(RunChangePlan plan) => plan.Run.Label;

        private protected override string? ActionText(RunChangePlan plan) => plan.IsEmpty ? null : "Set " + plan.Description;

        private protected override void OnChanged(RunChangePlan plan, WandbRun? result)
        {
            if (PassThru.IsPresent && result is not null)
            {
                WriteObject(result);
            }
        }
    }
}
