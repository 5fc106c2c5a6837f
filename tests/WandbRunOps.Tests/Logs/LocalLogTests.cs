using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Logs;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Testing;
using Xunit;

namespace WandbRunOps.Tests.Logs
{
    /// <summary>Console lines of local run folders: full reads, -Tail from the end, -Wait on a growing log, damage.</summary>
    public class LocalLogTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "runlog-" + Guid.NewGuid().ToString("N"));
        private readonly List<string> _warnings = new List<string>();
        private readonly List<string> _verbose = new List<string>();

        private string Wandb => Path.Combine(_root, "wandb");

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, true);
            }
        }

        private LocalRunSource Source() => new LocalRunSource(new[] { Wandb }, new ReadDiagnostics(_warnings.Add, _verbose.Add));

        private WandbRun Run(string id) =>
            Source().GetRuns(new RunSelector(new[] { id }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();

        private List<ConsoleLine> Lines(string id, LogQuery? query = null, CancellationToken cancellation = default) =>
            Source().Logs.Read(Run(id), query ?? new LogQuery(), cancellation).ToList();

        private static string Text(IEnumerable<ConsoleLine> lines) =>
            string.Join("\n", lines.Select(l => l.Number + "|" + l.Stream + "|" + l.Text));

        /// <summary>A log of many blocks: progress bars redrawn across chunks, both streams, history records between.</summary>
        private void WriteBusyRun(string id, int steps, int seed)
        {
            var random = new Random(seed);
            using var writer = new ConsoleRunWriter(Wandb, id, DateTime.UtcNow.AddHours(-2));
            for (int step = 0; step < steps; step++)
            {
                writer.History(step);
                switch (random.Next(5))
                {
                    case 0: writer.Stdout("\r\u001b[32m" + step % 100 + "%\u001b[0m |" + new string('#', step % 40)); break;
                    case 1: writer.Stderr("warning " + step + "\n"); break;
                    case 2: writer.Stdout("step " + step + " loss=" + random.NextDouble() + "\n"); break;
                    case 3: writer.Stdout("part " + step); writer.Stdout(" rest\n"); break;
                    default: writer.Stdout(new string('z', random.Next(1, 3000)) + "\r\n"); break;
                }
            }

            writer.Stdout("no line feed at the end");
            writer.Exit();
        }

        [Fact]
        public void TailGivesTheLastLinesOfAFullReadReadingOnlyTheEnd()
        {
            WriteBusyRun("busy0001", 4000, 7);
            List<ConsoleLine> all = Lines("busy0001");
            Assert.True(all.Count > 1000);
            Assert.True(new FileInfo(Run("busy0001").Folders[0] + "/run-busy0001.wandb").Length > 8 * 32768);
            foreach (int tail in new[] { 1, 2, 7, 50, 333 })
            {
                List<ConsoleLine> last = Lines("busy0001", new LogQuery { Tail = tail });
                Assert.Equal(
                    string.Join("\n", all.Skip(all.Count - tail).Select(l => l.Stream + "|" + l.Text)),
                    string.Join("\n", last.Select(l => l.Stream + "|" + l.Text)));
                Assert.All(last, l => Assert.Null(l.Number));
            }

            // Numbers are known when the tail reached back to the log's start.
            List<ConsoleLine> everything = Lines("busy0001", new LogQuery { Tail = all.Count + 5 });
            Assert.Equal(Text(all), Text(everything));
            Assert.Contains(_verbose, v => v.Contains("Read the last 32") || v.Contains("Read the last"));
        }

        [Fact]
        public void OldLineRecordsAndRawChunksReadAlike()
        {
            using (var writer = new ConsoleRunWriter(Wandb, "old00001", DateTime.UtcNow.AddHours(-1)))
            {
                writer.Line("Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: boom\n", stderr: true);
                writer.Line("plain\n");

                // An OutputRecord holds whole lines: without a final line feed it still ends its line.
                writer.Line("epoch 1");
                writer.Line("epoch 2");
                writer.Exit(1);
            }

            Assert.Equal("1|stderr|Traceback (most recent call last):\n2|stderr|  File \"x.py\", line 1\n3|stderr|ValueError: boom\n4|stdout|plain\n5|stdout|epoch 1\n6|stdout|epoch 2", Text(Lines("old00001")));
        }

        [Fact]
        public void ATenMegabyteLineSpreadOverManyBlocksIsOneLineInFullAndInTail()
        {
            string big = new string('x', 10 * 1024 * 1024);
            using (var writer = new ConsoleRunWriter(Wandb, "big00001", DateTime.UtcNow.AddHours(-1)))
            {
                writer.Stdout("before\n");
                writer.Stdout(big);
                writer.Stdout("\nafter\n");
                writer.Exit();
            }

            Assert.Equal(new[] { 6, big.Length, 5 }, Lines("big00001").Select(l => l.Text.Length));
            Assert.Equal(new[] { big.Length, 5 }, Lines("big00001", new LogQuery { Tail = 2 }).Select(l => l.Text.Length));
        }

        [Fact]
        public void InvalidUtf8BecomesReplacementCharacters()
        {
            using (var writer = new ConsoleRunWriter(Wandb, "utf80001", DateTime.UtcNow.AddHours(-1)))
            {
                writer.Chunk(false, new byte[] { (byte)'o', (byte)'k', 0xFF, 0xC3, (byte)'\n' });
                writer.Exit();
            }

            Assert.Equal("ok\uFFFD\uFFFD", Lines("utf80001").Single().Text);
        }

        [Fact]
        public void ALogCutMidRecordGivesTheLinesBeforeTheCutAndOnlyAVerboseNote()
        {
            using (var writer = new ConsoleRunWriter(Wandb, "cut00001", DateTime.UtcNow.AddHours(-1)))
            {
                writer.Stdout("one\ntwo\n");
                writer.PartialChunk("three\n", 12);
            }

            Assert.Equal("1|stdout|one\n2|stdout|two", Text(Lines("cut00001")));
            Assert.Equal("1|stdout|one\n2|stdout|two", Text(Lines("cut00001", new LogQuery { Tail = 5 })));
            Assert.Empty(_warnings);
            Assert.Contains(_verbose, v => v.Contains("cut off"));
        }

        [Fact]
        public void DamageBeforeTheEndIsOneWarningPerRunAndTheOtherLinesStillCome()
        {
            string log;
            using (var writer = new ConsoleRunWriter(Wandb, "dmg00001", DateTime.UtcNow.AddHours(-1)))
            {
                log = writer.LogPath;
                writer.Stdout("before\n");
                writer.Stdout("damaged\n");
                writer.Stdout("after\n");
                writer.Exit();
            }

            byte[] bytes = File.ReadAllBytes(log);
            int at = IndexOf(bytes, Encoding.UTF8.GetBytes("damaged"));
            bytes[at] ^= 0xFF;
            File.WriteAllBytes(log, bytes);

            // The damaged chunk loses the rest of its block: a small log is one block, so only the lines before it stay.
            WandbRun run = Run("dmg00001");
            _warnings.Clear();
            Assert.Equal("1|stdout|before", Text(Source().Logs.Read(run, new LogQuery(), CancellationToken.None)));
            Assert.Single(_warnings);
            Assert.Contains("dmg00001", _warnings[0]);
            Assert.Contains("damaged before its end", _warnings[0]);
        }

        [Fact]
        public async System.Threading.Tasks.Task WaitFollowsAGrowingLogUntilItsExitRecord()
        {
            using var writer = new ConsoleRunWriter(Wandb, "live0001", DateTime.UtcNow);
            writer.Stdout("starting\n");
            writer.Stdout("open ");
            var watch = Stopwatch.StartNew();
            System.Threading.Tasks.Task writing = writer.WriteSlowly(new[] { "line\n", "\r10%", "\r100%\n", "tail" }, 150);
            List<ConsoleLine> lines = Lines("live0001", new LogQuery { Wait = true, PollInterval = TimeSpan.FromMilliseconds(50) });
            await writing;
            Assert.Equal("1|stdout|starting\n2|stdout|open line\n3|stdout|100%\n4|stdout|tail", Text(lines));
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(600), "returned before the run ended: " + watch.Elapsed);
        }

        [Fact]
        public async System.Threading.Tasks.Task WaitWithTailFollowsFromTheTail()
        {
            using var writer = new ConsoleRunWriter(Wandb, "live0002", DateTime.UtcNow);
            for (int i = 1; i <= 20; i++)
            {
                writer.Stdout("old " + i + "\n");
            }

            System.Threading.Tasks.Task writing = writer.WriteSlowly(new[] { "new 1\n", "new 2\n" }, 100);
            List<ConsoleLine> lines = Lines("live0002", new LogQuery { Wait = true, Tail = 2, PollInterval = TimeSpan.FromMilliseconds(50) });
            await writing;
            Assert.Equal(new[] { "old 19", "old 20", "new 1", "new 2" }, lines.Select(l => l.Text));
            Assert.Equal(new long?[] { 19, 20, 21, 22 }, lines.Select(l => l.Number));
        }

        [Fact]
        public void CancellingAWaitReturnsAtOnce()
        {
            using var writer = new ConsoleRunWriter(Wandb, "live0003", DateTime.UtcNow);
            writer.Stdout("waiting\n");
            using var stop = new CancellationTokenSource();
            var seen = new List<string>();
            var watch = new Stopwatch();
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (ConsoleLine line in Source().Logs.Read(Run("live0003"), new LogQuery { Wait = true, PollInterval = TimeSpan.FromSeconds(30) }, stop.Token))
                {
                    seen.Add(line.Text);
                    watch.Start();
                    stop.Cancel();
                }
            });
            Assert.Equal(new[] { "waiting" }, seen);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), "the wait went on for " + watch.Elapsed);
        }

        [Fact]
        public void ALogDeletedWhileFollowedIsAnErrorForTheRun()
        {
            var writer = new ConsoleRunWriter(Wandb, "live0004", DateTime.UtcNow);
            writer.Stdout("here\n");
            string log = writer.LogPath;
            var lines = new List<string>();
            WandbException error = Assert.Throws<WandbException>(() =>
            {
                foreach (ConsoleLine line in Source().Logs.Read(Run("live0004"), new LogQuery { Wait = true, PollInterval = TimeSpan.FromMilliseconds(50) }, CancellationToken.None))
                {
                    lines.Add(line.Text);
                    writer.Dispose();
                    File.Delete(log);
                }
            });
            Assert.Equal(WandbErrorKind.RunNotFound, error.Kind);
            Assert.Equal(new[] { "here" }, lines);
        }

        [Fact]
        public void OutputLogIsReadWhenTheLogHasNoConsoleRecordsAndItsTailIsReadBackwards()
        {
            string folder;
            using (var writer = new ConsoleRunWriter(Wandb, "olog0001", DateTime.UtcNow.AddHours(-1)))
            {
                folder = writer.FolderPath;
                writer.Exit();
            }

            var text = new StringBuilder();
            for (int i = 1; i <= 50000; i++)
            {
                text.Append("line ").Append(i).Append(i % 7 == 0 ? "\r\n" : "\n");
            }

            text.Append("bar 10%\rbar 100%");
            File.WriteAllText(Path.Combine(folder, "files", "output.log"), text.ToString());
            List<ConsoleLine> all = Lines("olog0001");
            Assert.Equal(50001, all.Count);
            Assert.Equal("bar 100%", all[^1].Text);
            Assert.Null(all[^1].Stream);
            Assert.Null(all[^1].Timestamp);
            List<ConsoleLine> tail = Lines("olog0001", new LogQuery { Tail = 3 });
            Assert.Equal(new[] { "line 49999", "line 50000", "bar 100%" }, tail.Select(l => l.Text));
            Assert.All(tail, l => Assert.Null(l.Number));
            Assert.Equal(Text(all), Text(Lines("olog0001", new LogQuery { Tail = 60000 })));
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                {
                    return i;
                }
            }

            throw new InvalidOperationException("not found");
        }
    }
}
