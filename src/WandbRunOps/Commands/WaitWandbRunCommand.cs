using System;
using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Waiting;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Waits for runs to end: each run is output, freshly read, once it is no longer Running or Pending, so a CI job
    /// can start training and gate on the run's metrics when it is done. Local runs are read again every second,
    /// W&amp;B every 10 seconds (never under 5, backing off when the server rate-limits). -TimeoutSec ends the wait with
    /// a WandbWaitTimeout error per run still running, and outputs those runs as they stand.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "WandbRun", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Wait-WandbRun.md")]
    [OutputType(typeof(WandbRun))]
    public sealed class WaitWandbRunCommand : RunInputCmdlet
    {
        private const int ProgressActivityId = 0x575257;
        private const string ProgressActivity = "Waiting for W&B runs to end";

        private readonly List<KeyValuePair<WandbRun, IRunOrigin>> _runs = new List<KeyValuePair<WandbRun, IRunOrigin>>();
        private readonly HashSet<string> _taken = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>How long to wait, in seconds, before giving up on the runs still running (default: until every run has ended).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public override int TimeoutSec { get; set; }

        /// <summary>Seconds between two reads of the runs (default 1 for local folders, 10 for W&amp;B; W&amp;B is never asked more often than every 5).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int PollIntervalSec { get; set; }

        /// <summary>The wait's -TimeoutSec is not a request time-out: each request keeps the module's default.</summary>
        private protected override TimeSpan RequestTimeout => TimeSpan.FromSeconds(30);

        private protected override void ProcessRun(WandbRun run)
        {
            IRunOrigin origin = OriginOf(run);
            if (_taken.Add(origin.TargetFor(run.Id) + "\n" + run.Path))
            {
                _runs.Add(new KeyValuePair<WandbRun, IRunOrigin>(run, origin));
            }
        }

        protected override void EndProcessing()
        {
            var waiter = new RunWaiter(
                MyInvocation.BoundParameters.ContainsKey(nameof(PollIntervalSec)) ? TimeSpan.FromSeconds(PollIntervalSec) : (TimeSpan?)null,
                MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null,
                Diagnostics);
            var progress = new ProgressDisplay(WriteProgress, ProgressActivityId, ProgressActivity);
            int total = _runs.Count;
            RunCore(() =>
            {
                try
                {
                    foreach (RunWaitResult result in waiter.Wait(_runs, WriteWandbError, pending => ShowProgress(progress, pending, total), Cancellation))
                    {
                        WriteObject(result.Run);
                    }
                }
                finally
                {
                    progress.Complete();
                }
            });
        }

        private static void ShowProgress(ProgressDisplay progress, int pending, int total)
        {
            if (pending > 0)
            {
                progress.Update(pending + " of " + total + " run" + (total == 1 ? string.Empty : "s") + " still running", (total - pending) * 100 / total);
            }
        }
    }
}
