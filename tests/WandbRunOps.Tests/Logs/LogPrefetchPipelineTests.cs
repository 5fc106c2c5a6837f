using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using WandbRunOps.Local.Log;
using WandbRunOps.Model;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Logs
{
    /// <summary>
    /// Get-RunLog and Get-RunHistory over a log long enough to be read with more than one thread (Get-RunLog: the
    /// prefetch thread; Get-RunHistory: decode workers): every line and row as written, and no thread left running once
    /// the pipeline ends early (Select-Object -First), fails downstream, or is stopped.
    /// </summary>
    public sealed class LogPrefetchPipelineTests : IDisposable
    {
        private const int Steps = 25_000;
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly ModuleRunspace _ps = new ModuleRunspace();
        private readonly string _wandb;
        private readonly string _log;

        public LogPrefetchPipelineTests()
        {
            _wandb = _temp.Combine("wandb");
            using var writer = new ConsoleRunWriter(_wandb, "long0001", DateTime.UtcNow.AddHours(-2), flushEachRecord: false);
            for (int step = 0; step < Steps; step++)
            {
                writer.History(step);
                writer.Stdout("line " + step + " of the training run\n");
            }

            writer.Exit();
            _log = writer.LogPath;
            Assert.True(new System.IO.FileInfo(_log).Length > 2 * LogRecordPrefetch.Threshold, "the log is too short to be prefetched");
        }

        /// <summary>The read's threads on a log: the prefetch thread and the history decode workers.</summary>
        private static int ThreadsOn(string log) => LogRecordPrefetch.RunningOn(log) + ParallelRecordDecoding.RunningOn(log);

        public void Dispose()
        {
            _ps.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void EveryLineAndRowArrivesInOrder()
        {
            var lines = _ps.Run("Get-RunLog -Path $args[0]", _wandb).ThrowOnError().Of<WandbLogLine>();
            Assert.Equal(Enumerable.Range(0, Steps).Select(i => "line " + i + " of the training run"), lines.Select(l => l.Line));
            Assert.Equal(Enumerable.Range(1, Steps).Select(i => (long?)i), lines.Select(l => l.Number));

            var steps = _ps.Run("Get-RunHistory -Path $args[0] | ForEach-Object { $_._step }", _wandb).ThrowOnError().Objects;
            Assert.Equal(Enumerable.Range(0, Steps).Select(i => (long)i), steps.Select(Convert.ToInt64));
            Assert.Equal(0, ThreadsOn(_log));
        }

        [Fact]
        public void ALogStillBeingWrittenEndsAfterItsLastCompleteRecordAndReadsOnFromThere()
        {
            // The log as a live run leaves it: the last line's record and the exit record not all written yet.
            string wandb = _temp.Combine("live");
            string log;
            using (var writer = new ConsoleRunWriter(wandb, "live0001", DateTime.UtcNow.AddHours(-1), flushEachRecord: false))
            {
                for (int step = 0; step < Steps; step++)
                {
                    writer.History(step);
                    writer.Stdout("line " + step + "\n");
                }

                writer.Stdout("the last line\n");
                writer.Exit();
                log = writer.LogPath;
            }

            byte[] full = System.IO.File.ReadAllBytes(log);
            var offsets = new System.Collections.Generic.List<long>();
            var whole = new LogChunkReader(new System.IO.MemoryStream(full), log);
            while (whole.TryRead(out _))
            {
                offsets.Add(whole.RecordOffset);
            }

            // Cut 10 bytes into the last line's record (the exit record follows it).
            int cut = (int)offsets[offsets.Count - 2] + 10;
            System.IO.File.WriteAllBytes(log, full.AsSpan(0, cut).ToArray());
            long lastComplete;
            using (var plain = new System.IO.FileStream(log, System.IO.FileMode.Open, System.IO.FileAccess.Read))
            {
                var reader = new LogChunkReader(plain, log);
                lastComplete = 0;
                while (reader.TryRead(out _))
                {
                    lastComplete = reader.Position;
                }
            }

            using var stream = new System.IO.FileStream(log, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.ReadWrite);
            var console = new ConsoleLog(stream, log, raw: false, startsMidStream: false);
            var lines = console.ReadFrom(0, CancellationToken.None).Select(l => l.Text).ToList();
            Assert.Equal(Enumerable.Range(0, Steps).Select(i => "line " + i), lines);
            Assert.Equal(lastComplete, console.Resume);
            Assert.All(console.Damage, d => Assert.True(d.AtEnd, d.ToString()));
            Assert.False(console.ExitSeen);
            Assert.Equal(0, LogRecordPrefetch.RunningOn(log));

            // The writer goes on: the read resumes where the last one ended and finds the rest.
            using (var append = new System.IO.FileStream(log, System.IO.FileMode.Append, System.IO.FileAccess.Write, System.IO.FileShare.ReadWrite))
            {
                append.Write(full, cut, full.Length - cut);
            }

            var rest = console.ReadFrom(console.Resume, CancellationToken.None).Select(l => l.Text).ToList();
            Assert.Equal(new[] { "the last line" }, rest);
            Assert.True(console.ExitSeen);
            Assert.DoesNotContain(console.Damage, d => !d.AtEnd);
        }

        [Theory]
        [InlineData("Get-RunLog -Path $args[0] | Select-Object -First 1 | ForEach-Object Line", "line 0 of the training run")]
        [InlineData("Get-RunHistory -Path $args[0] | Select-Object -First 1 | ForEach-Object _step", 0L)]
        public void SelectObjectFirstLeavesNoThreadRunning(string script, object first)
        {
            ScriptResult result = _ps.Run(script, _wandb).ThrowOnError();
            Assert.Equal(first, Assert.Single(result.Objects));
            Assert.Equal(0, ThreadsOn(_log));
        }

        [Theory]
        [InlineData("Get-RunLog")]
        [InlineData("Get-RunHistory")]
        public void AFailureDownstreamLeavesNoThreadRunning(string command)
        {
            ScriptResult result = _ps.Run(command + " -Path $args[0] | ForEach-Object { throw 'stopped downstream' }", _wandb);
            Assert.Contains("stopped downstream", result.Terminating?.Message ?? string.Join(" ", result.Errors.Select(e => e.Exception.Message)));
            Assert.Equal(0, ThreadsOn(_log));
        }

        [Theory]
        [InlineData("Get-RunLog")]
        [InlineData("Get-RunHistory")]
        public void StoppingThePipelineStopsTheThread(string command)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _ps.RawRunspace;
            var output = new PSDataCollection<PSObject>();
            shell.AddScript(command + " -Path $args[0] | ForEach-Object { Start-Sleep -Milliseconds 20; $_ }").AddArgument(_wandb);
            IAsyncResult running = shell.BeginInvoke<PSObject, PSObject>(null, output);
            var wait = Stopwatch.StartNew();
            while (output.Count == 0 && wait.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(5);
            }

            // The consumer is slow: the thread has filled its batches (the workers their jobs) and waits for one to come back.
            Assert.False(running.IsCompleted);
            if (command == "Get-RunLog")
            {
                Assert.Equal(1, LogRecordPrefetch.RunningOn(_log));
            }
            else
            {
                Assert.Equal(Math.Min(ParallelRecordDecoding.MaxWorkers, Environment.ProcessorCount - 1), ParallelRecordDecoding.RunningOn(_log));
            }

            var clock = Stopwatch.StartNew();
            shell.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "Stop took " + clock.Elapsed);
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.Equal(0, ThreadsOn(_log));
        }
    }
}
