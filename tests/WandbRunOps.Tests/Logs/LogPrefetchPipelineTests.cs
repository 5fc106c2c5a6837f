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
    /// Get-RunLog and Get-RunHistory over a log long enough to be read with the prefetch thread: every line and row as
    /// written, and no thread left running once the pipeline ends early (Select-Object -First), fails downstream, or is stopped.
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
            Assert.Equal(0, LogRecordPrefetch.RunningOn(_log));
        }

        [Theory]
        [InlineData("Get-RunLog -Path $args[0] | Select-Object -First 1 | ForEach-Object Line", "line 0 of the training run")]
        [InlineData("Get-RunHistory -Path $args[0] | Select-Object -First 1 | ForEach-Object _step", 0L)]
        public void SelectObjectFirstLeavesNoThreadRunning(string script, object first)
        {
            ScriptResult result = _ps.Run(script, _wandb).ThrowOnError();
            Assert.Equal(first, Assert.Single(result.Objects));
            Assert.Equal(0, LogRecordPrefetch.RunningOn(_log));
        }

        [Theory]
        [InlineData("Get-RunLog")]
        [InlineData("Get-RunHistory")]
        public void AFailureDownstreamLeavesNoThreadRunning(string command)
        {
            ScriptResult result = _ps.Run(command + " -Path $args[0] | ForEach-Object { throw 'stopped downstream' }", _wandb);
            Assert.Contains("stopped downstream", result.Terminating?.Message ?? string.Join(" ", result.Errors.Select(e => e.Exception.Message)));
            Assert.Equal(0, LogRecordPrefetch.RunningOn(_log));
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

            // The consumer is slow: the thread has filled its batches and waits for one to come back.
            Assert.False(running.IsCompleted);
            Assert.Equal(1, LogRecordPrefetch.RunningOn(_log));
            var clock = Stopwatch.StartNew();
            shell.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "Stop took " + clock.Elapsed);
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.Equal(0, LogRecordPrefetch.RunningOn(_log));
        }
    }
}
