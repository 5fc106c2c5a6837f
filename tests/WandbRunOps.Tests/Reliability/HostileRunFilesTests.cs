using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Hostile files in a run folder's files/ set, read through the cmdlets: each one that cannot be read gives a
    /// warning (-WarningVariable) and the run's other data, and none crashes or hangs. The run has no log, so the
    /// files are its only source and what survives shows in the output.
    /// </summary>
    [Collection(CpuHeavyCollection.Name)]
    public class HostileRunFilesTests : IClassFixture<HostileRunFilesTests.Shell>
    {
        private const string Config = "config.yaml";
        private const string Summary = "wandb-summary.json";
        private const string Metadata = "wandb-metadata.json";
        private static readonly DateTime Start = new DateTime(2025, 6, 1, 8, 0, 0, DateTimeKind.Utc);

        /// <summary>Far above what reading any of these takes (the 20 MB file, a few seconds on a shared machine).</summary>
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

        private readonly Shell _shell;

        public HostileRunFilesTests(Shell shell) => _shell = shell;

        /// <summary>One runspace and scratch folder for all cases: each case writes its own wandb folder in it.</summary>
        public sealed class Shell : IDisposable
        {
            public TempDirectory Temp { get; } = new TempDirectory();

            public ModuleRunspace Ps { get; } = new ModuleRunspace();

            public void Dispose()
            {
                Ps.Dispose();
                Temp.Dispose();
            }
        }

        public static IEnumerable<object[]> UnreadableFiles()
        {
            foreach (string file in new[] { Config, Summary, Metadata })
            {
                yield return new object[] { file, "directory" };
                yield return new object[] { file, "deeply-nested" };
                yield return new object[] { file, "invalid" };
            }

            yield return new object[] { Config, "alias-bomb" };
            yield return new object[] { Summary, "truncated-20MB" };
            yield return new object[] { Summary, "empty" };

            // The SDK always writes "wandb_version: 1": an empty config.yaml is as unusable as an empty summary, and
            // reads like a fifo in its place (size 0), which must not pass without a word.
            yield return new object[] { Config, "empty" };
            yield return new object[] { Metadata, "not-an-object" };
        }

        [Theory]
        [MemberData(nameof(UnreadableFiles))]
        public void AnUnreadableFileGivesAWarningAndTheRestOfTheRun(string file, string hostile)
        {
            string wandb = WriteRun(file + "-" + hostile, file, hostile);

            ScriptResult result = Timed("$run = Get-WandbRun -Path $args[0] -WarningVariable wv -WarningAction SilentlyContinue; $run.Id; $wv.Count; [string]$wv[0]", wandb);
            result.ThrowOnError();
            Assert.Equal("files001", result.Output[0].BaseObject);
            Assert.Equal(1, result.Output[1].BaseObject);
            Assert.Contains(file, (string)result.Output[2].BaseObject, StringComparison.Ordinal);

            // What the other files hold is still there, through every cmdlet.
            PSObject config = Assert.Single(Timed("$run | Get-RunConfig -WarningAction SilentlyContinue").ThrowOnError().Output);
            PSObject summary = Assert.Single(Timed("$run | Get-RunSummary -WarningAction SilentlyContinue").ThrowOnError().Output);
            Assert.Equal(file == Config ? null : (object)0.5, config.Properties["lr"]?.Value);
            Assert.Equal(file == Summary ? null : (object)0.75, summary.Properties["acc"]?.Value);
            Assert.Equal(file == Metadata ? string.Empty : "zoe", Timed("[string]$run.Username").ThrowOnError().Output.Single().BaseObject);
        }

        [Fact]
        public void ValuesJsonAllowsAreReadWithoutAWarning()
        {
            // Python's json writes NaN and Infinity, keeps the last of duplicate keys, and a stray byte that is not UTF-8
            // is shown as U+FFFD (as ExtendedJson documents); a 6 MB summary is read whole.
            string wandb = WriteRun("tolerated", file: null, hostile: null);
            string files = Directory.GetDirectories(wandb).Single() + "/files/";
            var big = new StringBuilder("{\"acc\": 0.25, \"nan\": NaN, \"inf\": -Infinity, \"acc\": 0.75, \"curve\": [");
            big.Append(string.Join(",", Enumerable.Repeat("0.125", 1_000_000))).Append("]}");
            File.WriteAllText(files + Summary, big.ToString());
            File.WriteAllBytes(files + Metadata, Encoding.UTF8.GetBytes("{\"username\": \"zo").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("e\"}")).ToArray());
            File.Delete(files + Config);

            ScriptResult result = Timed("$run = Get-WandbRun -Path $args[0] -WarningVariable wv; $wv.Count; $run | Get-RunSummary | ForEach-Object { $_.acc; $_.nan; $_.inf; $_.curve.Count }; $run.Username; @($run | Get-RunConfig)[0].PSObject.Properties.Name -join ','", wandb);

            Assert.Equal(
                new object[] { 0, 0.75, double.NaN, double.NegativeInfinity, 1_000_000, "zo\uFFFDe", "RunId,RunName,RunProject,RunEntity,RunPath" },
                result.ThrowOnError().Output.Select(o => o.BaseObject));
            Assert.Empty(result.Warnings);
        }

        [Fact]
        public void ALegacyHistoryFileWithHostileLinesGivesItsGoodRowsAndAWarning()
        {
            string wandb = _shell.Temp.Combine("legacy-history", "wandb");
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "legacy01",
                FolderTime = Start,
                Era = RunEra.Legacy,
                MetadataFile = MetadataShapes.Legacy(new MetadataInfo { StartedUtc = Start, HeartbeatUtc = Start.AddMinutes(10) }, "finished", 0, "legacy-project"),
                LegacyHistory = new[] { new JsonMap { { "reward", -98.5 }, { "_step", 0 } } },
            });
            using (var history = new FileStream(Path.Combine(folder, "wandb-history.jsonl"), FileMode.Append))
            {
                byte[][] lines =
                {
                    Encoding.UTF8.GetBytes(new string('[', 100_000)),
                    Encoding.UTF8.GetBytes("{\"reward\": " + new string('9', 5_000_000)),
                    new byte[] { 0xFF, 0xFE, 0x00, 0x7B },
                    Encoding.UTF8.GetBytes("{\"reward\": NaN, \"_step\": 1}"),
                };
                foreach (byte[] line in lines)
                {
                    history.Write(line);
                    history.WriteByte((byte)'\n');
                }
            }

            ScriptResult result = Timed("Get-WandbRun -Path $args[0] | Get-RunHistory -WarningVariable wv | ForEach-Object { $_._step }; $wv.Count; [string]$wv[0]", wandb);

            Assert.Equal(new object[] { 0L, 1L, 1 }, result.ThrowOnError().Output.Take(3).Select(o => o.BaseObject));
            Assert.Contains("3 lines that are not JSON objects", (string)result.Output[3].BaseObject, StringComparison.Ordinal);
        }

        [Fact]
        public void ADirectoryNamedLikeTheRunLogGivesAWarningAndTheRunFromItsFiles()
        {
            string wandb = WriteRun("log-directory", null, null);
            string folder = Directory.GetDirectories(wandb).Single();
            Directory.CreateDirectory(Path.Combine(folder, "run-files001.wandb"));

            ScriptResult result = Timed("$run = Get-WandbRun -Path $args[0] -WarningVariable wv -WarningAction SilentlyContinue; $run.Id; $run.Config.lr; $wv.Count; [string]$wv", wandb);

            Assert.Equal(new object[] { "files001", 0.5, 1 }, result.ThrowOnError().Output.Take(3).Select(o => o.BaseObject));
            Assert.Contains("run-files001.wandb': it is a directory, not a file", (string)result.Output[3].BaseObject, StringComparison.Ordinal);
        }

        [Fact]
        public void GetRunHistoryWarnsWhenTheLegacyHistoryFileIsADirectory()
        {
            string wandb = _shell.Temp.Combine("legacy-history-directory", "wandb");
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "legacy02",
                FolderTime = Start,
                Era = RunEra.Legacy,
                MetadataFile = MetadataShapes.Legacy(new MetadataInfo { StartedUtc = Start, HeartbeatUtc = Start.AddMinutes(10) }, "finished", 0, "legacy-project"),
            });
            Directory.CreateDirectory(Path.Combine(folder, "wandb-history.jsonl"));

            ScriptResult result = Timed("$rows = @(Get-WandbRun -Path $args[0] -WarningAction SilentlyContinue | Get-RunHistory -WarningVariable wv -WarningAction SilentlyContinue); $rows.Count; $wv.Count; [string]$wv", wandb);

            Assert.Equal(new object[] { 0, 1 }, result.ThrowOnError().Output.Take(2).Select(o => o.BaseObject));
            Assert.Contains("wandb-history.jsonl': it is a directory, not a file", (string)result.Output[2].BaseObject, StringComparison.Ordinal);
        }

        private ScriptResult Timed(string script, params object[] args)
        {
            var clock = Stopwatch.StartNew();
            ScriptResult result = _shell.Ps.Run(script, args);
            Assert.True(clock.Elapsed < Bound, script + " took " + clock.Elapsed);
            return result;
        }

        /// <summary>A log-less run (config lr, summary acc, metadata username) with <paramref name="file"/> replaced by hostile content.</summary>
        private string WriteRun(string name, string? file, string? hostile)
        {
            string wandb = _shell.Temp.Combine(name, "wandb");
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "files001",
                FolderTime = Start,
                Era = RunEra.Python,
                ConfigFile = new JsonMap { { "lr", 0.5 } },
                SummaryFile = new JsonMap { { "acc", 0.75 } },
                MetadataFile = MetadataShapes.PythonEra(new MetadataInfo { StartedUtc = Start, HeartbeatUtc = Start.AddMinutes(7), Username = "zoe" }),
            });
            if (file is not null)
            {
                string path = Path.Combine(folder, "files", file);
                File.Delete(path);
                if (hostile == "directory")
                {
                    Directory.CreateDirectory(path);
                }
                else
                {
                    File.WriteAllBytes(path, Hostile(file, hostile!));
                }
            }

            return wandb;
        }

        private static byte[] Hostile(string file, string hostile)
        {
            bool yaml = file == Config;
            string text = hostile switch
            {
                "deeply-nested" => yaml ? "lr: " + new string('[', 100_000) + new string(']', 100_000) + "\n" : new string('[', 100_000) + new string(']', 100_000),
                "invalid" => yaml ? "lr: [1, 2\n  b: : {\n" : "{\"acc\": [1, 2",
                "alias-bomb" => AliasBomb(),
                "truncated-20MB" => "{\"acc\": 0.75, \"curve\": [" + string.Join(",", Enumerable.Repeat("0.125", 3_500_000)),
                "empty" => string.Empty,
                "not-an-object" => "[1, 2, 3]",
                _ => throw new ArgumentOutOfRangeException(nameof(hostile), hostile, null),
            };
            return Encoding.UTF8.GetBytes(text);
        }

        /// <summary>"Billion laughs": nine levels of ten aliases to the level below, 10^9 values from under 1 KB of text.</summary>
        private static string AliasBomb()
        {
            var text = new StringBuilder("l0: &l0 [\"lol\"]\n");
            for (int level = 1; level <= 9; level++)
            {
                text.Append("l" + level + ": &l" + level + " [" + string.Join(", ", Enumerable.Repeat("*l" + (level - 1), 10)) + "]\n");
            }

            return text.Append("lr: *l9\n").ToString();
        }
    }
}
