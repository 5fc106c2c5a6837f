using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Errors;
using WandbRunOps.Local;
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
    public abstract class RunInputCmdlet : SourceCmdlet
    {
        protected const string RunSet = "Run";
        protected const string PathSet = "Path";

        private readonly HashSet<string> _seen = new HashSet<string>(System.StringComparer.Ordinal);
        private LocalRunSource? _local;

        /// <summary>Runs to work on, usually from Get-WandbRun.</summary>
        [Parameter(ParameterSetName = RunSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public WandbRun[] Run { get; set; } = null!;

        /// <summary>Run ids (wildcards allowed) to read; with neither -Path nor -Project, from the default source.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("RunId")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completion.RunIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary>A wandb folder, run folder or .wandb file to read the runs from.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("RunPath", "FullName")]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        /// <summary>The W&amp;B project to read the runs from (API); "entity/project" is accepted.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("RunProject")]
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string? Project { get; set; }

        /// <summary>The W&amp;B entity (team or user) of -Project; default: the connection, WANDB_ENTITY, or the key's own.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("RunEntity")]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        /// <summary>Artifacts of local runs are read from their logs.</summary>
        private protected LocalRunSource LocalArtifacts => _local ??= LocalSourceFor(System.Array.Empty<string>());

        /// <summary>
        /// Refuses an empty -Id, -Path, -Project or -Entity typed on the command line. They take no
        /// ValidateNotNullOrEmpty because rows bind them by property name, and an API row's RunPath (or a local row's
        /// RunProject) is empty; but typed empty they would silently fall back to the default source.
        /// </summary>
        protected override void BeginProcessing()
        {
            // Only command-line arguments are bound before the first input object arrives.
            foreach (string name in new[] { nameof(Id), nameof(Path), nameof(Project), nameof(Entity) })
            {
                if (MyInvocation.BoundParameters.TryGetValue(name, out object? value) && IsBlank(value))
                {
                    ThrowWandbError(new WandbException(
                        WandbErrorKind.InvalidArgument, "-" + name + " is empty. Leave it out to use the default source, or give a value.", name));
                }
            }
        }

        protected sealed override void ProcessRecord()
        {
            RunCore(() =>
            {
                foreach (WandbRun run in InputRuns())
                {
                    RunItem(TargetOf(run), () => ProcessRun(run));
                }
            });
        }

        /// <summary>Handles one input run.</summary>
        private protected abstract void ProcessRun(WandbRun run);

        /// <summary>The source that can answer for a run: the one it came from, else its kind's source rebuilt.</summary>
        private protected IRunSource SourceOf(WandbRun run) =>
            RunOrigin.ApiSourceOf(run, Diagnostics) ?? (run.Source == RunSource.Api ? ApiSource(run.Entity, run.Project) : LocalArtifacts);

        /// <summary>How errors name a run: its folder, else entity/project/id, else its id.</summary>
        private static string? TargetOf(WandbRun run) =>
            run.Path ?? (run.Entity is null || run.Project is null ? run.Id : run.Entity + "/" + run.Project + "/" + run.Id);

        private static bool IsBlank(object? value) => value switch
        {
            null => true,
            string text => text.Length == 0,
            string[] list => list.Length == 0 || System.Array.Exists(list, string.IsNullOrEmpty),
            _ => false,
        };

        private IEnumerable<WandbRun> InputRuns()
        {
            if (ParameterSetName == RunSet)
            {
                foreach (WandbRun run in Run)
                {
                    yield return run;
                }

                yield break;
            }

            // Rows re-bound from an API listing have no RunPath; rows from local runs have one.
            bool hasPath = Path is { Length: > 0 } && System.Array.Exists(Path, p => !string.IsNullOrEmpty(p));
            IRunSource source;
            if (hasPath)
            {
                List<string> roots = ResolvePaths(Path!, literal: false);
                if (roots.Count == 0)
                {
                    yield break;
                }

                source = LocalSourceFor(roots);
            }
            else
            {
                source = string.IsNullOrEmpty(Project) ? DefaultSource(Entity) : ApiSource(Entity, Project);
            }

            var selector = new RunSelector(Id, null);
            foreach (WandbRun run in source.GetRuns(selector, WriteWandbError, Cancellation))
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
