using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Sweeps;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets sweeps: their state, search method, the metric they optimise and their best run by it. Over the API from
    /// the project (-Project/-Entity); locally from the runs under -Path (or ./wandb) that belong to a sweep, where the
    /// metric comes from -Metric because run folders do not record the sweep's configuration.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WandbSweep", HelpUri = HelpLinks.Docs + "Get-WandbSweep.md")]
    [OutputType(typeof(WandbSweep))]
    public sealed class GetWandbSweepCommand : SourceCmdlet
    {
        /// <summary>Sweep ids (wildcards allowed); all sweeps when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.SweepIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary>A wandb folder (or run folders) whose runs' sweeps to read.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The W&amp;B project of the sweeps (API); "entity/project" is accepted.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string? Project { get; set; }

        /// <summary>The W&amp;B entity of -Project.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        /// <summary>The summary metric that picks the best run, instead of (API) or for want of (local) the sweep's own.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Metric { get; set; }

        /// <summary>Whether the best run has the lowest (Minimize, W&amp;B's default) or highest value of the metric.</summary>
        [Parameter]
        [ValidateSet(SweepMetric.Minimize, SweepMetric.Maximize, IgnoreCase = true)]
        public string? Goal { get; set; }

        private readonly System.Collections.Generic.List<string> _ids = new System.Collections.Generic.List<string>();

        protected override void BeginProcessing() => RefuseBlankArguments(nameof(Project), nameof(Entity));

        protected override void ProcessRecord()
        {
            if (Id is not null)
            {
                _ids.AddRange(Id);
            }
        }

        protected override void EndProcessing()
        {
            RunCore(() =>
            {
                IRunSource? source = Sources.For(Path, false, Entity, Project);
                if (source is null)
                {
                    return;
                }

                var query = new SweepQuery { Ids = _ids, Metric = Metric, Goal = Goal?.ToLowerInvariant() };
                foreach (WandbSweep sweep in source.Sweeps.GetSweeps(query, WriteWandbError, Cancellation))
                {
                    WriteObject(sweep);
                }
            });
        }
    }
}
