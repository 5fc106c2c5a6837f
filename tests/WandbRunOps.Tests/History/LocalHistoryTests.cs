using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.History
{
    /// <summary>History rows read from run folders: the sample runs, synthetic logs (nested keys, damage) and the real SDK folders.</summary>
    public class LocalHistoryTests : IDisposable
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

        private readonly SampleRuns _samples = new SampleRuns();
        private readonly List<string> _warnings = new List<string>();

        public void Dispose() => _samples.Dispose();

        private LocalRunSource Source(string path) => new LocalRunSource(new[] { path }, new ReadDiagnostics(_warnings.Add, null));

        private WandbRun Run(string path, string id) =>
            Source(path).GetRuns(new RunSelector(new[] { id }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();

        private List<HistoryRow> History(string path, string id, HistoryQuery? query = null) =>
            Source(path).History.Read(Run(path, id), query ?? new HistoryQuery(), CancellationToken.None).ToList();

        [Fact]
        public void ASampleRunHasOneRowPerStepWithTypedValues()
        {
            WandbRun run = Run(_samples.Wandb, "fin0001a");
            List<HistoryRow> rows = Source(_samples.Wandb).History.Read(run, new HistoryQuery(), CancellationToken.None).ToList();

            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), rows.Select(r => r.Step));
            HistoryRow last = rows[9];
            Assert.Equal(new[] { "accuracy", "loss", "_step", "_runtime", "_timestamp" }, last.Values.Keys);
            Assert.Equal(0.91, last.Values["accuracy"]);
            Assert.Equal(9L, last.Values["_step"]);
            Assert.Equal(1800.0, last.Runtime);
            Assert.IsType<double>(last.Values["_timestamp"]);
            Assert.Equal(DateTimeKind.Utc, last.Timestamp!.Value.Kind);
            Assert.Equal(run.HeartbeatAt, last.Timestamp.Value, TimeSpan.FromMilliseconds(1));
            Assert.Equal(180.0, rows[0].Runtime);
            Assert.Empty(_warnings);
        }

        [Fact]
        public void AResumedRunIsReadAcrossBothFoldersInOrder()
        {
            WandbRun run = Run(_samples.Wandb, "resu007g");
            Assert.Equal(2, run.Folders.Length);
            List<HistoryRow> rows = Source(_samples.Wandb).History.Read(run, new HistoryQuery(), CancellationToken.None).ToList();
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), rows.Select(r => r.Step));
            Assert.Equal(3000.0, rows[9].Runtime);
            Assert.Equal(0.89, rows[9].Values["accuracy"]);
        }

        [Fact]
        public void PythonEraKeyItemsAndAFailedRunsNaNAreRead()
        {
            List<HistoryRow> crashed = History(_samples.Wandb, "crsh005e");
            Assert.Equal(8, crashed.Count);
            Assert.Equal(0.8, crashed[7].Values["accuracy"]);
            Assert.Equal(7L, crashed[7].Step);

            HistoryRow failedLast = History(_samples.Wandb, "fail004d").Last();
            Assert.True(double.IsNaN((double)failedLast.Values["accuracy"]!));
            Assert.Equal(double.PositiveInfinity, failedLast.Values["loss"]);

            Assert.Empty(History(_samples.Wandb, "live006f"));
        }

        [Fact]
        public void StepRangeIsInclusiveAndKeysAreWildcardsOverTopLevelKeys()
        {
            List<HistoryRow> range = History(_samples.Wandb, "fin0002b", new HistoryQuery { MinStep = 3, MaxStep = 5 });
            Assert.Equal(new long[] { 3, 4, 5 }, range.Select(r => r.Step));

            List<HistoryRow> keyed = History(_samples.Wandb, "fin0002b", new HistoryQuery { Keys = new[] { "ACC*" } });
            Assert.Equal(10, keyed.Count);
            Assert.Equal(new[] { "accuracy", "_step", "_runtime", "_timestamp" }, keyed[0].Values.Keys);

            Assert.Empty(History(_samples.Wandb, "fin0002b", new HistoryQuery { Keys = new[] { "no_such_key" } }));
            Assert.Empty(History(_samples.Wandb, "fin0002b", new HistoryQuery { MinStep = 10 }));
        }

        [Fact]
        public void SamplesAreEvenlySpreadKeepingTheFirstAndLastStep()
        {
            Assert.Equal(new long[] { 0, 3, 6, 9 }, History(_samples.Wandb, "fin0003c", new HistoryQuery { Samples = 4 }).Select(r => r.Step));
            Assert.Equal(new long[] { 0 }, History(_samples.Wandb, "fin0003c", new HistoryQuery { Samples = 1 }).Select(r => r.Step));
            Assert.Equal(10, History(_samples.Wandb, "fin0003c", new HistoryQuery { Samples = 500 }).Count);
            Assert.Equal(new long[] { 2, 4, 6 }, History(_samples.Wandb, "fin0003c", new HistoryQuery { MinStep = 2, MaxStep = 6, Samples = 3 }).Select(r => r.Step));
            Assert.Equal(new[] { 0, 2, 5, 7, 9 }, HistoryQuery.EvenlySpread(10, 5));
        }

        [Fact]
        public void NestedKeysAreRebuiltAsMapsAndDottedKeysStayWhole()
        {
            string wandb = _samples.Scratch("nested/wandb");
            WriteRun(wandb, "nested01", Records.History(0, new[]
            {
                Item.ByPath(new[] { "_step" }, "0"),
                Item.ByPath(new[] { "hit_distribution", "_type" }, "\"image-file\""),
                Item.ByPath(new[] { "hit_distribution", "path" }, "\"media/images/a.png\""),
                Item.ByPath(new[] { "train.loss" }, "0.5"),
                Item.ByPath(new[] { "eval/acc" }, "NaN"),
            }));

            HistoryRow row = Assert.Single(History(wandb, "nested01"));
            var image = Assert.IsType<WandbMap>(row.Values["hit_distribution"]);
            Assert.Equal("image-file", image["_type"]);
            Assert.Equal("media/images/a.png", image["path"]);
            Assert.Equal(0.5, row.Values["train.loss"]);
            Assert.True(double.IsNaN((double)row.Values["eval/acc"]!));
            Assert.Null(row.Timestamp);
            Assert.Null(row.Runtime);

            HistoryRow keyed = Assert.Single(History(wandb, "nested01", new HistoryQuery { Keys = new[] { "hit_*" } }));
            Assert.Equal(new[] { "_step", "hit_distribution" }, keyed.Values.Keys);
        }

        [Fact]
        public void ARowWithoutAStepItemGetsItsStepFromTheRecord()
        {
            // wandb-core leaves the _step item out in shared mode; the HistoryRecord's step still says which step it is.
            string wandb = _samples.Scratch("shared/wandb");
            WriteRun(wandb, "shared01", Records.History(4, new[] { Item.ByPath(new[] { "loss" }, "1.5") }));
            HistoryRow row = Assert.Single(History(wandb, "shared01"));
            Assert.Equal(4L, row.Step);
            Assert.Equal(4L, row.Values["_step"]);
        }

        [Fact]
        public void ADamagedLogYieldsItsCompleteRowsAndOneWarning()
        {
            string wandb = _samples.Scratch("damaged/wandb");
            byte[][] rows = Enumerable.Range(0, 1500).Select(i => LogBuilder.History(i, Start, i * 0.5, ("loss", "0.25"), ("note", "\"" + new string('x', 40) + "\""))).ToArray();
            string folder = WriteRun(wandb, "damage01", rows);
            string log = Path.Combine(folder, RunFolderWriter.LogFileName("damage01"));

            // A flipped byte in the second block loses that block's records; the cut end loses a partial record.
            byte[] bytes = File.ReadAllBytes(log);
            Assert.True(bytes.Length > 4 * LogChunkSize);
            bytes[LogChunkSize + 5000] ^= 0xFF;
            File.WriteAllBytes(log, bytes.Take(bytes.Length - 30).ToArray());

            List<HistoryRow> read = History(wandb, "damage01");
            Assert.InRange(read.Count, 1000, 1498);
            Assert.Equal(0L, read[0].Step);
            Assert.True(read.Zip(read.Skip(1)).All(p => p.First.Step < p.Second.Step), "steps stay in order");
            Assert.All(read, r => Assert.Equal(r.Step * 0.5, r.Runtime));
            string warning = Assert.Single(_warnings, w => w.Contains("damaged") && w.Contains(read.Count + " complete history records"));
            Assert.Contains("checksum mismatch", warning);
        }

        [Fact]
        public void ALegacyFolderIsReadFromItsHistoryFile()
        {
            string wandb = _samples.Scratch("legacy/wandb");
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "legacy01",
                FolderTime = Start,
                Era = RunEra.Legacy,
                MetadataFile = MetadataShapes.Legacy(new MetadataInfo { StartedUtc = Start, HeartbeatUtc = Start.AddMinutes(10) }, "finished", 0, "legacy-project"),
                LegacyHistory = new[]
                {
                    new JsonMap { { "reward", -98.5 }, { "_runtime", 1.5 }, { "_timestamp", 1585073558.75 }, { "_step", 0 } },
                    new JsonMap { { "reward", -92.5 }, { "_runtime", 2.5 }, { "_timestamp", 1585073559.75 }, { "_step", 1 } },
                },
            });
            File.AppendAllText(Path.Combine(folder, "wandb-history.jsonl"), "{not json\n{\"reward\": -90.0, \"_step\": 2}\n");

            List<HistoryRow> rows = History(wandb, "legacy01");
            Assert.Equal(new long[] { 0, 1, 2 }, rows.Select(r => r.Step));
            Assert.Equal(-92.5, rows[1].Values["reward"]);
            Assert.Equal(new DateTime(2020, 3, 24, 18, 12, 39, 750, DateTimeKind.Utc), rows[1].Timestamp);
            Assert.Contains(_warnings, w => w.Contains("1 line that are not JSON objects"));
        }

        [Fact]
        public void ALegacyHistoryInFilesIsWhatTheListingCountsAndTheReaderReturns()
        {
            string wandb = _samples.Scratch("legacy-files/wandb");
            string rows = string.Concat(Enumerable.Range(0, 4).Select(i =>
                "{\"reward\": " + (i - 90) + ", \"_step\": " + i + ", \"_runtime\": " + (i * 10) + ", \"_timestamp\": " + ((Start - DateTime.UnixEpoch).TotalSeconds + i * 10) + "}\n"));
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "legacy03",
                FolderTime = Start,
                Era = RunEra.Legacy,
                ExtraFiles = new Dictionary<string, string> { ["files/wandb-history.jsonl"] = rows },
            });

            WandbRun run = Run(wandb, "legacy03");
            List<HistoryRow> read = History(wandb, "legacy03");
            Assert.Equal(4, run.HistoryCount);
            Assert.Equal(run.HistoryCount, read.Count);
            Assert.Equal(read[3].Timestamp, run.HeartbeatAt);
            Assert.Empty(_warnings);
        }

        [Fact]
        public void ALogCutOffInsideItsLastChunkGivesItsRowsWithoutAWarning()
        {
            string wandb = _samples.Scratch("cutoff/wandb");
            string folder = WriteRun(wandb, "cutoff02", LogBuilder.History(0, Start, 1), LogBuilder.History(1, Start, 2));
            string log = Path.Combine(folder, RunFolderWriter.LogFileName("cutoff02"));
            byte[] bytes = File.ReadAllBytes(log);
            File.WriteAllBytes(log, bytes.Take(bytes.Length - 5).ToArray());

            Assert.Equal(new[] { 0L }, History(wandb, "cutoff02").Select(r => r.Step));
            Assert.Empty(_warnings);
        }

        [Fact]
        public void DamageInEveryFolderOfAResumedRunIsOneWarning()
        {
            string wandb = _samples.Scratch("lossy/wandb");
            foreach (DateTime start in new[] { Start, Start.AddHours(1) })
            {
                RunFolderWriter.Write(wandb, new RunFolderSpec
                {
                    RunId = "lossy002",
                    FolderTime = start,
                    Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = "lossy002", Project = "p", StartTime = start, Resumed = start != Start }) },
                    AppendToLog = w =>
                    {
                        w.WriteChunk(WandbLogWriter.Full, LogBuilder.History(0, start, 10), corruptCrc: true);
                        w.PadToBlockEnd();
                        w.WriteRecord(LogBuilder.History(1, start, 20));
                    },
                });
            }

            WandbRun run = Run(wandb, "lossy002");
            _warnings.Clear();
            Assert.Equal(2, Source(wandb).History.Read(run, new HistoryQuery(), CancellationToken.None).Count());
            string warning = Assert.Single(_warnings);
            Assert.StartsWith("Run 'lossy002': ", warning);
        }

        [Fact]
        public void ARunObjectWithoutFoldersIsFoundAgainUnderItsPath()
        {
            var rebuilt = new WandbRun { Id = "fin0001a", Path = _samples.Wandb };
            Assert.Equal(10, Source(_samples.Wandb).History.Read(rebuilt, new HistoryQuery(), CancellationToken.None).Count());

            var nowhere = new WandbRun { Id = "mem00001" };
            WandbException error = Assert.Throws<WandbException>(() => Source(_samples.Wandb).History.Read(nowhere, new HistoryQuery(), CancellationToken.None).ToList());
            Assert.Equal(WandbErrorKind.RunNotFound, error.Kind);
        }

        [Fact]
        public void CancellationStopsTheRead()
        {
            WandbRun run = Run(_samples.Wandb, "fin0001a");
            using var cancel = new CancellationTokenSource();
            using IEnumerator<HistoryRow> rows = Source(_samples.Wandb).History.Read(run, new HistoryQuery(), cancel.Token).GetEnumerator();
            Assert.True(rows.MoveNext());
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => rows.MoveNext());
        }

        [RealFixtureFact]
        public void Sdk0_12_15CrashedRunHas862RowsOfKeyItems()
        {
            string folder = RepoPaths.RealFixture("sdk-0.12.15-online", "wandb", "run-20220429_201936-3ojed7lz");
            List<HistoryRow> rows = Source(folder).History.Read(Run(folder, "3ojed7lz"), new HistoryQuery(), CancellationToken.None).ToList();
            Assert.Equal(862, rows.Count);
            Assert.Equal(Enumerable.Range(0, 862).Select(i => (long)i), rows.Select(r => r.Step));
            Assert.All(rows, r => Assert.Equal(r.Step, r.Values["_step"]));
            Assert.All(rows, r => Assert.True(r.Values.ContainsKey("Training/loss") || r.Values.ContainsKey("Validation/accuracy")));
            Assert.Equal(new DateTime(2022, 4, 29, 20, 19, 57, DateTimeKind.Utc), rows[861].Timestamp);
            Assert.Equal(21.0, rows[861].Runtime);
            Assert.Equal(1.6868462562561035, rows[861].Values["Training/loss"]);

            // Step 0 logged only the validation keys: a key filter keeps only the steps that logged a key it names.
            List<HistoryRow> training = Source(folder).History.Read(Run(folder, "3ojed7lz"), new HistoryQuery { Keys = new[] { "Training/*" } }, CancellationToken.None).ToList();
            Assert.Equal(861, training.Count);
            Assert.Equal(1L, training[0].Step);
            Assert.Equal(new[] { "_timestamp", "_runtime", "Training/step", "Training/loss", "Training/accuracy", "_step" }, training[860].Values.Keys);
        }

        [RealFixtureFact]
        public void Sdk0_21_0RunHasNineRowsOfNestedKeyItems()
        {
            string folder = RepoPaths.RealFixture("sdk-0.21.0-offline", "wandb", "offline-run-20250818_154253-01tt2qoy");
            List<HistoryRow> rows = History(folder, "01tt2qoy");
            Assert.Equal(Enumerable.Range(0, 9).Select(i => (long)i), rows.Select(r => r.Step));
            Assert.Equal(82.93121762607396, rows[0].Values["A2C/mean_reward"]);
            Assert.Equal(80.864758875, rows[8].Runtime);
            Assert.Equal(1755528254.3081112, (double)rows[8].Values["_timestamp"]!);
            Assert.Equal(1, rows[8].Values["PPO/mean_safety_achievement_time"] is long l ? l : -1);
        }

        [RealFixtureFact]
        public void Sdk0_8_30LegacyFolderHas501Rows()
        {
            string wandb = RepoPaths.RealFixture("sdk-0.8.30-legacy", "wandb");
            List<HistoryRow> rows = History(wandb, "zp6vyhqw");
            Assert.Equal(501, rows.Count);
            Assert.Equal(500L, rows[500].Step);
            Assert.Equal(-93.46717386850273, rows[500].Values["Episode reward"]);
            Assert.Equal(DateTimeKind.Utc, rows[0].Timestamp!.Value.Kind);
        }

        [RealFixtureFact]
        public void EveryRealRunHasAsManyRowsAsItsHistoryCount()
        {
            foreach (string set in Directory.GetDirectories(RepoPaths.RealFixtures))
            {
                var sets = Source(set);
                foreach (WandbRun run in sets.GetRuns(new RunSelector(null, null), new RunListOptions(), e => { }, CancellationToken.None))
                {
                    List<HistoryRow> rows = sets.History.Read(run, new HistoryQuery(), CancellationToken.None).ToList();
                    Assert.True(run.HistoryCount == rows.Count, run.Id + ": " + rows.Count + " rows, HistoryCount " + run.HistoryCount);
                    Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First.Step < p.Second.Step), run.Id + ": steps in order");
                }
            }
        }

        private const int LogChunkSize = 32768;

        private static string WriteRun(string wandb, string id, params byte[][] history) =>
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = id,
                FolderTime = Start,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = id, Project = "p", StartTime = Start }) }.Concat(history).ToArray(),
            });
    }
}
