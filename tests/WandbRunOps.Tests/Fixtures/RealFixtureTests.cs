using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Values;
using Xunit;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.Fixtures
{
    /// <summary>
    /// Every real run folder written by the wandb SDK (0.10.20 to 0.22.1) read by the module and checked against
    /// the facts an independent decoder (tests/oracle, Python standard library only) found in the same bytes.
    /// </summary>
    public class RealFixtureTests
    {
        private static readonly Lazy<JsonElement[]> Expectations = new Lazy<JsonElement[]>(() =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "real-fixture-expectations.json")))
                .RootElement.EnumerateArray().ToArray());

        public static IEnumerable<object[]> Folders() => Expectations.Value.Select(e => new object[] { e.GetProperty("folder").GetString()! });

        private static (WandbRun Run, List<string> Warnings) ReadOne(string folder)
        {
            var warnings = new List<string>();
            var errors = new List<WandbException>();
            var source = new LocalRunSource(new[] { RepoPaths.RealFixture(folder) }, new ReadDiagnostics(warnings.Add, null));
            List<WandbRun> runs = source.GetRuns(new RunSelector(null, null), new RunListOptions(), errors.Add, CancellationToken.None).ToList();
            Assert.Empty(errors);
            return (Assert.Single(runs), warnings);
        }

        [RealFixtureTheory]
        [MemberData(nameof(Folders))]
        public void RunMatchesTheOracle(string folder)
        {
            JsonElement expected = Expectations.Value.Single(e => e.GetProperty("folder").GetString() == folder);
            var (run, warnings) = ReadOne(folder);

            Assert.Equal(expected.GetProperty("id").GetString(), run.Id);
            Assert.Equal(Text(expected, "project"), run.Project);
            Assert.Equal(Text(expected, "entity"), run.Entity);
            Assert.Equal(Text(expected, "name"), run.Name);
            Assert.Equal(Text(expected, "group"), run.Group);
            Assert.Equal(Text(expected, "jobType"), run.JobType);
            Assert.Equal(Text(expected, "host"), run.Host);
            Assert.Equal(Text(expected, "sdk"), run.SdkVersion);
            Assert.Equal(expected.GetProperty("state").GetString(), run.State.ToString());
            Assert.Equal(Int(expected, "exitCode"), run.ExitCode);
            Assert.Equal(expected.GetProperty("historyCount").GetInt64(), run.HistoryCount);
            Assert.Equal(Number(expected, "reportedSeconds"), run.ReportedSeconds);

            Assert.Equal(DateTimeKind.Utc, run.CreatedAt.Kind);
            Assert.Equal(Time(expected, "createdAt"), run.CreatedAt, TimeSpan.FromTicks(10));
            Assert.Equal(Time(expected, "heartbeatAt"), run.HeartbeatAt, TimeSpan.FromTicks(10));

            AssertSameValues(expected.GetProperty("config"), WithoutInternal(run.Config), "config");
            AssertSameValues(expected.GetProperty("summary"), run.Summary, "summary");

            var logged = run.LocalDetails!.LoggedArtifacts;
            Assert.Equal(expected.GetProperty("logged").GetArrayLength(), logged.Count);
            foreach (var (want, got) in expected.GetProperty("logged").EnumerateArray().Zip(logged))
            {
                Assert.Equal(want.GetProperty("name").GetString(), got.Name);
                Assert.Equal(want.GetProperty("type").GetString(), got.Type);
                Assert.Equal(want.GetProperty("digest").GetString(), got.Digest);
                Assert.Equal(want.GetProperty("size").GetInt64(), got.Size);
                Assert.Equal(want.GetProperty("fileCount").GetInt32(), got.FileCount);
                Assert.Equal(want.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()), got.Aliases);
                Assert.Null(got.Version);
                Assert.Equal(ArtifactDirection.Logged, got.Direction);
            }

            var used = run.LocalDetails.UsedArtifacts;
            Assert.Equal(expected.GetProperty("used").GetArrayLength(), used.Count);
            foreach (var (want, got) in expected.GetProperty("used").EnumerateArray().Zip(used))
            {
                Assert.Equal(want.GetProperty("id").GetString(), got.Id);
                Assert.Equal(want.GetProperty("type").GetString(), got.Type);
                Assert.Equal(want.GetProperty("name").GetString(), got.Reference);
            }

            // Every damaged fixture is a log cut off inside its last chunk (a crash): the LogDamage property, no warning.
            bool damaged = expected.GetProperty("damaged").GetBoolean();
            Assert.Equal(damaged, run.LogDamage is not null);
            Assert.True(run.LogDamage is null || run.LogDamage.StartsWith("cut off at offset ", StringComparison.Ordinal), run.LogDamage);
            Assert.Empty(warnings);
        }

        [RealFixtureFact]
        public void UsedArtifactByAliasKeepsTheAliasAndNoVersion()
        {
            var (run, _) = ReadOne("sdk-0.22.1-online/wandb/run-20251001_160419-arwtvc9b");
            WandbArtifact used = Assert.Single(run.LocalDetails!.UsedArtifacts);
            Assert.Equal(("tfidf-reds", "tfidf-reds:latest", "QXJ0aWZhY3Q6MjA5NjY2NDQ3OQ==", "model"), (used.Name, used.Reference, used.Id, used.Type));
            Assert.Equal(new[] { "latest" }, used.Aliases);
            Assert.Null(used.Version);
        }

        [RealFixtureFact]
        public void LegacySdkFolderIsReadFromItsFiles()
        {
            var (run, _) = ReadOne("sdk-0.8.30-legacy/wandb/run-20200324_181151-zp6vyhqw");
            Assert.Equal(("zp6vyhqw", "pytorch-ac-mountaincarcont", (string?)null), (run.Id, run.Project, run.Entity));
            Assert.Equal(RunState.Failed, run.State);
            Assert.Equal(1, run.ExitCode);
            Assert.Equal(501, run.HistoryCount);
            Assert.Equal(617.03249335289, run.ReportedSeconds);
            Assert.Equal(new DateTime(2020, 3, 24, 18, 12, 26, 842, DateTimeKind.Utc).AddTicks(1010), run.CreatedAt);
            // wandb-metadata.json's heartbeatAt (18:22:08.869627), which comes before the history's last _timestamp.
            Assert.Equal(new DateTime(2020, 3, 24, 18, 22, 8, 869, DateTimeKind.Utc).AddTicks(6270), run.HeartbeatAt);
            Assert.Equal(new[] { "batch_size", "episodes", "gamma", "lr_ac", "lr_cr", "seed" }, WithoutInternal(run.Config).Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal(1e-06, run.Config["lr_cr"]);
            Assert.Equal(0.99, run.Config["gamma"]);
            Assert.Equal(50L, run.Config["batch_size"]);
            Assert.Equal("0.8.30", run.SdkVersion);
        }

        [RealFixtureFact]
        public void HeaderOnlyLogsHaveNoRuntimeAndAreCrashedWhateverTheirWriteTime()
        {
            using var temp = new TempDirectory();
            string copy = temp.CopyFrom(RepoPaths.RealFixture("sdk-0.22.1-online", "wandb", "run-20251001_155227-shxi3rh7"), "run-20251001_155227-shxi3rh7");
            DateTime created = DateTime.Parse("2025-10-01T06:52:27.235796Z", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            foreach (DateTime written in new[] { DateTime.UtcNow.AddMinutes(-1), new DateTime(2025, 10, 1, 7, 0, 0, DateTimeKind.Utc) })
            {
                File.SetLastWriteTimeUtc(Path.Combine(copy, "run-shxi3rh7.wandb"), written);
                var (run, warnings) = ReadOne(copy);
                Assert.Equal("shxi3rh7", run.Id);
                Assert.Equal(created, run.CreatedAt);
                Assert.Equal(created, run.HeartbeatAt);
                Assert.Equal(TimeSpan.Zero, run.Runtime);
                Assert.Null(run.ReportedSeconds);
                // Written a minute ago (a fresh copy) or long ago, a 2025 start with nothing after it is no live run.
                Assert.Equal(RunState.Crashed, run.State);
                Assert.Contains("only its 7-byte header", run.LogDamage);
                Assert.Empty(warnings);
                Assert.Equal(0, run.HistoryCount);
            }
        }

        [RealFixtureFact]
        public void TheFixturesListWithoutWarningsAndWithEvidenceTimesOnly()
        {
            var warnings = new List<string>();
            string[] roots = Directory.GetDirectories(RepoPaths.RealFixtures).Select(d => Path.Combine(d, "wandb")).ToArray();
            List<WandbRun> runs = new LocalRunSource(roots, new ReadDiagnostics(warnings.Add, null))
                .GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).ToList();
            Assert.Empty(warnings);
            // The longest real run is 17 minutes (arwtvc9b); the copies' write times (today) give none of these times.
            Assert.All(runs, r => Assert.InRange(r.Runtime, TimeSpan.Zero, TimeSpan.FromMinutes(18)));
            Assert.Equal(TimeSpan.FromSeconds(1020.644576), runs.Single(r => r.Id == "arwtvc9b").Runtime);
        }

        [RealFixtureFact]
        public void LatestRunLinksStandForTheRunTheyNameEvenAsTheTextFileGitChecksOut()
        {
            var (run, _) = ReadOne("sdk-0.12.15-online/wandb/latest-run");
            Assert.Equal("3ojed7lz", run.Id);
            Assert.Equal(RepoPaths.RealFixture("sdk-0.12.15-online/wandb/run-20220429_201936-3ojed7lz"), run.Path);
        }

        [RealFixtureFact]
        public void TheWholeFixtureTreeListsEveryRunOnceOldestFirst()
        {
            var errors = new List<WandbException>();
            string[] roots = Directory.GetDirectories(RepoPaths.RealFixtures).Select(d => Path.Combine(d, "wandb")).ToArray();
            var source = new LocalRunSource(roots, ReadDiagnostics.None);
            List<WandbRun> runs = source.GetRuns(new RunSelector(null, null), new RunListOptions(), errors.Add, CancellationToken.None).ToList();
            Assert.Empty(errors);
            Assert.Equal(44, runs.Count);
            Assert.Equal(44, runs.Select(r => r.Id).Distinct().Count());
            Assert.Equal("zp6vyhqw", runs[0].Id);
        }

        private static WandbMap WithoutInternal(WandbMap map)
        {
            var copy = new WandbMap();
            foreach (var pair in map.Where(p => !InternalKeys.IsInternal(p.Key)))
            {
                copy.Set(pair.Key, pair.Value);
            }

            return copy;
        }

        private static string? Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

        private static int? Int(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetInt32();

        private static double? Number(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();

        private static DateTime Time(JsonElement e, string name) =>
            DateTime.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        /// <summary>Strict: same keys in the same order, longs stay longs and doubles doubles, as the oracle decoded them.</summary>
        private static void AssertSameValues(JsonElement expected, object? actual, string path)
        {
            switch (expected.ValueKind)
            {
                case JsonValueKind.Object:
                    var map = Assert.IsType<WandbMap>(actual);
                    Assert.True(
                        expected.EnumerateObject().Select(p => p.Name).SequenceEqual(map.Keys),
                        path + ": keys " + string.Join(",", map.Keys) + " expected " + string.Join(",", expected.EnumerateObject().Select(p => p.Name)));
                    foreach (JsonProperty property in expected.EnumerateObject())
                    {
                        AssertSameValues(property.Value, map[property.Name], path + "." + property.Name);
                    }

                    break;
                case JsonValueKind.Array:
                    var array = Assert.IsType<ValueList<object?>>(actual);
                    Assert.Equal(expected.GetArrayLength(), array.Count);
                    int i = 0;
                    foreach (JsonElement item in expected.EnumerateArray())
                    {
                        AssertSameValues(item, array[i], path + "[" + i++ + "]");
                    }

                    break;
                case JsonValueKind.Number:
                    string raw = expected.GetRawText();
                    if (raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0)
                    {
                        Assert.True(actual is long, path + " should be a long, is " + actual?.GetType().Name);
                        Assert.Equal(expected.GetInt64(), (long)actual!);
                    }
                    else
                    {
                        Assert.True(actual is double, path + " should be a double, is " + actual?.GetType().Name);
                        Assert.Equal(expected.GetDouble(), (double)actual!);
                    }

                    break;
                case JsonValueKind.String:
                    Assert.Equal(expected.GetString(), actual);
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    Assert.Equal(expected.GetBoolean(), actual);
                    break;
                default:
                    Assert.Null(actual);
                    break;
            }
        }
    }
}
