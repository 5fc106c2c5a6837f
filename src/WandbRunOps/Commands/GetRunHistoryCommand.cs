using System;
using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Commands.Output;
using WandbRunOps.Errors;
using WandbRunOps.History;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets a run's history: one object per logged step with <c>_step</c>, <c>_runtime</c>, <c>_timestamp</c> and one
    /// property per key, streamed as it is read. Locally from the run's log(s); over the API a paged full scan, or with
    /// -Key one request per key joined on <c>_step</c>, so a step is never dropped because another key is missing there.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RunHistory", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunHistory.md")]
    [OutputType("WandbRunOps.Model.RunHistory")]
    public sealed class GetRunHistoryCommand : RunInputCmdlet
    {
        /// <summary>Its own progress activity, apart from Get-WandbRun's, so both bars show in one pipeline.</summary>
        private const int ProgressActivityId = 0x574849;
        private const string ProgressActivity = "Reading W&B run history";

        private HistoryRowBuilder? _rows;
        private HistoryQuery? _query;
        private MissingKeyCheck? _missingKeys;

        /// <summary>Only these top-level keys (wildcards allowed); a step is returned when it logged at least one of them.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.KeyCompleter))]
        public string[]? Key { get; set; }

        /// <summary>The first step to return (inclusive).</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long MinStep { get; set; }

        /// <summary>The last step to return (inclusive).</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long MaxStep { get; set; }

        /// <summary>At most this many rows, evenly spread (per key with -Key), as W&amp;B's sampled history gives them.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Samples { get; set; }

        /// <summary>History rows per API request in a full scan (default 1000, as the SDK).</summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int PageSize { get; set; } = HistoryQuery.DefaultPageSize;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            bool hasMin = MyInvocation.BoundParameters.ContainsKey(nameof(MinStep));
            bool hasMax = MyInvocation.BoundParameters.ContainsKey(nameof(MaxStep));
            if (hasMin && hasMax && MinStep > MaxStep)
            {
                ThrowWandbError(new WandbException(WandbErrorKind.InvalidArgument, "-MinStep " + MinStep + " is after -MaxStep " + MaxStep + ".", MinStep));
            }

            RunCore(() =>
            {
                _rows = new HistoryRowBuilder(Key);
                _query = new HistoryQuery
                {
                    Keys = Key,
                    MinStep = hasMin ? MinStep : (long?)null,
                    MaxStep = hasMax ? MaxStep : (long?)null,
                    Samples = MyInvocation.BoundParameters.ContainsKey(nameof(Samples)) ? Samples : (int?)null,
                    PageSize = PageSize,
                };
            });
            _missingKeys = new MissingKeyCheck(Key, "history", StepRangeText(hasMin, hasMax));
        }

        protected override void EndProcessing() => _missingKeys?.Warn(WriteWarning);

        /// <summary>The step range asked for, as the missing-key warning says it ("" for all steps).</summary>
        private string StepRangeText(bool hasMin, bool hasMax) =>
            hasMin && hasMax ? (MinStep == MaxStep ? " at step " + MinStep : " at steps " + MinStep + " to " + MaxStep)
            : hasMin ? " at step " + MinStep + " or later"
            : hasMax ? " at step " + MaxStep + " or earlier"
            : string.Empty;

        private protected override void ProcessRun(WandbRun run)
        {
            IEnumerator<HistoryRow> rows;
            try
            {
                rows = OriginOf(run).History.Read(run, _query!, Cancellation).GetEnumerator();
            }
            catch (WandbException e)
            {
                WriteWandbError(e);
                return;
            }

            _missingKeys!.SawRun();
            var progress = new ProgressDisplay(WriteProgress, ProgressActivityId, ProgressActivity);
            long count = 0;
            try
            {
                _rows!.WriteRun(this, run, rows, WriteObject, WriteWarning, WriteWandbError, row =>
                {
                    _missingKeys!.Saw(row.Values);
                    count++;
                    progress.Update(
                        "Run " + run.Id + ": " + count + " row" + (count == 1 ? string.Empty : "s") + " (step " + row.Step + ")",
                        run.HistoryCount > 0 && _query!.Samples is null && !_query.HasKeys && _query.MinStep is null && _query.MaxStep is null
                            ? (int)Math.Min(99, count * 100 / run.HistoryCount)
                            : -1);
                });
            }
            finally
            {
                progress.Complete();
            }
        }
    }
}
