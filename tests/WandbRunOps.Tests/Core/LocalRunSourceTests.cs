using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.Core
{
    /// <summary>Run folders to runs: discovery, merging resumed runs, state by clock, fallbacks to files/.</summary>
    public class LocalRunSourceTests : IDisposable
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly List<string> _warnings = new List<string>();
        private readonly List<string> _verbose = new List<string>();
        private readonly List<WandbException> _errors = new List<WandbException>();

        private string Wandb => _temp.Combine("wandb");

        public void Dispose() => _temp.Dispose();

        private List<WandbRun> Read(DateTime? now = null, RunSelector? selector = null, params string[] paths)
        {
            var source = new LocalRunSource(paths.Length == 0 ? new[] { Wandb } : paths, new ReadDiagnostics(_warnings.Add, _verbose.Add), () => now ?? Start.AddDays(1));
            return source.GetRuns(selector ?? new RunSelector(null, null), new RunListOptions(), _errors.Add, CancellationToken.None).ToList();
        }

        private static byte[] RunRecord(string id, DateTime start, bool resumed = false, params Item[] config) => Records.Run(new RunSpec
        {
            RunId = id,
            Project = "p",
            DisplayName = "name-" + id,
            StartTime = start,
            Resumed = resumed,
            Config = config,
        });

        private string WriteRun(string id, DateTime start, params byte[][] records) => RunFolderWriter.Write(Wandb, new RunFolderSpec
        {
            RunId = id,
            FolderTime = start,
            Records = new[] { Records.Header("0.22.1"), RunRecord(id, start) }.Concat(records).ToArray(),
            LogLastWriteUtc = start.AddMinutes(1),
        });

        [Fact]
        public void ResumedFoldersMergeIntoOneRunWithTheNewestValuesWinning()
        {
            RunFolderWriter.Write(Wandb, new RunFolderSpec
            {
                RunId = "resumed1",
                FolderTime = Start,
                Records = new[]
                {
                    Records.Header("0.22.1"),
                    RunRecord("resumed1", Start, false, Item.ByKey("epochs", "5"), Item.ByKey("lr", "0.1")),
                    LogBuilder.History(0, Start, 60, ("acc", "0.5")),
                    Records.Summary(new[] { Item.ByPath(new[] { "acc" }, "0.5"), Item.ByPath(new[] { "first_only" }, "1") }, Array.Empty<Item>()),
                },
            });
            DateTime second = Start.AddHours(2);
            RunFolderWriter.Write(Wandb, new RunFolderSpec
            {
                RunId = "resumed1",
                FolderTime = second,
                Records = new[]
                {
                    Records.Header("0.22.1"),
                    RunRecord("resumed1", second, true, Item.ByKey("epochs", "10")),
                    LogBuilder.History(1, second, 30, ("acc", "0.9")),
                    Records.Summary(new[] { Item.ByPath(new[] { "acc" }, "0.9") }, Array.Empty<Item>()),
                    Records.Exit(0, 30),
                },
            });
            WriteRun("other123", Start.AddHours(1), Records.Exit(1, 5));

            List<WandbRun> runs = Read();
            Assert.Equal(new[] { "resumed1", "other123" }, runs.Select(r => r.Id));
            WandbRun merged = runs[0];
            Assert.Equal(2, merged.Folders.Length);
            Assert.EndsWith("resumed1", merged.Path);
            Assert.Equal(Start, merged.CreatedAt);
            Assert.Equal(second.AddSeconds(30), merged.HeartbeatAt);
            Assert.Equal(RunState.Finished, merged.State);
            Assert.Equal(10L, merged.Config["epochs"]);
            Assert.Equal(0.1, merged.Config["lr"]);
            Assert.Equal(0.9, merged.Summary["acc"]);
            Assert.Equal(1L, merged.Summary["first_only"]);
            Assert.Equal(2, merged.HistoryCount);
            Assert.Equal(RunState.Failed, runs[1].State);
            Assert.Equal(1, runs[1].ExitCode);
        }

        [Fact]
        public void ARunFolderPathBringsItsResumedSiblings()
        {
            string first = WriteRun("resumed2", Start);
            WriteRun("resumed2", Start.AddHours(1), Records.Exit(0, 5));
            WriteRun("unrelat1", Start);
            WandbRun run = Assert.Single(Read(paths: first));
            Assert.Equal(2, run.Folders.Length);
        }

        [Fact]
        public void ASingleLogPathIsReadAlone()
        {
            string first = WriteRun("resumed3", Start);
            WriteRun("resumed3", Start.AddHours(1), Records.Exit(0, 5));
            WandbRun run = Assert.Single(Read(paths: Path.Combine(first, "run-resumed3.wandb")));
            Assert.Single(run.Folders);
            Assert.Equal(RunState.Crashed, run.State);
        }

        [Fact]
        public void WithoutAnExitTheHeartbeatTellsRunningFromCrashed()
        {
            WriteRun("noexit01", Start, LogBuilder.History(0, Start, 100));
            DateTime heartbeat = Start.AddSeconds(100);
            Assert.Equal(RunState.Running, Read(now: heartbeat.AddMinutes(4)).Single().State);
            WandbRun crashed = Read(now: heartbeat.AddMinutes(6)).Single();
            Assert.Equal(RunState.Crashed, crashed.State);
            Assert.Equal(heartbeat, crashed.HeartbeatAt, TimeSpan.FromMilliseconds(1));
            Assert.Null(crashed.ExitCode);
            Assert.Equal(100d, crashed.ReportedSeconds);
        }

        [Fact]
        public void ALiveWriterQuietForUnderAnHourIsRunningAndOverAnHourCrashed()
        {
            string folder = WriteRun("quiet001", Start, LogBuilder.History(0, Start, 100));
            string log = Path.Combine(folder, "run-quiet001.wandb");
            DateTime heartbeat = Start.AddSeconds(100);

            File.SetLastWriteTimeUtc(log, heartbeat.AddMinutes(59));
            Assert.Equal(RunState.Running, Read(now: heartbeat.AddMinutes(60)).Single().State);

            File.SetLastWriteTimeUtc(log, heartbeat.AddMinutes(61));
            Assert.Equal(RunState.Crashed, Read(now: heartbeat.AddMinutes(62)).Single().State);
        }

        [Fact]
        public void APreemptingRecordMakesThePreemptingState()
        {
            WriteRun("preempt1", Start, Records.Preempting());
            Assert.Equal(RunState.Preempting, Read().Single().State);
        }

        [Fact]
        public void AHeaderOnlyLogIsListedQuietlyWithNoRuntimeAndTheMetadataStart()
        {
            string folder = RunFolderWriter.Write(Wandb, new RunFolderSpec
            {
                RunId = "hdronly1",
                FolderTime = Start,
                Records = Array.Empty<byte[]>(),
                MetadataFile = MetadataShapes.CoreEra(new MetadataInfo { StartedUtc = Start.AddSeconds(2) }),
                LogLastWriteUtc = Start.AddMinutes(1),
            });
            WandbRun run = Read().Single();
            Assert.Equal("hdronly1", run.Id);
            Assert.Equal(Start.AddSeconds(2), run.CreatedAt);
            // No record proves any time after the start: the write time a minute later is not a heartbeat.
            Assert.Equal(run.CreatedAt, run.HeartbeatAt);
            Assert.Equal(TimeSpan.Zero, run.Runtime);
            Assert.Null(run.ReportedSeconds);
            Assert.Equal(RunState.Crashed, run.State);
            Assert.Contains("only its 7-byte header", run.LogDamage);
            Assert.Empty(_warnings);
            Assert.Contains(_verbose, v => v.Contains("only its 7-byte header") && v.Contains(folder));
        }

        [Fact]
        public void AHeaderOnlyLogWithoutMetadataStartsAtItsFolderNameReadAsLocalTime()
        {
            DateTime created = DateTime.SpecifyKind(Start, DateTimeKind.Local).ToUniversalTime();
            string folder = RunFolderWriter.Write(Wandb, new RunFolderSpec { RunId = "hdronly2", FolderTime = Start, Records = Array.Empty<byte[]>(), LogLastWriteUtc = created.AddMinutes(1) });
            WandbRun run = Read(now: created.AddMinutes(2)).Single();
            Assert.Equal(created, run.CreatedAt);
            Assert.Equal(run.CreatedAt, run.HeartbeatAt);
            // Started two minutes ago, written one minute ago, no exit record: alive, though it recorded nothing yet.
            Assert.Equal(RunState.Running, run.State);

            // Written a minute ago again, but started three hours ago with nothing since: no writer is behind it.
            File.SetLastWriteTimeUtc(Path.Combine(folder, "run-hdronly2.wandb"), created.AddHours(3));
            Assert.Equal(RunState.Crashed, Read(now: created.AddHours(3).AddMinutes(1)).Single().State);
        }

        [Fact]
        public void NewWriteTimesOverOldRecordsChangeNeitherTimesNorState()
        {
            string folder = WriteRun("copied01", Start, LogBuilder.History(0, Start, 90));
            string finished = WriteRun("copied02", Start, LogBuilder.History(0, Start, 30), Records.Exit(0, 31));
            DateTime now = Start.AddDays(400);
            WandbRun[] before = Read(now: now).ToArray();

            // What a clone, copy or rsync does: every file written just now.
            foreach (string file in Directory.GetFiles(Wandb, "*", SearchOption.AllDirectories))
            {
                File.SetLastWriteTimeUtc(file, now.AddSeconds(-10));
            }

            WandbRun[] after = Read(now: now).ToArray();
            Assert.Equal(before.Select(r => (r.Id, r.CreatedAt, r.HeartbeatAt, r.Runtime, r.ReportedSeconds)), after.Select(r => (r.Id, r.CreatedAt, r.HeartbeatAt, r.Runtime, r.ReportedSeconds)));
            Assert.Equal(TimeSpan.FromSeconds(90), after[0].Runtime);
            Assert.Equal(TimeSpan.FromSeconds(31), after[1].Runtime);
            Assert.Equal((RunState.Crashed, RunState.Finished), (before[0].State, before[1].State));
            // The copy's write times are seconds old, its records 400 days: no writer is behind it.
            Assert.Equal((RunState.Crashed, RunState.Finished), (after[0].State, after[1].State));
        }

        [Fact]
        public void ALogCutOffInsideItsLastChunkIsVerboseTextAndTheLogDamagePropertyNotAWarning()
        {
            RunFolderWriter.Write(Wandb, new RunFolderSpec
            {
                RunId = "cutoff01",
                FolderTime = Start,
                Records = new[] { Records.Header("0.22.1"), RunRecord("cutoff01", Start), LogBuilder.History(0, Start, 60) },
                AppendToLog = w => w.WriteChunk(WandbLogWriter.First, LogBuilder.History(1, Start, 120)),
                LogLastWriteUtc = Start.AddMinutes(2),
            });
            WandbRun run = Read().Single();
            Assert.Empty(_warnings);
            Assert.StartsWith("cut off at offset ", run.LogDamage);
            Assert.Contains(_verbose, v => v.Contains("cut off at offset"));
            Assert.Equal(1, run.HistoryCount);
            Assert.Equal(TimeSpan.FromSeconds(60), run.Runtime);
        }

        [Fact]
        public void DamageThatLosesRecordsIsOneWarningPerRunAcrossItsResumedFolders()
        {
            foreach (DateTime start in new[] { Start, Start.AddHours(1) })
            {
                RunFolderWriter.Write(Wandb, new RunFolderSpec
                {
                    RunId = "lossy001",
                    FolderTime = start,
                    Records = new[] { Records.Header("0.22.1"), RunRecord("lossy001", start, resumed: start != Start) },
                    AppendToLog = w =>
                    {
                        // Listing steps over history records unchecked, so the damage is in a summary record.
                        w.WriteChunk(WandbLogWriter.Full, Records.Summary(new[] { Item.ByPath(new[] { "acc" }, "0.5") }, Array.Empty<Item>()), corruptCrc: true);
                        w.PadToBlockEnd();
                        w.WriteRecord(LogBuilder.History(1, start, 20));
                    },
                    LogLastWriteUtc = start.AddMinutes(1),
                });
            }

            WandbRun run = Read().Single();
            string warning = Assert.Single(_warnings);
            Assert.Contains("Run 'lossy001'", warning);
            Assert.Contains("checksum mismatch", warning);
            Assert.Contains("checksum mismatch", run.LogDamage);
            Assert.Equal(2, run.HistoryCount);
        }

        [Fact]
        public void AFolderWithoutALogIsReadFromItsFiles()
        {
            var config = new JsonMap { { "lr", 0.5 }, { "nested", new JsonMap { { "k", "v" } } } };
            var summary = new JsonMap { { "acc", 0.75 }, { "_wandb", new JsonMap { { "runtime", 42 } } } };
            RunFolderWriter.Write(Wandb, new RunFolderSpec
            {
                RunId = "nolog001",
                FolderTime = Start,
                Era = RunEra.Python,
                ConfigFile = config,
                SummaryFile = summary,
                MetadataFile = MetadataShapes.PythonEra(new MetadataInfo { StartedUtc = Start, HeartbeatUtc = Start.AddMinutes(7), Username = "zoe", Email = "z@x.org" }),
                LastWriteUtc = Start.AddMinutes(8),
            });
            WandbRun run = Read().Single();
            Assert.Equal(0.5, run.Config["lr"]);
            Assert.Equal("v", ((WandbMap)run.Config["nested"]!)["k"]);
            Assert.Equal(0.75, run.Summary["acc"]);
            Assert.Equal(42d, run.ReportedSeconds);
            Assert.Equal(("zoe", "z@x.org"), (run.Username, run.User!.Email));
            Assert.Equal(Start, run.CreatedAt);
            Assert.Equal(Start.AddMinutes(7), run.HeartbeatAt);
            Assert.Equal(RunState.Crashed, run.State);
        }

        [Fact]
        public void ACorruptLogFallsBackToFilesWithAWarning()
        {
            string folder = RunFolderWriter.Write(Wandb, new RunFolderSpec
            {
                RunId = "corrupt1",
                FolderTime = Start,
                ConfigFile = new JsonMap { { "lr", 0.25 } },
                LastWriteUtc = Start.AddMinutes(1),
            });
            File.WriteAllText(Path.Combine(folder, "run-corrupt1.wandb"), "this is not a log");
            WriteRun("goodrun1", Start.AddMinutes(5), Records.Exit(0, 1));

            List<WandbRun> runs = Read();
            Assert.Equal(new[] { "corrupt1", "goodrun1" }, runs.Select(r => r.Id));
            Assert.Equal(0.25, runs[0].Config["lr"]);
            Assert.Contains(_warnings, w => w.Contains("not a readable W&B run log") && w.Contains("files/ folder instead"));
            Assert.Empty(_errors);
        }

        [Fact]
        public void ARunWithNothingReadableIsAnErrorAndTheOthersStillArrive()
        {
            string folder = Path.Combine(Wandb, "run-20260301_100000-empty001");
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, "run-empty001.wandb"), new byte[] { 1, 2, 3 });
            WriteRun("goodrun2", Start.AddMinutes(5), Records.Exit(0, 1));

            Assert.Equal(new[] { "goodrun2" }, Read().Select(r => r.Id));
            WandbException error = Assert.Single(_errors);
            Assert.Equal(WandbErrorKind.LogDamaged, error.Kind);
            Assert.Equal(folder, error.Target);
        }

        [Fact]
        public void LegacyFoldersAreReadFromTheirFiles()
        {
            RunFolderWriter.Write(Wandb, new RunFolderSpec
            {
                RunId = "legacy01",
                FolderTime = Start,
                Era = RunEra.Legacy,
                ConfigFile = new JsonMap { { "gamma", 0.99 } },
                SummaryFile = new JsonMap { { "reward", -93.5 } },
                MetadataFile = MetadataShapes.Legacy(new MetadataInfo { StartedUtc = Start, HeartbeatUtc = Start.AddMinutes(10) }, "failed", 1, "legacy-project"),
                LegacyHistory = new[]
                {
                    new JsonMap { { "_step", 0 }, { "_runtime", 1.0 }, { "_timestamp", (Start.AddSeconds(1) - DateTime.UnixEpoch).TotalSeconds } },
                    new JsonMap { { "_step", 1 }, { "_runtime", 600.5 }, { "_timestamp", (Start.AddSeconds(600.5) - DateTime.UnixEpoch).TotalSeconds } },
                },
            });
            WandbRun run = Read().Single();
            Assert.Equal(("legacy01", "legacy-project", RunState.Failed, (int?)1), (run.Id, run.Project, run.State, run.ExitCode));
            Assert.Equal(0.99, run.Config["gamma"]);
            Assert.Equal(-93.5, run.Summary["reward"]);
            Assert.Equal(2, run.HistoryCount);
            Assert.Equal(600.5, run.ReportedSeconds);
            // wandb-metadata.json's heartbeatAt comes before the legacy history's times.
            Assert.Equal(Start.AddMinutes(10), run.HeartbeatAt);
        }

        [Fact]
        public void LegacyHistoryAndEventsInFilesAreFoundAndGiveTheHeartbeatWhenTheMetadataHasNone()
        {
            string Line(int step, double seconds) =>
                "{\"_step\": " + step + ", \"_runtime\": " + seconds + ", \"_timestamp\": " + (Start.AddSeconds(seconds) - DateTime.UnixEpoch).TotalSeconds + "}\n";
            string folder = RunFolderWriter.Write(Wandb, new RunFolderSpec
            {
                RunId = "legacy02",
                FolderTime = Start,
                Era = RunEra.Legacy,
                ExtraFiles = new Dictionary<string, string>
                {
                    ["files/wandb-history.jsonl"] = Line(0, 5) + Line(1, 300) + Line(2, 400),
                    ["files/wandb-events.jsonl"] = "{\"system.cpu\": 3.5, \"_timestamp\": " + (Start.AddSeconds(420) - DateTime.UnixEpoch).TotalSeconds + "}\n",
                },
                LastWriteUtc = Start.AddDays(30),
            });
            WandbRun run = Read().Single();
            Assert.Equal(folder, run.Path);
            Assert.Equal(3, run.HistoryCount);
            Assert.Equal(400d, run.ReportedSeconds);
            Assert.Equal(Start.AddSeconds(420), run.HeartbeatAt, TimeSpan.FromMilliseconds(1));
        }

        [Fact]
        public void IdsFilterBeforeReadingAndLiteralMissesAreRemembered()
        {
            WriteRun("aaaa0001", Start, Records.Exit(0, 1));
            WriteRun("bbbb0002", Start.AddMinutes(1), Records.Exit(0, 1));
            var selector = new RunSelector(new[] { "a*", "zzzz9999" }, null);
            Assert.Equal(new[] { "aaaa0001" }, Read(selector: selector).Select(r => r.Id));
            Assert.Equal(new[] { "zzzz9999" }, selector.UnmatchedLiterals);
        }

        [Fact]
        public void AMissingPathIsAPathNotFoundErrorAndAProjectFolderIsSearched()
        {
            WriteRun("cccc0003", Start, Records.Exit(0, 1));
            string missing = _temp.Combine("nope");
            Assert.Equal(new[] { "cccc0003" }, Read(paths: new[] { missing, _temp.Path }).Select(r => r.Id));
            WandbException error = Assert.Single(_errors);
            Assert.Equal(WandbErrorKind.PathNotFound, error.Kind);
            Assert.Equal(missing, error.Target);
        }

        [Fact]
        public void CancellationStopsAListing()
        {
            for (int i = 0; i < 3; i++)
            {
                WriteRun("dddd000" + i, Start.AddMinutes(i), Records.Exit(0, 1));
            }

            using var cancel = new CancellationTokenSource();
            var source = new LocalRunSource(new[] { Wandb }, ReadDiagnostics.None);
            using IEnumerator<WandbRun> runs = source.GetRuns(new RunSelector(null, null), new RunListOptions(), _errors.Add, cancel.Token).GetEnumerator();
            Assert.True(runs.MoveNext());
            cancel.Cancel();
            Assert.Throws<OperationCanceledException>(() => runs.MoveNext());
        }

        [Fact]
        public void ALargeRecordAndAHugeConfigValueReadWhole()
        {
            string big = new string('x', 200_000);
            WriteRun("bigrec01", Start, Records.Config(new[] { Item.ByKey("blob", JsonText.Quote(big)) }, Array.Empty<Item>()), Records.Exit(0, 1));
            Assert.Equal(big, Read().Single().Config["blob"]);
            Assert.Empty(_warnings);
        }
    }
}
