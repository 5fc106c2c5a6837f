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
using WandbRunOps.Sources;
using WandbRunOps.SystemMetrics;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Fixtures
{
    /// <summary>
    /// The system metrics and metadata of every real run folder (SDK 0.8.30 to 0.22.1), checked against what an
    /// independent reading of the same bytes gives (tests/oracle/make_inside_expectations.py, Python standard library
    /// only; its output is Fixtures/real-inside-expectations.json).
    /// </summary>
    public class RealInsideTests
    {
        private static readonly Lazy<JsonElement[]> Expectations = new Lazy<JsonElement[]>(() =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "real-inside-expectations.json")))
                .RootElement.EnumerateArray().ToArray());

        public static IEnumerable<object[]> Folders() => Expectations.Value.Select(e => new object[] { e.GetProperty("folder").GetString()! });

        private static (LocalRunSource Source, WandbRun Run, List<string> Warnings) ReadOne(string folder)
        {
            var warnings = new List<string>();
            var errors = new List<WandbException>();
            var source = new LocalRunSource(new[] { RepoPaths.RealFixture(folder) }, new ReadDiagnostics(warnings.Add, null));
            List<WandbRun> runs = source.GetRuns(new RunSelector(null, null), new RunListOptions(), errors.Add, CancellationToken.None).ToList();
            Assert.Empty(errors);
            return (source, Assert.Single(runs), warnings);
        }

        private static JsonElement Expected(string folder) => Expectations.Value.Single(e => e.GetProperty("folder").GetString() == folder);

        [RealFixtureTheory]
        [MemberData(nameof(Folders))]
        public void SystemMetricsMatchTheOracle(string folder)
        {
            JsonElement expected = Expected(folder);
            var (source, run, warnings) = ReadOne(folder);
            warnings.Clear();

            List<SystemMetricRow> rows = source.SystemMetrics.Read(run, new SystemMetricQuery(), CancellationToken.None).ToList();

            JsonElement[] want = expected.GetProperty("rows").EnumerateArray().ToArray();
            Assert.Equal(want.Length, rows.Count);
            for (int i = 0; i < want.Length; i++)
            {
                JsonElement w = want[i];
                SystemMetricRow row = rows[i];
                if (expected.GetProperty("legacy").GetBoolean())
                {
                    Assert.Equal(DateTime.UnixEpoch.AddSeconds(w.GetProperty("epoch").GetDouble()), row.Timestamp!.Value, TimeSpan.FromMilliseconds(1));
                }
                else
                {
                    DateTime at = DateTime.UnixEpoch.AddSeconds(w.GetProperty("seconds").GetInt64()).AddTicks(w.GetProperty("nanos").GetInt64() / 100);
                    Assert.Equal(at, row.Timestamp);
                }

                if (w.GetProperty("runtime").ValueKind == JsonValueKind.Null)
                {
                    Assert.Null(row.Runtime);
                }
                else
                {
                    Assert.Equal(w.GetProperty("runtime").GetDouble(), row.Runtime!.Value, 5);
                }

                JsonProperty[] values = w.GetProperty("values").EnumerateObject().ToArray();
                Assert.Equal(values.Select(v => v.Name), row.Values.Keys);
                foreach (JsonProperty value in values)
                {
                    AssertSameValue(value.Value, row.Values[value.Name], folder + " row " + i + " " + value.Name);
                }
            }

            Assert.DoesNotContain(expected.GetProperty("rows").EnumerateArray(), r => r.TryGetProperty("unparsed", out _));
            Assert.Empty(warnings);
        }

        [RealFixtureTheory]
        [MemberData(nameof(Folders))]
        public void MetadataMatchesTheOracle(string folder)
        {
            JsonElement expected = Expected(folder).GetProperty("metadata");
            var (source, run, _) = ReadOne(folder);

            RunMetadata metadata = source.Metadata.Read(run, CancellationToken.None);

            if (expected.ValueKind == JsonValueKind.Null)
            {
                Assert.True(metadata.IsEmpty, folder + " records no metadata");
                return;
            }

            Assert.Equal(Text(expected, "program"), metadata.Program);
            Assert.Equal(expected.GetProperty("args").EnumerateArray().Select(a => a.GetString()), metadata.Args);
            Assert.Equal(Text(expected, "gitRemote"), metadata.GitRemote);
            Assert.Equal(Text(expected, "gitCommit"), metadata.GitCommit);
            Assert.Equal(Text(expected, "os"), metadata.Os);
            Assert.Equal(Text(expected, "python"), metadata.Python);
            Assert.Equal(Text(expected, "host"), metadata.Host);
            Assert.Equal(Text(expected, "executable"), metadata.Executable);
            Assert.Equal(Int(expected, "cpuCount"), metadata.CpuCount);
            Assert.Equal(Int(expected, "gpuCount"), metadata.GpuCount);
            Assert.Equal(Text(expected, "gpu"), metadata.Gpu);
            string? started = Text(expected, "startedAt");
            Assert.Equal(
                started is null ? null : DateTime.Parse(started, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                metadata.StartedAt);
        }

        [RealFixtureFact]
        public void TheEraOfEachSourceIsAsTheProtocolNotesSay()
        {
            // Stats records from 0.10 on; current offline runs describe their start only in the log's environment record.
            JsonElement[] all = Expectations.Value;
            Assert.Contains(all, e => e.GetProperty("folder").GetString()!.StartsWith("sdk-0.10.20", StringComparison.Ordinal) && e.GetProperty("rows").GetArrayLength() > 0);
            Assert.All(
                all.Where(e => e.GetProperty("folder").GetString()!.StartsWith("sdk-0.21.0-offline", StringComparison.Ordinal)),
                e => Assert.Equal("environment", e.GetProperty("metadata").GetProperty("startedAtSource").GetString()));
        }

        private static void AssertSameValue(JsonElement expected, object? actual, string what)
        {
            switch (expected.ValueKind)
            {
                case JsonValueKind.Number when expected.TryGetInt64(out long whole) && !expected.GetRawText().Contains('.') && !expected.GetRawText().Contains('e'):
                    Assert.True(actual is long, what + " is an integer");
                    Assert.Equal(whole, (long)actual!);
                    break;
                case JsonValueKind.Number:
                    Assert.True(actual is double, what + " is a double");
                    Assert.Equal(expected.GetDouble(), (double)actual!);
                    break;
                case JsonValueKind.String when expected.GetString() is "NaN" or "Infinity" or "-Infinity" && actual is double real:
                    Assert.Equal(expected.GetString() == "NaN" ? double.NaN : expected.GetString() == "Infinity" ? double.PositiveInfinity : double.NegativeInfinity, real);
                    break;
                case JsonValueKind.String:
                    Assert.Equal(expected.GetString(), actual);
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    Assert.Equal(expected.GetBoolean(), actual);
                    break;
                case JsonValueKind.Null:
                    Assert.Null(actual);
                    break;
                default:
                    Assert.Fail(what + ": a list value, which no fixture's stats hold (" + expected.GetRawText() + ")");
                    break;
            }
        }

        private static string? Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

        private static int? Int(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetInt32();
    }
}
