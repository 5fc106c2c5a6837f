using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.SystemMetrics;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Inside
{
    /// <summary>System metrics read from run folders: the log's stats records and a legacy events file.</summary>
    public class LocalSystemMetricTests : IDisposable
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

        private readonly SampleRuns _samples = new SampleRuns();
        private readonly List<string> _warnings = new List<string>();

        public void Dispose() => _samples.Dispose();

        private LocalRunSource Source(string path) => new LocalRunSource(new[] { path }, new ReadDiagnostics(_warnings.Add, null));

        private WandbRun Run(string path, string id) =>
            Source(path).GetRuns(new RunSelector(new[] { id }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();

        private List<SystemMetricRow> Metrics(string path, string id, SystemMetricQuery? query = null) =>
            Source(path).SystemMetrics.Read(Run(path, id), query ?? new SystemMetricQuery(), CancellationToken.None).ToList();

        private static byte[] Stats(DateTime at, params (string Key, string Json)[] items) => Records.Stats(at, items);

        private string WriteRun(string id, params byte[][] stats)
        {
            string wandb = _samples.Scratch(id + "/wandb");
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = id,
                FolderTime = Start,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = id, Project = "p", StartTime = Start }) }.Concat(stats).ToArray(),
            });
            return wandb;
        }

        [Fact]
        public void ASampleRunsStatsRecordIsARowNamedAsOverTheApi()
        {
            WandbRun run = Run(_samples.Wandb, "fin0001a");
            SystemMetricRow row = Assert.Single(Metrics(_samples.Wandb, "fin0001a"));
            Assert.Equal(new[] { "system.cpu", "system.memory_percent", "system.gpu.0.gpu" }, row.Values.Keys);
            Assert.Equal(41.25, row.Values["system.memory_percent"]);
            Assert.Equal(DateTimeKind.Utc, row.Timestamp!.Value.Kind);
            Assert.Equal((row.Timestamp.Value - run.CreatedAt).TotalSeconds, row.Runtime!.Value, 6);
            Assert.Empty(_warnings);
        }

        [Fact]
        public void AResumedRunsSamplesComeFromBothFoldersInOrder()
        {
            List<SystemMetricRow> rows = Metrics(_samples.Wandb, "resu007g");
            Assert.Equal(2, rows.Count);
            Assert.True(rows[0].Timestamp < rows[1].Timestamp);
        }

        [Fact]
        public void AValueThatIsNotJsonIsLeftOutOfItsRowWithOneWarningPerRun()
        {
            string wandb = WriteRun(
                "badjson1",
                Stats(Start.AddSeconds(10), ("cpu", "12.5"), ("gpu.0.gpu", "not json{"), ("memory", "40")),
                Stats(Start.AddSeconds(20), ("cpu", "13.5"), ("gpu.0.gpu", "NaN-ish"), ("memory", "41")),
                Stats(Start.AddSeconds(30), ("cpu", "14.5"), ("gpu.0.gpu", "NaN"), ("memory", "42")));

            List<SystemMetricRow> rows = Metrics(wandb, "badjson1");

            Assert.Equal(3, rows.Count);
            Assert.Equal(new[] { "system.cpu", "system.memory" }, rows[0].Values.Keys);
            Assert.Equal(12.5, rows[0].Values["system.cpu"]);
            Assert.True(double.IsNaN((double)rows[2].Values["system.gpu.0.gpu"]!));
            string warning = Assert.Single(_warnings);
            Assert.StartsWith("Run 'badjson1': 2 system metric values are not JSON ('system.gpu.0.gpu')", warning);
        }

        [Fact]
        public void AnObjectValueIsOneMetricPerLeafAndAKeyThatHasThePrefixKeepsIt()
        {
            string wandb = WriteRun("nested01", Stats(Start.AddSeconds(5), ("network", "{\"sent\": 10, \"recv\": 20}"), ("system.powerWatts", "3.5"), ("disk./.usageGB", "1.5")));

            SystemMetricRow row = Assert.Single(Metrics(wandb, "nested01"));

            Assert.Equal(new[] { "system.network.sent", "system.network.recv", "system.powerWatts", "system.disk./.usageGB" }, row.Values.Keys);
            Assert.Equal(10L, row.Values["system.network.sent"]);
            Assert.Equal(5.0, row.Runtime);
            Assert.Equal(Start.AddSeconds(5), row.Timestamp);
        }

        [Fact]
        public void KeysTakeWildcardsAndASampleWithoutAWantedMetricIsNoRow()
        {
            string wandb = WriteRun(
                "keys0001",
                Stats(Start.AddSeconds(1), ("cpu", "1"), ("gpu.0.gpu", "50"), ("gpu.0.memoryAllocated", "20")),
                Stats(Start.AddSeconds(2), ("cpu", "2")),
                Stats(Start.AddSeconds(3), ("cpu", "3"), ("gpu.0.gpu", "60"), ("gpu.0.memoryAllocated", "30")));

            List<SystemMetricRow> rows = Metrics(wandb, "keys0001", new SystemMetricQuery { Keys = new[] { "system.gpu.*.memoryAllocated" } });

            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.Equal(new[] { "system.gpu.0.memoryAllocated" }, r.Values.Keys));
            Assert.Equal(30L, rows[1].Values["system.gpu.0.memoryAllocated"]);
        }

        [Fact]
        public void SamplesKeepsTheFirstAndLastSpreadEvenly()
        {
            byte[][] stats = Enumerable.Range(0, 9).Select(i => Stats(Start.AddSeconds(i), ("cpu", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
            string wandb = WriteRun("samples1", stats);

            List<SystemMetricRow> rows = Metrics(wandb, "samples1", new SystemMetricQuery { Samples = 3 });

            Assert.Equal(new object?[] { 0L, 4L, 8L }, rows.Select(r => r.Values["system.cpu"]));
        }

        [Fact]
        public void ALogCutOffInItsLastRecordGivesEveryCompleteSampleWithoutAWarning()
        {
            string wandb = WriteRun("cutlog01", Stats(Start.AddSeconds(1), ("cpu", "1")), Stats(Start.AddSeconds(2), ("cpu", "2")));
            string log = Directory.GetFiles(wandb, "*.wandb", SearchOption.AllDirectories).Single();
            byte[] bytes = File.ReadAllBytes(log);
            File.WriteAllBytes(log, bytes.Take(bytes.Length - 5).ToArray());

            List<SystemMetricRow> rows = Metrics(wandb, "cutlog01");

            Assert.Equal(new object?[] { 1L }, rows.Select(r => r.Values["system.cpu"]));
            Assert.Empty(_warnings);
        }

        [Fact]
        public void DamageBeforeTheEndOfTheLogIsOneWarningAndEveryOtherSampleIsRead()
        {
            string wandb = _samples.Scratch("lossy/wandb");
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "lossy003",
                FolderTime = Start,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = "lossy003", Project = "p", StartTime = Start }), Stats(Start.AddSeconds(1), ("cpu", "1")) },
                AppendToLog = w =>
                {
                    w.WriteChunk(WandbLogWriter.Full, Stats(Start.AddSeconds(2), ("cpu", "2")), corruptCrc: true);
                    w.PadToBlockEnd();
                    w.WriteRecord(Stats(Start.AddSeconds(3), ("cpu", "3")));
                },
            });

            WandbRun run = Run(wandb, "lossy003");
            _warnings.Clear();
            List<SystemMetricRow> rows = Source(wandb).SystemMetrics.Read(run, new SystemMetricQuery(), CancellationToken.None).ToList();

            Assert.Equal(new object?[] { 1L, 3L }, rows.Select(r => r.Values["system.cpu"]));
            string warning = Assert.Single(_warnings);
            Assert.StartsWith("Run 'lossy003': the run log '", warning);
            Assert.EndsWith("Samples in the damaged parts are missing.", warning);
        }

        [Fact]
        public void ALegacyFolderIsReadFromItsEventsFile()
        {
            string wandb = _samples.Scratch("legacy/wandb");
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "legacy01",
                FolderTime = Start,
                Era = RunEra.Legacy,
                MetadataFile = MetadataShapes.Legacy(new MetadataInfo { StartedUtc = Start }, "finished", 0, "p"),
                ExtraFiles = new Dictionary<string, string>
                {
                    ["wandb-events.jsonl"] =
                        "{\"system.cpu\": 31.12, \"system.gpu.0.gpu\": 5, \"_wandb\": true, \"_timestamp\": 1585073575, \"_runtime\": 28}\n" +
                        "not a json line\n" +
                        "{\"system.cpu\": 24.89, \"_wandb\": true, \"_timestamp\": 1585073605, \"_runtime\": 58}\n",
                },
            });

            List<SystemMetricRow> rows = Metrics(wandb, "legacy01");

            Assert.Equal(2, rows.Count);
            Assert.Equal(new[] { "system.cpu", "system.gpu.0.gpu" }, rows[0].Values.Keys);
            Assert.Equal(28.0, rows[0].Runtime);
            Assert.Equal(new DateTime(2020, 3, 24, 18, 12, 55, DateTimeKind.Utc), rows[0].Timestamp);
            Assert.Contains(_warnings, w => w.Contains("1 line that are not JSON objects", StringComparison.Ordinal));
        }
    }
}
