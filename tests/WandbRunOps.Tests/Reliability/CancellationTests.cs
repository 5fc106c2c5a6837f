using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Ctrl+C (PowerShell.Stop) ends an API listing, a local and an API history scan, and a request the server holds
    /// for 30 s, each within a second, leaving nothing behind: no request still open at the server, no page requested
    /// after the stop, no run log still open. Each scenario runs five times; every stop latency is printed, cold first.
    /// </summary>
    public sealed class CancellationTests : IDisposable
    {
        private const int Repetitions = 5;
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
        private const string BigRunId = "long0001";
        private const int ApiHistorySteps = 20000;

        private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(1);

        private readonly ITestOutputHelper _output;
        private readonly FakeWandbServer _server;
        private readonly ModuleRunspace _ps;

        public CancellationTests(ITestOutputHelper output)
        {
            _output = output;
            FakeDataset data = FakeData.Synthetic(3000);
            var big = new FakeRun { Id = BigRunId, CreatedAt = DateTime.UtcNow, HeartbeatAt = DateTime.UtcNow, HistoryLineCount = ApiHistorySteps };
            for (int step = 0; step < ApiHistorySteps; step++)
            {
                big.HistoryRowsJson.Add("{\"_step\": " + step + ", \"loss\": 0.5}");
            }

            data.Projects[0].Runs.Add(big);
            _server = FakeWandbServer.StartAsync(data).GetAwaiter().GetResult();
            _ps = new ModuleRunspace();
            _ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            _ps.SetVariable("url", _server.BaseUrl);
        }

        public void Dispose()
        {
            _ps.Dispose();
            _server.Dispose();
        }

        [Fact]
        public void StoppingAnApiListingCancelsThePageInFlightAndRequestsNoMore()
        {
            _server.Faults.Latency = TimeSpan.FromMilliseconds(150);
            List<TimeSpan> stops = Repeat(() =>
            {
                _server.ClearRequests();

                // Two pages answered means the third is being prefetched while the pipeline takes the second.
                TimeSpan stop = StopWhen("Get-WandbRun " + Api + " -PageSize 20", () => RunsPages() >= 2);
                AssertServerLetGo();
                return stop;
            });
            Report("API listing (3000 runs, 20 per page, 150 ms per page)", stops);
        }

        [Fact]
        public void StoppingALocalHistoryScanClosesTheLog()
        {
            using var temp = new TempDirectory();
            string log = WriteBigLog(temp.Combine("wandb"), steps: 300000);
            _ps.SetVariable("run", _ps.Run("Get-WandbRun -Path $args[0]", temp.Combine("wandb")).ThrowOnError().Of<WandbRun>().Single());

            // Once untimed: the first rows of a column set register its table view (Update-FormatData, which a stop
            // waits for) and JIT the row path; on a machine loaded by the rest of the suite that alone can pass a second.
            _ps.Run("$null = $run | Get-RunHistory | Select-Object -First 1").ThrowOnError();

            // Rows flowing to the pipeline, and a scan that passes over every row without output (-MinStep past the end).
            var scripts = new[] { "$run | Get-RunHistory", "$run | Get-RunHistory -MinStep 999999999", "$run | Get-RunHistory -Samples 10" };
            foreach (string script in scripts)
            {
                List<TimeSpan> stops = Repeat(() =>
                {
                    // Stopped as soon as the log is open: a scan of the whole log takes hundreds of milliseconds, so
                    // it is always under way then (a fixed wait on top of that raced a fast scan to its end).
                    TimeSpan stop = StopWhen(script, () => OpenHandles(log) > 0);
                    Assert.Equal(0, OpenHandles(log));
                    using (new FileStream(log, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    {
                        // Nothing else has it open: an exclusive open succeeds and the file can be renamed.
                    }

                    File.Move(log, log + ".moved");
                    File.Move(log + ".moved", log);
                    return stop;
                });
                Report("local history, " + new FileInfo(log).Length / (1024 * 1024) + " MB log: " + script, stops);
            }
        }

        [Fact]
        public void StoppingAnApiHistoryScanCancelsThePageInFlightAndRequestsNoMore()
        {
            _server.Faults.Latency = TimeSpan.FromMilliseconds(150);
            foreach (string script in new[] { "Get-RunHistory " + Api + " -Id " + BigRunId + " -PageSize 50", "Get-RunHistory " + Api + " -Id " + BigRunId + " -PageSize 50 -Key loss" })
            {
                List<TimeSpan> stops = Repeat(() =>
                {
                    _server.ClearRequests();
                    TimeSpan stop = StopWhen(script, () => _server.Requests.Count(r => r.OperationName is "HistoryPage" or "RunSampledHistory") >= 2);
                    AssertServerLetGo();
                    return stop;
                });
                Report("API history (" + ApiHistorySteps + " steps, 50 per page, 150 ms per request): " + script.Replace(Api, "@api", StringComparison.Ordinal), stops);
            }
        }

        [Fact]
        public void StoppingARequestTheServerHoldsFor30SecondsEndsAtOnce()
        {
            _server.Faults.Latency = TimeSpan.FromSeconds(30);
            List<TimeSpan> stops = Repeat(() =>
            {
                _server.ClearRequests();
                TimeSpan stop = StopWhen("Get-WandbRun " + Api, () => _server.InFlight > 0);
                AssertServerLetGo();
                Assert.All(_server.Requests, r => Assert.Equal(0, r.StatusCode));
                return stop;
            });
            Report("a request held 30 s by the server", stops);
        }

        /// <summary>Runs <paramref name="script"/>, calls Stop once <paramref name="started"/> holds, and returns how long Stop took.</summary>
        private TimeSpan StopWhen(string script, Func<bool> started)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _ps.RawRunspace;
            shell.AddScript(script);
            IAsyncResult running = shell.BeginInvoke();
            var wait = Stopwatch.StartNew();
            while (!started() && !running.IsCompleted && wait.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(5);
            }

            // (The streams of a running command are not read here: enumerating them waits for the command to end.)
            Assert.False(running.IsCompleted, "the command ended before it could be stopped: " + script);
            Assert.True(started(), "the command did not get going within 30 s: " + script);
            var clock = Stopwatch.StartNew();
            shell.Stop();
            TimeSpan elapsed = clock.Elapsed;
            Assert.True(
                shell.InvocationStateInfo.State == PSInvocationState.Stopped,
                "the command ended " + shell.InvocationStateInfo.State + " instead of Stopped: " + shell.InvocationStateInfo.Reason + " " + string.Join(" | ", shell.Streams.Error));
            Assert.True(elapsed < StopLimit, "Stop took " + elapsed + ": " + script);
            return elapsed;
        }

        /// <summary>
        /// Nothing of the stopped command goes on: within a second the server has seen every request of it end (the
        /// client closed it), and in the half second after that nothing is answered. Requests the client had already
        /// sent when Stop was called (a prefetched page: one per key with -Key) may reach the server late; they must
        /// arrive cancelled (no answer). A pager that went on would be answered within the half second (150 ms a page).
        /// </summary>
        private void AssertServerLetGo()
        {
            int atStop = _server.Requests.Count;
            var clock = Stopwatch.StartNew();
            while (_server.InFlight > 0 && clock.Elapsed < StopLimit)
            {
                Thread.Sleep(5);
            }

            Assert.True(_server.InFlight == 0, _server.InFlight + " request(s) still open at the server " + clock.Elapsed + " after the stop");
            Thread.Sleep(500);
            Assert.Equal(0, _server.InFlight);
            List<RecordedRequest> late = _server.Requests.Skip(atStop).ToList();
            Assert.True(
                late.All(r => r.StatusCode == 0),
                "requests went on after the stop: " + string.Join(", ", late.Select(r => r.OperationName + " HTTP " + r.StatusCode)));
        }

        private int RunsPages() => _server.Requests.Count(r => r.OperationName == "Runs" && r.StatusCode == 200);

        /// <summary>Runs a scenario <see cref="Repetitions"/> times; the stop latencies, first (cold) to last.</summary>
        private static List<TimeSpan> Repeat(Func<TimeSpan> scenario) => Enumerable.Range(0, Repetitions).Select(_ => scenario()).ToList();

        private void Report(string scenario, List<TimeSpan> stops) =>
            _output.WriteLine(
                "stop latency max " + Milliseconds(stops.Max()) + " ms (each: " + string.Join(", ", stops.Select(Milliseconds)) + ") — " + scenario);

        private static string Milliseconds(TimeSpan span) => span.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);

        /// <summary>How many of this process's file descriptors point at <paramref name="path"/> (Linux /proc).</summary>
        private static int OpenHandles(string path)
        {
            string full = Path.GetFullPath(path);
            int count = 0;
            foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget == full)
                    {
                        count++;
                    }
                }
                catch (IOException)
                {
                    // The descriptor closed while the folder was listed: it points nowhere now.
                }
            }

            return count;
        }

        /// <summary>One run whose log holds <paramref name="steps"/> history rows of a few metrics each.</summary>
        private static string WriteBigLog(string wandb, int steps)
        {
            var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "big00001",
                FolderTime = created,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = "big00001", Project = "scan", StartTime = created }) },
                AppendToLog = log =>
                {
                    for (int s = 0; s < steps; s++)
                    {
                        string n = s.ToString(CultureInfo.InvariantCulture);
                        log.WriteRecord(Records.History(s, new[]
                        {
                            Item.ByPath(new[] { "_step" }, n),
                            Item.ByPath(new[] { "_runtime" }, JsonText.Number(s * 0.5)),
                            Item.ByPath(new[] { "loss" }, JsonText.Number(1.0 / (s + 1))),
                            Item.ByPath(new[] { "accuracy" }, JsonText.Number(s / (double)steps)),
                            Item.ByPath(new[] { "lr" }, "0.001"),
                        }));
                    }

                    log.WriteRecord(Records.Exit(0, steps / 2));
                },
            });
            return Path.Combine(folder, RunFolderWriter.LogFileName("big00001"));
        }
    }
}
