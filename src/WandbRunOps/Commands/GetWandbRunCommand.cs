using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets W&amp;B runs from the run folders the wandb SDK writes (./wandb by default), one object per run id, oldest first.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WandbRun", DefaultParameterSetName = PathSet, SupportsPaging = true)]
    [OutputType(typeof(WandbRun))]
    public sealed class GetWandbRunCommand : WandbCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const int ProgressActivityId = 0x57414E;

        private readonly HashSet<string> _emitted = new HashSet<string>(System.StringComparer.Ordinal);
        private ulong _skipped;
        private ulong _written;

        /// <summary>A wandb folder, a project folder holding one, a run folder, or a .wandb file. Wildcards allowed.</summary>
        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Like -Path, but taken exactly as typed (no wildcards).</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>Run ids; wildcards allowed. A literal id that matches no run is an error.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        /// <summary>Run display names; wildcards allowed. A literal name that matches no run is an error.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            RunCore(() =>
            {
                List<string> roots = LiteralPath is not null
                    ? ResolvePaths(LiteralPath, literal: true)
                    : Path is not null ? ResolvePaths(Path, literal: false) : new List<string> { DefaultLocalRoot() };
                if (roots.Count == 0)
                {
                    return;
                }

                var selector = new RunSelector(Id, Name);
                var source = new LocalRunSource(roots, Diagnostics) { Progress = ProgressReporter() };
                if (PagingParameters.IncludeTotalCount)
                {
                    source.TotalCount = (count, accuracy) => WriteObject(PagingParameters.NewTotalCount((ulong)count, accuracy));
                }

                try
                {
                    foreach (WandbRun run in source.GetRuns(selector, WriteWandbError, Cancellation))
                    {
                        if (run.Path is not null && !_emitted.Add(run.Path))
                        {
                            continue;
                        }

                        if (_skipped < PagingParameters.Skip)
                        {
                            _skipped++;
                            continue;
                        }

                        if (_written >= PagingParameters.First)
                        {
                            break;
                        }

                        WriteObject(run);
                        _written++;
                    }
                }
                finally
                {
                    WriteProgress(new ProgressRecord(ProgressActivityId, "Reading W&B runs", "Done") { RecordType = ProgressRecordType.Completed });
                }

                foreach (string missing in selector.UnmatchedLiterals)
                {
                    if (_written < PagingParameters.First)
                    {
                        WriteWandbError(new WandbException(
                            WandbErrorKind.RunNotFound,
                            "No run with the id or name '" + missing + "' was found in " + string.Join(", ", roots) + ".",
                            missing));
                    }
                }
            });
        }

        /// <summary>Progress over many run folders, at most four updates a second.</summary>
        private System.Action<int, int> ProgressReporter()
        {
            var clock = Stopwatch.StartNew();
            long last = -1000;
            return (done, total) =>
            {
                if (total < 2 || clock.ElapsedMilliseconds - last < 250)
                {
                    return;
                }

                last = clock.ElapsedMilliseconds;
                WriteProgress(new ProgressRecord(ProgressActivityId, "Reading W&B runs", done + " of " + total + " runs")
                {
                    PercentComplete = (int)(100L * done / total),
                });
            };
        }
    }
}
