using System.Linq;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Comparison;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Compares the config of a reference run with one or more other runs: one row per differing key (dotted paths
    /// for nested keys), with a Compare-Object style SideIndicator. Runs are run objects or ids (looked up in -Path,
    /// -Project, or the default source).
    /// </summary>
    [Cmdlet(VerbsData.Compare, "RunConfig", HelpUri = HelpLinks.Docs + "Compare-RunConfig.md")]
    [OutputType(typeof(ConfigDifference))]
    public sealed class CompareRunConfigCommand : SourceCmdlet
    {
        private IRunSource? _source;
        private bool _sourceChosen;
        private WandbRun? _reference;
        private int _compared;
        private bool _missedAny;

        /// <summary>The run to compare against: a run object or a run id. Without it, the first run given (piped) is the reference.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(Completion.RunIdCompleter))]
        public RunIdentity? ReferenceRun { get; set; }

        /// <summary>
        /// The runs compared with the reference: run objects or run ids, also from the pipeline (objects with a RunId
        /// or Id property bind by name; RunId first, since an artifact's Id is its own).
        /// </summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("RunId", "Id")]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(Completion.RunIdCompleter))]
        public RunIdentity[] DifferenceRun { get; set; } = null!;

        /// <summary>A wandb folder, run folder or .wandb file where run ids are looked up.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The W&amp;B project where run ids are looked up (API); "entity/project" is accepted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string? Project { get; set; }

        /// <summary>The W&amp;B entity of -Project.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        /// <summary>Also emit the keys whose values are equal (SideIndicator ==).</summary>
        [Parameter]
        public SwitchParameter IncludeEqual { get; set; }

        /// <summary>Also compare the SDK's own _wandb keys.</summary>
        [Parameter]
        public SwitchParameter IncludeInternal { get; set; }

        protected override void ProcessRecord()
        {
            RunCore(() =>
            {
                if (_reference is null && ReferenceRun is not null)
                {
                    _reference = Resolve(ReferenceRun, terminating: true)!;
                }

                foreach (RunIdentity identity in DifferenceRun)
                {
                    if (_reference is null)
                    {
                        // No -ReferenceRun: the first run given is the reference (interface decision).
                        _reference = Resolve(identity, terminating: true)!;
                        continue;
                    }

                    WandbRun? run = Resolve(identity, terminating: false);
                    if (run is null)
                    {
                        continue;
                    }

                    _compared++;
                    foreach (ConfigDifference difference in ConfigComparer.Compare(_reference.Config, run.Config, _reference.Id, run.Id, IncludeEqual, IncludeInternal))
                    {
                        WriteObject(difference);
                    }
                }
            });
        }

        /// <summary>One run and no -ReferenceRun leaves nothing to compare: say so rather than emit nothing.</summary>
        protected override void EndProcessing()
        {
            if (ReferenceRun is null && _reference is not null && _compared == 0 && !_missedAny)
            {
                WriteWandbError(new WandbException(
                    WandbErrorKind.InvalidArgument,
                    "Only one run (" + _reference.Id + ") was given and no -ReferenceRun: give -ReferenceRun, or pipe two or more runs (the first is the reference).",
                    _reference.Id));
            }
        }

        /// <summary>The run object, fetched by id when only an id was given; a missing one is RunNotFound.</summary>
        private WandbRun? Resolve(RunIdentity identity, bool terminating)
        {
            if (identity.Run is not null)
            {
                return identity.Run;
            }

            if (!_sourceChosen)
            {
                // Null when no -Path resolves (each reported as WandbPathNotFound): every id is then not found.
                _source = Sources.For(Path, literal: false, Entity, Project);
                _sourceChosen = true;
            }

            // The API source reports a missing id itself; keep that report (it names entity/project/id) rather than add a second.
            WandbException? notFound = null;
            WandbRun? run = _source?.GetRuns(
                new RunSelector(new[] { identity.Id }, null),
                new RunListOptions(),
                e =>
                {
                    if (e.Kind == WandbErrorKind.RunNotFound)
                    {
                        notFound = e;
                    }
                    else
                    {
                        WriteWandbError(e);
                    }
                },
                Cancellation).FirstOrDefault();
            if (run is not null)
            {
                return run;
            }

            WandbException missing = notFound ?? new WandbException(WandbErrorKind.RunNotFound, "No run with id '" + identity.Id + "' was found.", _source?.TargetFor(identity.Id) ?? identity.Id);
            if (terminating)
            {
                throw missing;
            }

            WriteWandbError(missing);
            _missedAny = true;
            return null;
        }
    }
}
