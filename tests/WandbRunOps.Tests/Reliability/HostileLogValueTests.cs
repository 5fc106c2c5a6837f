using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Fuzz;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Local.Log;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>Records whose framing is sound but whose contents are hostile: the bugs the mutation harness led to.</summary>
    public class HostileLogValueTests : IDisposable
    {
        private static readonly DateTime Start = SyntheticLogs.Start;
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly List<string> _warnings = new List<string>();

        public void Dispose() => _temp.Dispose();

        private static string[] DeepPath(int depth) => Enumerable.Range(0, depth).Select(i => "k" + i).ToArray();

        [Fact]
        public void AKeyPathDeeperThanJsonMayNestIsDamageAndTheOtherRecordsAreRead()
        {
            // A path thousands of keys deep made every walk over the run's maps cost its depth squared: Get-RunConfig
            // -Flatten on a 100,000-key path (a 1 MB log) exhausted memory.
            byte[] log = LogBuilder.Bytes(new[]
            {
                Records.Header("0.22.1"),
                Records.Run(new RunSpec { RunId = "deep0001", StartTime = Start }),
                Records.Config(new[] { Item.ByPath(DeepPath(257), "1") }, Array.Empty<Item>()),
                Records.Config(new[] { Item.ByPath(DeepPath(256), "2"), Item.ByKey("lr", "0.5") }, Array.Empty<Item>()),
                LogBuilder.History(0, Start, 1.0, ("loss", "0.5")),
                Records.History(1, new[] { Item.ByPath(DeepPath(5_000), "3") }),
                LogBuilder.History(2, Start, 2.0, ("loss", "0.25")),
            });
            string path = _temp.Combine("run-deep0001.wandb");
            File.WriteAllBytes(path, log);

            RunLog run;
            using (FileStream stream = File.OpenRead(path))
            {
                run = RunLogReader.Read(stream, path);
            }

            Assert.Equal(0.5, run.Config["lr"]);
            // Listing a wandb-core log decodes only its last history row, so the deep row costs nothing here.
            Assert.Equal("a key path deeper than 256 levels", Between(Assert.Single(run.Damage).Description, "(", ")"));
            Assert.Equal(255, Depth(run.Config["k0"]));

            var source = new LocalRunSource(new[] { path }, new ReadDiagnostics(_warnings.Add, null));
            WandbRun read = Assert.Single(source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None));
            _warnings.Clear();
            Assert.Equal(new long[] { 0, 2 }, source.History.Read(read, new HistoryQuery(), CancellationToken.None).Select(r => r.Step));
            Assert.Contains("a key path deeper than 256 levels", Assert.Single(_warnings), StringComparison.Ordinal);
        }

        [Fact]
        public void AWandbCoreLogWhoseLastHistoryRowIsGarbageIsReadWithAWarning()
        {
            // wandb-core logs only count history rows while listing and decode the last one at the end; that decode
            // ran outside the per-record error handling, so one bad row made the whole run (and Get-WandbRun) fail.
            // The bad row is not counted (Get-RunHistory skips it too): the run has one row.
            string wandb = _temp.Combine("wandb");
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "lastbad1",
                FolderTime = Start,
                Records = new[]
                {
                    Records.Header("0.22.1"),
                    Records.Run(new RunSpec { RunId = "lastbad1", StartTime = Start, Config = new[] { Item.ByPath(new[] { "lr" }, "0.5") } }),
                    LogBuilder.History(0, Start, 1.0, ("loss", "0.5")),
                    Records.Raw(Records.HistoryField, new byte[] { 0x0A, 0x7F, 0x01 }),
                },
            });

            using var ps = new ModuleRunspace();
            ScriptResult result = ps.Run("$run = Get-WandbRun -Path $args[0] -WarningVariable wv -WarningAction SilentlyContinue; $run.Id; $run.Config.lr; $run.HistoryCount; [string]$wv", wandb);

            Assert.Equal(new object[] { "lastbad1", 0.5, 1L }, result.ThrowOnError().Output.Take(3).Select(o => o.BaseObject));
            Assert.Contains("the last history record could not be decoded", (string)result.Output[3].BaseObject, StringComparison.Ordinal);
        }

        private static int Depth(object? value) => value is Values.WandbMap map ? 1 + Depth(map.Values.Single()) : 0;

        private static string Between(string text, string open, string close)
        {
            int start = text.IndexOf(open, StringComparison.Ordinal) + 1;
            return text.Substring(start, text.LastIndexOf(close, StringComparison.Ordinal) - start);
        }
    }
}
