using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Comparison;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Compares the config of a reference run with one or more other runs: one row per differing key (dotted paths
    /// for nested keys), with a Compare-Object style SideIndicator.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "RunConfig")]
    [OutputType(typeof(ConfigDifference))]
    public sealed class CompareRunConfigCommand : WandbCmdlet
    {
        /// <summary>The run to compare against.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public WandbRun ReferenceRun { get; set; } = null!;

        /// <summary>The runs compared with the reference; from the pipeline too.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [ValidateNotNull]
        public WandbRun[] DifferenceRun { get; set; } = null!;

        /// <summary>Also emit the keys whose values are equal (SideIndicator ==).</summary>
        [Parameter]
        public SwitchParameter IncludeEqual { get; set; }

        /// <summary>Also compare the SDK's own _wandb keys.</summary>
        [Parameter]
        public SwitchParameter IncludeInternal { get; set; }

        protected override void ProcessRecord()
        {
            foreach (WandbRun run in DifferenceRun)
            {
                foreach (ConfigDifference difference in ConfigComparer.Compare(ReferenceRun.Config, run.Config, ReferenceRun.Id, run.Id, IncludeEqual, IncludeInternal))
                {
                    WriteObject(difference);
                }
            }
        }
    }
}
