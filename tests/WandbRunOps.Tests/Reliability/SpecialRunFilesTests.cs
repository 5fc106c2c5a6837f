using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Special files in a run folder (issue 13 points 4 and 7): a fifo, a link to a device, a link out of the run folder,
    /// a link loop, a log followed by a 4 GB hole. Each is skipped with a warning naming it, the other runs and the run's
    /// other files still arrive, nothing is read from outside the folder, and Stop() returns within a second. Every
    /// command runs in a PowerShell instance that is stopped after a time-out, so a regression fails instead of hanging.
    /// </summary>
    [Collection(CpuHeavyCollection.Name)]
    public class SpecialRunFilesTests
    {
        /// <summary>The run folder of a sample run: its name holds the time the samples were written for.</summary>
        internal static string FolderOf(SampleRuns samples, string id) => Directory.GetDirectories(samples.Wandb, "run-*-" + id).Single();
        private const string Secret = "hunter2";
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

        public static IEnumerable<object[]> Scenarios()
        {
            foreach (string file in new[] { "log", "config.yaml", "wandb-summary.json", "wandb-metadata.json" })
            {
                foreach (string kind in new[] { "fifo", "device", "outside", "loop" })
                {
                    yield return new object[] { file, kind };
                }
            }

            yield return new object[] { "log", "hole" };
        }

        [UnixTheory]
        [MemberData(nameof(Scenarios))]
        public void ASpecialFileIsSkippedWithAWarningAndEveryRunArrives(string file, string kind)
        {
            using var samples = new SampleRuns();
            var ps = new ModuleRunspace();
            string path = Make(samples, file, kind);

            ScriptResult result = Timed(ps, "$runs = Get-WandbRun -Path $args[0] -WarningVariable wv -WarningAction SilentlyContinue; $runs.Count; $wv -join \"`n\"; $runs | Where-Object Id -eq fin0002b | ForEach-Object { ($_ | Get-RunConfig -WarningAction SilentlyContinue | ConvertTo-Json -Depth 5) + ($_ | Get-RunSummary -WarningAction SilentlyContinue | ConvertTo-Json -Depth 5) }", samples.Wandb);

            result.ThrowOnError();
            Assert.Equal(8, result.Output[0].BaseObject);
            Assert.Contains(Path.GetFileName(path), (string)result.Output[1].BaseObject, StringComparison.Ordinal);

            Assert.DoesNotContain(Secret, string.Join("\n", result.Output.Skip(2)), StringComparison.Ordinal);

            // Only now: a runspace whose command hung (the defect this catches) cannot be closed, and is left behind.
            ps.Dispose();
        }

        [UnixTheory]
        [MemberData(nameof(Scenarios))]
        public void StopReturnsWithinASecond(string file, string kind)
        {
            using var samples = new SampleRuns();
            var ps = new ModuleRunspace();
            Make(samples, file, kind);

            PowerShell shell = PowerShell.Create();
            shell.Runspace = ps.RawRunspace;
            shell.AddScript("Get-WandbRun -Path $args[0] -WarningAction SilentlyContinue | Get-RunHistory -WarningAction SilentlyContinue").AddArgument(samples.Wandb);
            IAsyncResult running = shell.BeginInvoke();
            running.AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(150));
            // Stop runs on a thread of its own, timed inside it: a thread-pool task would also time the wait for a pool
            // thread, which the other tests of this run can hold for seconds. A Stop that hangs leaves the thread behind.
            var stopping = new Stopwatch();
            var stopper = new System.Threading.Thread(() =>
            {
                stopping.Start();
                shell.Stop();
                stopping.Stop();
            }) { IsBackground = true };
            stopper.Start();
            bool stopped = stopper.Join(TimeSpan.FromSeconds(5));
            Assert.True(stopped && stopping.Elapsed < TimeSpan.FromSeconds(1), "Stop() took " + (stopped ? stopping.ElapsedMilliseconds + " ms" : "more than 5 s"));

            // Only after a Stop that returned: a command that cannot be stopped cannot be closed either, and is left behind.
            shell.Dispose();
            ps.Dispose();
        }

        [UnixFact]
        public void ALinkToAFileInsideTheRunFolderIsRead()
        {
            using var samples = new SampleRuns();
            using var ps = new ModuleRunspace();
            string files = Path.Combine(FolderOf(samples, "fin0002b"), "files");
            File.Move(Path.Combine(files, "config.yaml"), Path.Combine(FolderOf(samples, "fin0002b"), "config-copy.yaml"));
            File.CreateSymbolicLink(Path.Combine(files, "config.yaml"), "../config-copy.yaml");

            ScriptResult result = Timed(ps, "Get-WandbRun -Path $args[0] -Id fin0002b | Get-RunConfig -WarningVariable wv | Out-Null; $wv.Count", samples.Wandb);

            Assert.Equal(0, result.ThrowOnError().Output.Single().BaseObject);
        }

        /// <summary>Replaces <paramref name="file"/> of the victim run with a special file of <paramref name="kind"/>; returns its path.</summary>
        private static string Make(SampleRuns samples, string file, string kind)
        {
            string folder = FolderOf(samples, "fin0002b");
            string path = file == "log" ? Path.Combine(folder, "run-fin0002b.wandb") : Path.Combine(folder, "files", file);
            if (kind == "hole")
            {
                // Sparse: 4 GB of zeros that take no disk, as a copy tool or a broken file system can leave.
                using var log = new FileStream(path, FileMode.Open, FileAccess.Write);
                log.SetLength(log.Length + (4L << 30));
                return path;
            }

            string outside = samples.Scratch("outside-" + file);
            File.WriteAllText(outside, file switch
            {
                "config.yaml" => "secret_key:\n  value: " + Secret + "\n",
                "log" => string.Empty,
                _ => "{\"secret_key\": \"" + Secret + "\", \"username\": \"" + Secret + "\"}",
            });
            if (file == "log")
            {
                // A real log of another run, outside this folder: read, it would make this run look like that one.
                File.Copy(Path.Combine(FolderOf(samples, "fin0003c"), "run-fin0003c.wandb"), outside, overwrite: true);
            }

            File.Delete(path);
            switch (kind)
            {
                case "fifo":
                    Run("mkfifo", path);
                    break;
                case "device":
                    File.CreateSymbolicLink(path, "/dev/zero");
                    break;
                case "outside":
                    File.CreateSymbolicLink(path, outside);
                    break;
                default:
                    File.CreateSymbolicLink(path, Path.GetFileName(path));
                    break;
            }

            return path;
        }

        private static void Run(string program, params string[] arguments)
        {
            var start = new ProcessStartInfo(program);
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
        }

        /// <summary>
        /// Runs a script, and when it takes longer than <see cref="Bound"/> asks it to stop (without waiting: a read that
        /// cannot be stopped is the defect this catches) and fails.
        /// </summary>
        internal static ScriptResult Timed(ModuleRunspace ps, string script, params object[] args)
        {
            var shell = PowerShell.Create();
            shell.Runspace = ps.RawRunspace;
            shell.AddScript(script);
            foreach (object arg in args)
            {
                shell.AddArgument(arg);
            }

            IAsyncResult running = shell.BeginInvoke();
            if (!running.AsyncWaitHandle.WaitOne(Bound))
            {
                shell.BeginStop(null, null);
                Assert.Fail("The command did not finish within " + Bound.TotalSeconds + " s: " + script);
            }

            using (shell)
            {
                List<PSObject> output;
                Exception? terminating = null;
                try
                {
                    output = shell.EndInvoke(running).ToList();
                }
                catch (RuntimeException e)
                {
                    output = new List<PSObject>();
                    terminating = e;
                }

                return new ScriptResult(
                    output,
                    shell.Streams.Error.ToList(),
                    shell.Streams.Warning.Select(w => w.Message).ToList(),
                    shell.Streams.Verbose.Select(v => v.Message).ToList(),
                    shell.Streams.Progress.ToList(),
                    terminating);
            }
        }
    }
}
