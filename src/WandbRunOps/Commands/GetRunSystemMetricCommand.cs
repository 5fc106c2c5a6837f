using System;
using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Commands.Output;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.SystemMetrics;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets a run's system metrics (GPU, CPU, memory, disk, network): one object per sample with <c>Timestamp</c>,
    /// <c>Runtime</c> and one property per metric, named as W&amp;B names them over the API (<c>system.gpu.0.gpu</c>),
    /// streamed as read. Locally from the log's stats records (SDK 0.10 and later) or a legacy folder's events file;
    /// over the API from the run's events stream.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RunSystemMetric", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunSystemMetric.md")]
    [OutputType(SystemMetricRowBuilder.RowTypeName)]
    public sealed class GetRunSystemMetricCommand : RunInputCmdlet
    {
        /// <summary>Its own progress activity, apart from Get-WandbRun's, so both bars show in one pipeline.</summary>
        private const int ProgressActivityId = 0x575359;
        private const string ProgressActivity = "Reading W&B run system metrics";

        private SystemMetricRowBuilder? _rows;
        private SystemMetricQuery? _query;
        private MissingKeyCheck? _missingKeys;

        /// <summary>Only these metrics (full names, wildcards allowed); a sample is returned when it holds at least one of them.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.SystemMetricKeyCompleter))]
        public string[]? Key { get; set; }

        /// <summary>At most this many samples per run, evenly spread (first and last kept), as W&amp;B's events stream gives them.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Samples { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RunCore(() =>
            {
                _rows = new SystemMetricRowBuilder(Key);
                _query = new SystemMetricQuery
                {
                    Keys = Key,
                    Samples = MyInvocation.BoundParameters.ContainsKey(nameof(Samples)) ? Samples : (int?)null,
                };
            });
            _missingKeys = new MissingKeyCheck(Key, "system metric");
        }

        protected override void EndProcessing() => _missingKeys?.Warn(WriteWarning);

        private protected override void ProcessRun(WandbRun run)
        {
            IEnumerator<SystemMetricRow> rows;
            try
            {
                rows = OriginOf(run).SystemMetrics.Read(run, _query!, Cancellation).GetEnumerator();
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
                    progress.Update("Run " + run.Id + ": " + count + " sample" + (count == 1 ? string.Empty : "s"), -1);
                });
            }
            finally
            {
                progress.Complete();
            }
        }
    }
}
