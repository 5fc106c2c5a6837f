using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Base of the cmdlets that work on runs: runs come from the pipeline (Get-WandbRun output), or are named by
    /// -Id and -Path. Rows from Get-RunConfig/Get-RunSummary/Measure-RunRuntime re-bind through their RunId and
    /// RunPath properties, so these cmdlets chain.
    /// </summary>
    public abstract class RunInputCmdlet : WandbCmdlet
    {
        protected const string RunSet = "Run";
        protected const string PathSet = "Path";

        private LocalRunSource? _local;
        private readonly HashSet<string> _seen = new HashSet<string>(System.StringComparer.Ordinal);

        /// <summary>Runs to work on, usually from Get-WandbRun.</summary>
        [Parameter(ParameterSetName = RunSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public WandbRun[] Run { get; set; } = null!;

        /// <summary>Run ids (wildcards allowed) to read from -Path, or from ./wandb.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("RunId")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        /// <summary>A wandb folder, run folder or .wandb file to read the runs from (default: ./wandb).</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("RunPath", "FullName")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        private protected LocalRunSource LocalSource => _local ??= new LocalRunSource(System.Array.Empty<string>(), Diagnostics);

        protected sealed override void ProcessRecord()
        {
            RunCore(() =>
            {
                foreach (WandbRun run in InputRuns())
                {
                    ProcessRun(run);
                }
            });
        }

        /// <summary>Handles one input run.</summary>
        private protected abstract void ProcessRun(WandbRun run);

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

            List<string> roots = Path is null ? new List<string> { DefaultLocalRoot() } : ResolvePaths(Path, literal: false);
            if (roots.Count == 0)
            {
                yield break;
            }

            var selector = new RunSelector(Id, null);
            foreach (WandbRun run in new LocalRunSource(roots, Diagnostics).GetRuns(selector, WriteWandbError, Cancellation))
            {
                // The same run reached twice (its folder and its wandb folder both piped in) is handled once.
                if (run.Path is null || _seen.Add(run.Path))
                {
                    yield return run;
                }
            }

            foreach (string missing in selector.UnmatchedLiterals)
            {
                WriteWandbError(new WandbException(
                    WandbErrorKind.RunNotFound,
                    "No run with id '" + missing + "' was found in " + string.Join(", ", roots) + ".",
                    missing));
            }
        }
    }
}
