using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Base of the cmdlets that work on runs: runs come from the pipeline (Get-WandbRun output, local or API), or are
    /// named by -Id with -Path (local) or -Project/-Entity (API). Rows from Get-RunConfig, Get-RunSummary and
    /// Measure-RunRuntime re-bind through RunId, RunPath, RunProject and RunEntity, so these cmdlets chain.
    /// </summary>
    public abstract class RunInputCmdlet : SourceCmdlet, RunAddress.IParameters
    {
        protected const string RunSet = "Run";
        protected const string PathSet = "Path";

        private readonly HashSet<string> _seen = new HashSet<string>(System.StringComparer.Ordinal);
        private ICollection<string> _typed = System.Array.Empty<string>();

        /// <summary>Runs to work on, usually from Get-WandbRun.</summary>
        [Parameter(ParameterSetName = RunSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public WandbRun[] Run { get; set; } = null!;

        /// <summary>Run ids (wildcards allowed) to read; with neither -Path nor -Project, from the default source.</summary>
        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completion.RunIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary>Plain strings piped in: run ids. Typed as RunIdentity so that only text binds here, not any object turned into text.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipeline = true, DontShow = true)]
        public RunIdentity[]? InputObject { get; set; }

        /// <summary>A wandb folder, run folder or .wandb file to read the runs from.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        /// <summary>The W&amp;B project to read the runs from (API); "entity/project" is accepted.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string? Project { get; set; }

        /// <summary>The W&amp;B entity (team or user) of -Project; default: the connection, WANDB_ENTITY, or the key's own.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        /// <summary>The run id of a piped row, artifact or log line; it wins over the object's own Id (see RunAddress).</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? RunId { get; set; }

        /// <summary>The run folder of a piped object that has a RunId.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? RunPath { get; set; }

        /// <summary>The W&amp;B project of a piped object that has a RunId.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? RunProject { get; set; }

        /// <summary>The W&amp;B entity of a piped object that has a RunId.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? RunEntity { get; set; }

        /// <summary>
        /// Refuses an empty -Id, -Path, -Project or -Entity typed on the command line (they bind rows by property
        /// name, so they take no ValidateNotNullOrEmpty), and notes what was typed: it wins over what the pipeline brings.
        /// </summary>
        protected override void BeginProcessing() => _typed = TypedLocation();

        protected sealed override void ProcessRecord()
        {
            RunCore(() =>
            {
                if (ProcessOtherInput())
                {
                    return;
                }

                foreach (WandbRun run in InputRuns())
                {
                    RunItem(TargetOf(run), () => ProcessRun(run));
                }
            });
        }

        /// <summary>
        /// Handles input of a parameter set of the cmdlet's own that brings no runs (Save-RunFile's files); true when it
        /// did, and the runs are then not looked for.
        /// </summary>
        private protected virtual bool ProcessOtherInput() => false;

        /// <summary>Handles one input run.</summary>
        private protected abstract void ProcessRun(WandbRun run);

        /// <summary>What reads more of a run (history, artifacts): the source it came from, else its kind's source rebuilt (see <see cref="SourceResolver.OriginOf"/>).</summary>
        private protected IRunOrigin OriginOf(WandbRun run) => Sources.OriginOf(run);

        /// <summary>How errors name a run: its folder, else entity/project/id, else its id.</summary>
        private static string? TargetOf(WandbRun run) =>
            run.Path ?? (run.Entity is null || run.Project is null ? run.Id : run.Entity + "/" + run.Project + "/" + run.Id);

        private IEnumerable<WandbRun> InputRuns()
        {
            if (ParameterSetName == RunSet)
            {
                foreach (WandbRun run in Run)
                {
                    foreach (WandbRun named in RunsAt(RunAddress.Of(run)))
                    {
                        yield return named;
                    }
                }

                yield break;
            }

            foreach (RunAddress address in RunAddress.Of(this, _typed, Path, false, nameof(Path), nameof(Project), nameof(Entity)))
            {
                foreach (WandbRun run in RunsAt(address))
                {
                    yield return run;
                }
            }
        }

        /// <summary>The runs one address names: a run object as it is, else its ids read from its path, project, or the default source.</summary>
        private IEnumerable<WandbRun> RunsAt(RunAddress address)
        {
            if (address.Run is not null)
            {
                yield return address.Run;
                yield break;
            }

            // A path wins over a project: a row from a local run has both.
            IRunSource? source = Sources.For(address);
            if (source is null)
            {
                yield break;
            }

            var selector = new RunSelector(address.Ids, null);
            foreach (WandbRun run in source.GetRuns(selector, new RunListOptions(), WriteWandbError, Cancellation))
            {
                // The same run reached twice (its folder and its wandb folder both piped in) is handled once.
                if (_seen.Add(run.Path ?? source.TargetFor(run.Id)))
                {
                    yield return run;
                }
            }

            foreach (string missing in selector.UnmatchedLiterals)
            {
                WriteWandbError(new WandbException(WandbErrorKind.RunNotFound, "No run with id '" + missing + "' was found.", source.TargetFor(missing)));
            }
        }
    }
}
