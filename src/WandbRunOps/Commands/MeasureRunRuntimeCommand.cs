using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Measures run runtimes: per run (Runtime, Seconds, ReportedSeconds), or with -Statistics one summary over all
    /// piped runs (Count, Sum, Average, Minimum, Maximum, Median, StandardDeviation).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "RunRuntime", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Measure-RunRuntime.md")]
    [OutputType(typeof(RunRuntime), typeof(RuntimeStatistics))]
    public sealed class MeasureRunRuntimeCommand : RunInputCmdlet
    {
        private readonly List<RunRuntime> _measured = new List<RunRuntime>();

        /// <summary>Emit one statistics object over all runs instead of one object per run.</summary>
        [Parameter]
        public SwitchParameter Statistics { get; set; }

        private protected override void ProcessRun(WandbRun run)
        {
            var runtime = new RunRuntime(run);
            if (Statistics)
            {
                _measured.Add(runtime);
            }
            else
            {
                WriteObject(runtime);
            }
        }

        protected override void EndProcessing()
        {
            if (Statistics)
            {
                WriteObject(RuntimeStatistics.Of(_measured));
            }
        }
    }
}
