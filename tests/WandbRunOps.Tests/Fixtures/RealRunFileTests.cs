using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Fixtures
{
    /// <summary>
    /// Every real run folder's files as the module lists them (names, sizes, MD5), against what tests/oracle/run_files_oracle.py
    /// (Python standard library, reading the same folders on its own) found: real-run-files.json.
    /// </summary>
    public class RealRunFileTests
    {
        private static readonly Lazy<JsonElement[]> Expectations = new Lazy<JsonElement[]>(() =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "real-run-files.json"))).RootElement.EnumerateArray().ToArray());

        public static IEnumerable<object[]> Sets() => Expectations.Value.Select(e => e.GetProperty("set").GetString()!).Distinct().Select(s => new object[] { s });

        [RealFixtureTheory]
        [MemberData(nameof(Sets))]
        public void FilesMatchTheOracle(string set)
        {
            var errors = new List<WandbException>();
            var source = new LocalRunSource(new[] { RepoPaths.RealFixture(set, "wandb") }, ReadDiagnostics.None);
            List<WandbRun> runs = source.GetRuns(new RunSelector(null, null), new RunListOptions(), errors.Add, CancellationToken.None).ToList();
            Assert.Empty(errors);
            JsonElement[] expected = Expectations.Value.Where(e => e.GetProperty("set").GetString() == set).ToArray();
            Assert.Equal(expected.Select(e => e.GetProperty("id").GetString()).OrderBy(i => i, StringComparer.Ordinal), runs.Select(r => r.Id).OrderBy(i => i, StringComparer.Ordinal));
            foreach (WandbRun run in runs)
            {
                string want = string.Join("\n", expected.Single(e => e.GetProperty("id").GetString() == run.Id).GetProperty("files").EnumerateArray()
                    .Select(f => f.GetProperty("name").GetString() + " " + f.GetProperty("size").GetInt64() + " " + f.GetProperty("md5").GetString()));
                string got = string.Join("\n", source.Files.List(run, FileNameFilter.All, CancellationToken.None).Select(f => f.Name + " " + f.Size + " " + f.Md5));
                Assert.True(want == got, run.Id + ":\nexpected\n" + want + "\ngot\n" + got);
            }
        }
    }
}
