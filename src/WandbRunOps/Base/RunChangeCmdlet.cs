using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Base of the cmdlets that change runs (Set-, Stop-, Remove-WandbRun). Each input run is planned on a fresh read,
    /// confirmed with ShouldProcess in input order (so -WhatIf prints, per run, exactly the change that would be sent,
    /// and sends nothing), then changed, a few runs at a time; outcomes are reported in input order, and a run that
    /// fails is its own error while the others go on.
    /// </summary>
    public abstract class RunChangeCmdlet<TPlan> : RunInputCmdlet
        where TPlan : class
    {
        /// <summary>How many runs are being read or changed at once: enough to hide latency, few enough to be polite.</summary>
        private const int ChangesInFlight = 4;

        // Reads and changes run on worker threads; their messages reach the pipeline thread through here.
        private readonly WorkerMessages _messages = new WorkerMessages();
        private ChangePipeline<TPlan, WandbRun?>? _pipeline;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _pipeline = new ChangePipeline<TPlan, WandbRun?>(ChangesInFlight, Confirm, Cancellation, stopAtFirstError: StopsAtFirstError());
        }

        private protected sealed override void ProcessRun(WandbRun run)
        {
            IRunOrigin origin = OriginOf(run).ReportingTo(_messages.Diagnostics);
            Report(_pipeline!.Add(run, token => PlanAsync(origin, run, token), (plan, token) => ApplyAsync(origin, plan, token)));
        }

        protected override void EndProcessing() => RunCore(() =>
        {
            // Drain stops at a failure under -ErrorAction Stop, for it to be reported first; if the command goes on
            // (Inquire answered "Yes"), so does the draining.
            do
            {
                Report(_pipeline!.Drain());
            }
            while (_pipeline.HasPending);
        });

        /// <summary>Reads the run fresh and works out its change; a catalogue error refuses this run only.</summary>
        private protected abstract Task<TPlan> PlanAsync(IRunOrigin origin, WandbRun run, CancellationToken cancellation);

        /// <summary>Makes the change; returns the run as the source now has it, when there is one to return.</summary>
        private protected abstract Task<WandbRun?> ApplyAsync(IRunOrigin origin, TPlan plan, CancellationToken cancellation);

        /// <summary>How ShouldProcess names the run: <c>entity/project/id (name)</c>, or a local run's id and name.</summary>
        private protected abstract string TargetText(TPlan plan);

        /// <summary>The exact change, as ShouldProcess shows it; null when the plan changes nothing (it is then neither shown nor sent).</summary>
        private protected abstract string? ActionText(TPlan plan);

        /// <summary>Called for each run changed, in input order (Set-WandbRun -PassThru writes the run here).</summary>
        private protected virtual void OnChanged(TPlan plan, WandbRun? result)
        {
        }

        private void PassOnMessages() => _messages.PassOn(WriteWarning, WriteVerbose, WriteDebug);

        private bool Confirm(TPlan plan)
        {
            PassOnMessages();
            string? action = ActionText(plan);
            if (action is null)
            {
                WriteVerbose(TargetText(plan) + ": no change (the run already is as asked); nothing sent.");
                return false;
            }

            return ShouldProcess(TargetText(plan), action);
        }

        private void Report(IEnumerable<ChangeOutcome<TPlan, WandbRun?>> outcomes)
        {
            PassOnMessages();
            foreach (ChangeOutcome<TPlan, WandbRun?> outcome in outcomes)
            {
                if (outcome.Error is not null)
                {
                    WriteWandbError(outcome.Error);
                }
                else if (outcome.Applied)
                {
                    OnChanged(outcome.Plan!, outcome.Result);
                }
            }
        }
    }
}
