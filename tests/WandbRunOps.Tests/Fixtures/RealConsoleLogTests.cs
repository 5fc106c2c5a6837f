using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Logs;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Fixtures
{
    /// <summary>
    /// The console lines of every real run folder (SDK 0.8.30 to 0.22.1) against an independent reading of the same
    /// bytes: tests/oracle/console_lines_oracle.py (its own framing decoder and its own folding), whose output is
    /// committed as real-console-expectations.json.
    /// </summary>
    public class RealConsoleLogTests
    {
        private static readonly Lazy<JsonElement[]> Expectations = new Lazy<JsonElement[]>(() =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "real-console-expectations.json")))
                .RootElement.EnumerateArray().ToArray());

        public static IEnumerable<object[]> Folders() => Expectations.Value.Select(e => new object[] { e.GetProperty("folder").GetString()! });

        private static (WandbRun Run, IRunSource Source) ReadOne(string folder, List<string> warnings)
        {
            var errors = new List<WandbException>();
            var source = new LocalRunSource(new[] { RepoPaths.RealFixture(folder) }, new ReadDiagnostics(warnings.Add, null));
            WandbRun run = Assert.Single(source.GetRuns(new RunSelector(null, null), new RunListOptions(), errors.Add, CancellationToken.None).ToList());
            Assert.Empty(errors);
            return (run, source);
        }

        private static string Canonical(ConsoleLine line) =>
            line.Number + "|" + line.Stream + "|" + (line.Timestamp?.ToString("yyyy-MM-ddTHH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty) + "|" + line.Text;

        [RealFixtureTheory]
        [MemberData(nameof(Folders))]
        public void LinesMatchTheOracle(string folder)
        {
            JsonElement expected = Expectations.Value.Single(e => e.GetProperty("folder").GetString() == folder);
            var warnings = new List<string>();
            var (run, source) = ReadOne(folder, warnings);
            Assert.Equal(expected.GetProperty("id").GetString(), run.Id);
            warnings.Clear();

            List<ConsoleLine> lines = source.Logs.Read(run, new LogQuery(), CancellationToken.None).ToList();
            Assert.Empty(warnings);
            Assert.Equal(expected.GetProperty("count").GetInt32(), lines.Count);
            string[] last = expected.GetProperty("last").EnumerateArray()
                .Select(l => l.GetProperty("number").GetInt64() + "|" + l.GetProperty("stream").GetString() + "|" + l.GetProperty("time").GetString() + "|" + l.GetProperty("line").GetString())
                .ToArray();
            Assert.Equal(last, lines.Skip(Math.Max(0, lines.Count - 20)).Select(Canonical));

            using var sha = SHA256.Create();
            byte[] all = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => Canonical(l) + "\n")));
            Assert.Equal(expected.GetProperty("sha256").GetString(), Convert.ToHexString(sha.ComputeHash(all)).ToLowerInvariant());

            // -Tail reads from the end and must give the same last lines (numbered when it reached back to the start).
            List<ConsoleLine> tail = source.Logs.Read(run, new LogQuery { Tail = 20 }, CancellationToken.None).ToList();
            Assert.Equal(last.Select(l => l.Substring(l.IndexOf('|'))), tail.Select(l => Canonical(l)).Select(l => l.Substring(l.IndexOf('|'))));
        }
    }
}
