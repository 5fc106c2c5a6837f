using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Local.Log;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WandbRunOps.Tests.History
{
    /// <summary>
    /// Get-RunHistory's reader with a log's records decoded on several threads (the threshold forced to 0) against the
    /// same reader decoding on the calling thread alone: the same rows, values, key order, warnings and verbose messages,
    /// on random logs (keys changing between rows, nested keys, damaged and cut-off records, zeroed stretches, a repeated
    /// block whose steps go back) under every kind of query (-Key, step ranges, -Samples), and on every real SDK log.
    /// </summary>
    [Collection(WandbRunOps.Tests.Reliability.CpuHeavyCollection.Name)]
    public class ParallelHistoryAgreementTests : IDisposable
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);

        private readonly SampleRuns _samples = new SampleRuns();
        private readonly ITestOutputHelper _output;

        public ParallelHistoryAgreementTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _samples.Dispose();

        private static IEnumerable<Func<HistoryQuery>> Queries() => new Func<HistoryQuery>[]
        {
            () => new HistoryQuery(),
            () => new HistoryQuery { Keys = new[] { "loss*", "acc", "n*" } },
            () => new HistoryQuery { Keys = new[] { "_runtime" } },
            () => new HistoryQuery { MinStep = 200, MaxStep = 1500 },
            () => new HistoryQuery { Samples = 7 },
            () => new HistoryQuery { Keys = new[] { "metric_1*", "lr" }, Samples = 5, MinStep = 10 },
        };

        [Theory]
        [InlineData(1, "none")]
        [InlineData(2, "zeroed")]
        [InlineData(3, "cut")]
        [InlineData(4, "repeated")]
        [InlineData(5, "flipped")]
        [InlineData(6, "all")]
        public void RandomLogsReadTheSameOnSeveralThreadsAsOnOne(int seed, string damage)
        {
            var random = new Random(seed);
            string id = "para" + seed;
            string wandb = _samples.Scratch("parallel-" + seed + "/wandb");
            List<byte[]> records = HistoryDecodingAgreementTests.RandomRecords(random, 6000);
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = id,
                FolderTime = Start,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = id, Project = "p", StartTime = Start }) }.Concat(records).ToArray(),
            });
            string log = Path.Combine(folder, RunFolderWriter.LogFileName(id));
            Damage(log, damage, random);
            Assert.True(new FileInfo(log).Length > 4 * ParallelRecordDecoding.JobBytes, "the log spans several jobs: " + new FileInfo(log).Length);

            WandbRun run = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None)
                .GetRuns(new RunSelector(new[] { id }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            foreach (Func<HistoryQuery> query in Queries())
            {
                AssertSameReads(run, query, "seed " + seed + " (" + damage + ")", minimumRows: 1);
            }

            Assert.Equal(0, ParallelRecordDecoding.RunningOn(log));
        }

        /// <summary>Damage at the byte level, over the framing: what a crash, a bad disk or a copy gone wrong leaves.</summary>
        private static void Damage(string log, string how, Random random)
        {
            byte[] bytes = File.ReadAllBytes(log);
            const int Block = LogChunkReader.BlockSize;
            if (how is "zeroed" or "all")
            {
                for (int n = 0; n < 3; n++)
                {
                    int at = random.Next(Block, bytes.Length - 2 * Block);
                    Array.Clear(bytes, at, random.Next(1, 2 * Block));
                }
            }

            if (how is "flipped" or "all")
            {
                for (int n = 0; n < 20; n++)
                {
                    bytes[random.Next(LogChunkReader.HeaderSize, bytes.Length)] ^= (byte)random.Next(1, 256);
                }
            }

            if (how is "repeated" or "all")
            {
                // A block written twice, with valid checksums: its rows come again with steps that go back.
                int block = random.Next(4, bytes.Length / Block - 2);
                bytes = bytes.Take((block + 1) * Block).Concat(bytes.Skip(block * Block).Take(Block)).Concat(bytes.Skip((block + 1) * Block)).ToArray();
            }

            if (how is "cut" or "all")
            {
                bytes = bytes.Take(bytes.Length - random.Next(1, 5000)).ToArray();
            }

            File.WriteAllBytes(log, bytes);
        }

        private static (List<HistoryRow> Rows, List<string> Messages) Read(WandbRun run, HistoryQuery query, long threshold)
        {
            var messages = new List<string>();
            var diagnostics = new ReadDiagnostics(w => messages.Add("warning: " + w), v => messages.Add("verbose: " + v));
            var reader = new LocalHistoryReader(diagnostics) { ParallelThreshold = threshold };
            return (reader.Read(run, query, CancellationToken.None).ToList(), messages);
        }

        private static void AssertSameReads(WandbRun run, Func<HistoryQuery> query, string what, int minimumRows)
        {
            (List<HistoryRow> one, List<string> oneMessages) = Read(run, query(), long.MaxValue);
            (List<HistoryRow> spread, List<string> spreadMessages) = Read(run, query(), 0);
            Assert.True(one.Count >= minimumRows, what + ": " + one.Count + " rows");
            Assert.Equal(oneMessages, spreadMessages);
            Assert.Equal(one.Count, spread.Count);
            for (int i = 0; i < one.Count; i++)
            {
                string where = what + ", row " + i + " (step " + one[i].Step + ")";
                Assert.True(one[i].Step == spread[i].Step, where + ": step " + spread[i].Step);
                Assert.True(Nullable.Equals(one[i].Runtime, spread[i].Runtime), where + ": runtime");
                Assert.True(Nullable.Equals(one[i].Timestamp, spread[i].Timestamp), where + ": timestamp");
                HistoryDecodingAgreementTests.AssertSame(one[i].Values, spread[i].Values, where);
            }
        }

        [RealFixtureFact]
        public void EveryRealLogReadsTheSameOnSeveralThreadsAsOnOne()
        {
            string[] folders = Directory.GetDirectories(RepoPaths.RealFixtures).Select(d => Path.Combine(d, "wandb")).Where(Directory.Exists).ToArray();
            var source = new LocalRunSource(folders, ReadDiagnostics.None);
            List<WandbRun> runs = source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => _output.WriteLine("listing: " + e.Message), CancellationToken.None).ToList();
            Assert.True(runs.Count > 10, "real runs: " + runs.Count);
            var queries = new Func<HistoryQuery>[]
            {
                () => new HistoryQuery(),
                () => new HistoryQuery { Keys = new[] { "l*", "_runtime" } },
                () => new HistoryQuery { Samples = 3 },
                () => new HistoryQuery { MinStep = 5, MaxStep = 50 },
            };
            foreach (WandbRun run in runs)
            {
                foreach (Func<HistoryQuery> query in queries)
                {
                    AssertSameReads(run, query, run.Id, minimumRows: 0);
                }
            }
        }
    }
}
