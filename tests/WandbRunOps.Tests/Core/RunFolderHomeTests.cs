using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Sources;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>
    /// Run folders known in one place (issue 14 point 3): <see cref="RunFolder"/> answers where each file of a run is,
    /// <see cref="RunFolderScanner.Refind"/> finds a run again for every later read, and the listing's HistoryCount is
    /// the number of rows Get-RunHistory gives, because both read the same located file by the same rule.
    /// </summary>
    public sealed class RunFolderHomeTests : IDisposable
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

        private readonly TempDirectory _temp = new TempDirectory();
        private readonly List<string> _warnings = new List<string>();

        public void Dispose() => _temp.Dispose();

        private LocalRunSource Source(string path) => new LocalRunSource(new[] { path }, new ReadDiagnostics(_warnings.Add, null));

        private WandbRun Run(string path, string id) =>
            Source(path).GetRuns(new RunSelector(new[] { id }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();

        private List<HistoryRow> Rows(string path, WandbRun run) =>
            Source(path).History.Read(run, new HistoryQuery(), CancellationToken.None).ToList();

        private static byte[] Step(long step, double loss) => LogBuilder.History(step, Start, step * 10.0, ("loss", JsonText.Number(loss)));

        private string WriteRun(string wandb, string id, string sdk, DateTime folderTime, params byte[][] history) =>
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = id,
                FolderTime = folderTime,
                Records = new[] { Records.Header(sdk), Records.Run(new RunSpec { RunId = id, Project = "p", StartTime = folderTime, Resumed = folderTime != Start }) }.Concat(history).ToArray(),
            });

        [Fact]
        public void AFolderAnswersWhereEachOfItsFilesIs()
        {
            string wandb = _temp.Combine("wandb");
            string folder = WriteRun(wandb, "where001", "0.22.1", Start, Step(0, 1));
            RunFolder current = RunFolderScanner.Scan(new[] { wandb }, e => throw e).Single().Folders.Single();
            string files = Path.Combine(folder, "files");
            Directory.CreateDirectory(files);

            Assert.Equal(Path.Combine(folder, "run-where001.wandb"), current.LogPath);
            Assert.Equal(current.LogPath, current.ExpectedLogPath);
            Assert.Equal(files, current.FilesPath);
            Assert.Equal(Path.Combine(files, "output.log"), current.OutputLogPath);
            Assert.Equal(Path.Combine(files, "wandb-metadata.json"), current.MetadataPath);
            Assert.Equal(Path.Combine(files, "config.yaml"), current.ConfigPath);
            Assert.Equal(Path.Combine(files, "wandb-summary.json"), current.SummaryPath);
            Assert.Equal(Path.Combine(files, "requirements.txt"), current.RequirementsPath);
            Assert.Equal(Path.Combine(files, "diff.patch"), current.DiffPath);
            Assert.Equal(Path.Combine(files, "media", "images", "a.png"), current.FilePath("media/images/a.png"));

            // A legacy (≤0.9) folder has no files/: its files are in the run folder itself.
            string legacy = RunFolderWriter.Write(_temp.Combine("legacy", "wandb"), new RunFolderSpec
            {
                RunId = "legacy01",
                FolderTime = Start,
                Era = RunEra.Legacy,
                MetadataFile = new JsonMap { { "state", "finished" } },
            });
            RunFolder old = RunFolder.At(legacy, "legacy01");
            Assert.Null(old.LogPath);
            Assert.Equal(legacy, old.FilesPath);
            Assert.Equal(Path.Combine(legacy, "output.log"), old.OutputLogPath);
            Assert.Equal(new[] { Path.Combine(legacy, "wandb-history.jsonl"), Path.Combine(legacy, "files", "wandb-history.jsonl") }, old.LegacyHistoryPlaces);
        }

        [Fact]
        public void ALegacyRunsHistoryCountAndRowsComeFromTheSameLocatedFile()
        {
            // Beside the run files (where SDK 0.9 wrote it) and a longer copy in files/: both the count and the rows
            // come from the first; a line that is not a JSON object is a row in neither.
            string wandb = _temp.Combine("legacy-two", "wandb");
            string folder = Path.Combine(wandb, "run-20200324_181151-legacy02");
            Directory.CreateDirectory(Path.Combine(folder, "files"));
            File.WriteAllLines(Path.Combine(folder, "wandb-history.jsonl"), new[] { "{\"_step\": 0, \"reward\": 1}", "not json", "{\"reward\": 2}" });
            File.WriteAllLines(Path.Combine(folder, "files", "wandb-history.jsonl"), Enumerable.Range(0, 10).Select(i => "{\"_step\": " + i + "}"));
            File.WriteAllText(Path.Combine(folder, "wandb-metadata.json"), "{\"state\": \"finished\", \"exitcode\": 0}");

            WandbRun run = Run(wandb, "legacy02");
            List<HistoryRow> rows = Rows(wandb, run);

            Assert.Equal(new object?[] { 1L, 2L }, rows.Select(r => r.Values["reward"]));
            Assert.Equal(new long[] { 0, 2 }, rows.Select(r => r.Step));
            Assert.Equal(rows.Count, run.HistoryCount);

            // Only in files/ (a copy or sync): the same file for both, found in the one place that knows where it may be.
            File.Delete(Path.Combine(folder, "wandb-history.jsonl"));
            run = Run(wandb, "legacy02");
            Assert.Equal(10, run.HistoryCount);
            Assert.Equal(10, Rows(wandb, run).Count);
        }

        [Theory]
        [InlineData("0.22.1")]
        [InlineData("0.12.15")]
        public void RecordsWhoseStepGoesBackAreNoMoreCountedThanOutput(string sdk)
        {
            // A block written twice: its records come again with their steps and record numbers. The Python-era listing
            // decodes every record (HistoryStepOrder on the steps); wandb-core's steps over history records and tells the
            // repeats by their record numbers, which it writes from 1 upwards (the real 0.21/0.22 logs do). A 40 KB row
            // spans blocks.
            string big = "\"" + new string('x', 40_000) + "\"";
            byte[] Row(long step, long num, string loss) =>
                Records.History(step, new[] { Item.ByPath(new[] { "_step" }, step.ToString(System.Globalization.CultureInfo.InvariantCulture)), Item.ByPath(new[] { "loss" }, loss) }, num);
            string wandb = _temp.Combine("repeats-" + sdk, "wandb");
            WriteRun(
                wandb, "repeat01", sdk, Start,
                Row(0, 3, "1"), Row(1, 4, big), Row(2, 5, "3"),
                Row(1, 4, big), Row(2, 5, "3"),
                Row(3, 6, "4"));

            WandbRun run = Run(wandb, "repeat01");
            List<HistoryRow> rows = Rows(wandb, run);

            Assert.Equal(new long[] { 0, 1, 2, 3 }, rows.Select(r => r.Step));
            Assert.Equal(4, run.HistoryCount);
            Assert.Contains(_warnings, w => w.Contains("repeats 2 history records", StringComparison.Ordinal));
        }

        [Fact]
        public void AResumedRunWhoseSecondFolderRepeatsStepsCountsWhatGetRunHistoryGives()
        {
            // Each folder of a resumed run is its own log: a resume that starts again below the last step (an offline
            // resume starts at 0) is not damage, and its rows are output; the count agrees with them.
            string wandb = _temp.Combine("resumed", "wandb");
            WriteRun(wandb, "resume01", "0.22.1", Start, Step(0, 1), Step(1, 2), Step(2, 3), Step(3, 4));
            WriteRun(wandb, "resume01", "0.22.1", Start.AddHours(1), Step(2, 5), Step(3, 6), Step(4, 7));

            WandbRun run = Run(wandb, "resume01");
            List<HistoryRow> rows = Rows(wandb, run);

            Assert.Equal(2, run.Folders.Length);
            Assert.Equal(new long[] { 0, 1, 2, 3, 2, 3, 4 }, rows.Select(r => r.Step));
            Assert.Equal(rows.Count, run.HistoryCount);
            Assert.Empty(_warnings);
        }

        [Fact]
        public void ARunIsFoundAgainTheSameWayForItsHistoryAndItsArtifacts()
        {
            string wandb = _temp.Combine("refind", "wandb");
            byte[] artifact = Records.Artifact(new ArtifactSpec { RunId = "refind01", Project = "p", Type = "model", Name = "weights", Digest = "abc" });
            WriteRun(wandb, "refind01", "0.22.1", Start, Step(0, 1), Step(1, 2));
            WriteRun(wandb, "refind01", "0.22.1", Start.AddHours(1), Step(2, 3), artifact);

            // A run object rebuilt from its id and path (no folders, no details): found again under its path.
            var rebuilt = new WandbRun { Id = "refind01", Source = RunSource.Local, Path = wandb };
            RunFolderGroup group = RunFolderScanner.Refind(rebuilt, "history");
            Assert.Equal(2, group.Folders.Count);
            Assert.Equal(new long[] { 0, 1, 2 }, Rows(wandb, rebuilt).Select(r => r.Step));
            Assert.Equal("weights", Assert.Single(Source(wandb).Artifacts.Read(rebuilt, ArtifactDirection.Logged, CancellationToken.None)).Name);

            // Gone: the same errors for both reads.
            var gone = new WandbRun { Id = "gone0001", Source = RunSource.Local, Path = wandb };
            Assert.Equal(WandbErrorKind.RunNotFound, Assert.Throws<WandbException>(() => Rows(wandb, gone)).Kind);
            Assert.Equal(WandbErrorKind.RunNotFound, Assert.Throws<WandbException>(() => Source(wandb).Artifacts.Read(gone, ArtifactDirection.Logged, CancellationToken.None)).Kind);
            var nowhere = new WandbRun { Id = "refind01", Source = RunSource.Local };
            Assert.Contains("its artifacts", Assert.Throws<WandbException>(() => Source(wandb).Artifacts.Read(nowhere, ArtifactDirection.Logged, CancellationToken.None)).Message, StringComparison.Ordinal);
            Assert.Contains("its history", Assert.Throws<WandbException>(() => Rows(wandb, nowhere)).Message, StringComparison.Ordinal);

            // A folder the run object names that is gone is said, for either read.
            WandbRun read = Run(wandb, "refind01");
            Directory.Delete(read.Folders[1], recursive: true);
            WandbException missing = Assert.Throws<WandbException>(() => RunFolderScanner.Refind(read, "history"));
            Assert.Equal(WandbErrorKind.PathNotFound, missing.Kind);
            Assert.Equal(read.Folders[1], missing.Target);
        }
    }
}
