using System;
using System.Linq;
using WandbRunOps.Fuzz;
using WandbRunOps.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// The quick slice of the .wandb mutation harness (tests/WandbRunOps.Fuzz; the long run is its console): damaged
    /// logs read through the local source as the cmdlets read them never crash, never hang, keep every record outside
    /// the damage, and allocate in proportion to the file.
    /// </summary>
    [Collection(CpuHeavyCollection.Name)]
    public class LogMutationHarnessTests
    {
        /// <summary>
        /// Bytes allocated per input byte (files under 64 KiB count as 64 KiB). Reading a log materialises every value
        /// twice (the run, then its history rows) as boxed numbers and UTF-16 strings. The quick slice's worst is about 14;
        /// the long run's, the full-size hostile-values log (huge numeric arrays, no header record), about 31.
        /// </summary>
        private const double MaxAllocationRatio = 40;

        /// <summary>Far above the quick slice's slowest case (about 0.2 s), so a shared CI machine does not flake.</summary>
        private const double MaxMillisecondsPerFile = 10_000;

        private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

        private readonly ITestOutputHelper _output;

        public LogMutationHarnessTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void SyntheticLogsSurviveEveryMutationKind() =>
            AssertSliceHolds(FuzzPlans.QuickSynthetic(), minimumCases: 60);

        [RealFixtureFact]
        public void SmallRealLogsSurviveTruncationAtEveryThirdOffsetAndEveryMutationKind() =>
            AssertSliceHolds(FuzzPlans.QuickRealFixtures(RepoPaths.RealFixtures), minimumCases: 3000);

        [Fact]
        public void TheHarnessLayoutAgreesWithTheReaderOnAnUndamagedLog()
        {
            // The owed counts are only a check if the harness's own walk of the framing matches the reader's.
            var source = new FuzzSource("multi-block", SyntheticLogs.MultiBlock(rows: 300));
            using var session = new FuzzSession(HangLimit);
            session.Pristine(source);

            FuzzReport.KindFigures total = session.Report.Total;
            Assert.Equal(304, source.Layout.Records.Count);
            Assert.Equal(300, source.Layout.Records.Count(r => r.IsHistory));
            Assert.True(source.Layout.Records.Count(r => r.Blocks.Count > 1) >= 6, "the log has records split across blocks");
            Assert.Equal((304L, 304L, 300L, 300L), (total.RecordsRead, total.RecordsOwed, total.HistoryRows, total.HistoryRowsOwed));
        }

        private void AssertSliceHolds(System.Collections.Generic.IReadOnlyList<FuzzSource> sources, int minimumCases)
        {
            using var session = new FuzzSession(HangLimit);
            FuzzPlans.Quick(session, sources);
            FuzzReport report = session.Report;
            _output.WriteLine(report.Format());

            Assert.Empty(report.Failures.Select(f => f.Describe()));
            Assert.True(report.Total.Cases >= minimumCases, report.Total.Cases + " cases");
            Assert.Equal(LogMutations.All.Count + 1, report.Kinds.Count());
            Assert.True(report.Total.MaxAllocationRatio <= MaxAllocationRatio, "allocation ratio " + report.Total.MaxAllocationRatio + ": " + report.MostAllocating!.Describe());
            Assert.True(report.Total.MaxMilliseconds <= MaxMillisecondsPerFile, report.Total.MaxMilliseconds + " ms: " + report.Slowest!.Describe());
        }
    }
}
