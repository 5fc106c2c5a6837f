using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Fuzz;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Values;
using Xunit;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// One damaged block in the middle of a multi-block log: the run's config, summary and exit written before it and
    /// every history row after it are still read (the reader resyncs at the next 32 KiB block), with one warning.
    /// </summary>
    public class BlockDamageRecoveryTests : IDisposable
    {
        private const long DamagedBlock = 2;
        private static readonly byte[] Log = SyntheticLogs.MultiBlock(rows: 300);
        private static readonly LogLayout Layout = LogLayout.Of(Log);
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        public static IEnumerable<object[]> Cases() =>
            from kind in LogMutations.BlockLocal
            from seed in new[] { 1, 2, 3 }
            select new object[] { kind.Kind, seed };

        [Theory]
        [MemberData(nameof(Cases))]
        public void RecordsBeforeAndAfterTheDamagedBlockAreRead(string kind, int seed)
        {
            var apply = LogMutations.All.Single(k => k.Kind == kind).Apply;
            LogMutation mutation = apply(Log, Layout.OnlyBlock(DamagedBlock), new Random(seed))!;
            Assert.Equal(new[] { DamagedBlock }, mutation.DamagedBlocks);
            string wandb = _temp.Combine("wandb");
            RunFolderWriter.Write(wandb, new RunFolderSpec { RunId = SyntheticLogs.RunId, FolderTime = SyntheticLogs.Start, AppendToLog = w => w.WriteRaw(mutation.Bytes), LogHeader = false });

            var warnings = new List<string>();
            var errors = new List<WandbException>();
            var source = new LocalRunSource(new[] { wandb }, new ReadDiagnostics(warnings.Add, null), () => SyntheticLogs.Start.AddDays(1));
            WandbRun run = Assert.Single(source.GetRuns(new RunSelector(null, null), new RunListOptions(), errors.Add, CancellationToken.None));
            long[] steps = source.History.Read(run, new HistoryQuery(), CancellationToken.None).Select(r => r.Step).ToArray();

            Assert.Empty(errors);
            Assert.Equal((RunState.Finished, (int?)0, (double?)SyntheticLogs.ExitRuntime), (run.State, run.ExitCode, run.ReportedSeconds));
            Assert.Equal(0.003, run.Config["learning_rate"]);
            Assert.Equal("adam", run.Config["optimizer"]);
            Assert.Equal(new object[] { 64L, 32L, 10L }, (ValueList<object?>)run.Config["layers"]!);
            Assert.Equal((0.125, 12L), (run.Summary["best_loss"], run.Summary["epochs"]));

            // History records are written in step order: the n-th one in the layout is step n.
            LogRecord[] rows = Layout.Records.Where(r => r.IsHistory).ToArray();
            long[] outside = Enumerable.Range(0, rows.Length).Where(i => !rows[i].Blocks.Contains(DamagedBlock)).Select(i => (long)i).ToArray();
            Assert.Empty(outside.Except(steps));
            Assert.True(outside.Any(s => rows[s].Start > (DamagedBlock + 1) * WandbLogWriter.BlockSize), "rows after the damaged block exist");
            Assert.True(steps.Length < rows.Length, "the damage cost at least one row");
            Assert.Contains(warnings, w => w.Contains("is damaged", StringComparison.Ordinal));
        }
    }
}
