using System;
using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Errors;
using WandbRunOps.Logs;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets a run's console output: one <see cref="WandbLogLine"/> per line, streamed as it is read. Locally from the
    /// log's console records (carriage-return redraws folded as a terminal shows them), else files/output.log; over
    /// the API from the run's log lines. -Tail reads only the end; -Wait follows a running run until it ends.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RunLog", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunLog.md")]
    [OutputType(typeof(WandbLogLine))]
    public sealed class GetRunLogCommand : RunInputCmdlet
    {
        private LogQuery? _query;

        /// <summary>Only the last this many lines of each run.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Tail { get; set; }

        /// <summary>Follow a running run: lines as they are written, until the run ends (or Ctrl+C).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>Keep ANSI escape codes (colours, cursor moves) in the lines.</summary>
        [Parameter]
        public SwitchParameter Raw { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _query = new LogQuery
            {
                Tail = MyInvocation.BoundParameters.ContainsKey(nameof(Tail)) ? Tail : (int?)null,
                Raw = Raw.IsPresent,
                Wait = Wait.IsPresent,
            };
        }

        private protected override void ProcessRun(WandbRun run)
        {
            IEnumerator<ConsoleLine> lines;
            try
            {
                lines = OriginOf(run).Logs.Read(run, _query!, Cancellation).GetEnumerator();
            }
            catch (WandbException e)
            {
                WriteWandbError(e);
                return;
            }

            using (lines)
            {
                while (true)
                {
                    try
                    {
                        if (!lines.MoveNext())
                        {
                            break;
                        }
                    }
                    catch (WandbException e)
                    {
                        WriteWandbError(e);
                        return;
                    }

                    WriteObject(new WandbLogLine(run, lines.Current));
                }
            }
        }
    }
}
