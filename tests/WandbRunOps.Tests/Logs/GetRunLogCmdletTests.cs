using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Logs
{
    /// <summary>Get-RunLog in the engine: both sources on the same runs, -Tail and -Wait over the API, Ctrl+C during -Wait.</summary>
    public sealed class GetRunLogCmdletTests : IDisposable
    {
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";

        private readonly ApiSamples _api = new ApiSamples();
        private readonly ModuleRunspace _ps;

        public GetRunLogCmdletTests() => _ps = _api.Runspace();

        public void Dispose()
        {
            _ps.Dispose();
            _api.Dispose();
        }

        private static string Lines(ScriptResult result) =>
            string.Join("\n", result.ThrowOnError().Of<WandbLogLine>().Select(l => l.RunId + "|" + l.Number + "|" + l.Stream + "|" + l.Timestamp?.ToString("o") + "|" + l.Line));

        [Fact]
        public void TheApiGivesTheSameLinesAsTheRunFolders()
        {
            string local = Lines(_ps.Run("Get-WandbRun -Path $args[0] | Get-RunLog", _api.Samples.Wandb));
            string remote = Lines(_ps.Run("Get-WandbRun " + Api + " | Get-RunLog"));
            Assert.Contains("crsh005e|1|stdout|", local);
            Assert.Equal(local, remote);

            string localTail = Lines(_ps.Run("Get-RunLog -Path $args[0] -Id crsh005e -Tail 3", _api.Samples.Wandb));
            string remoteTail = Lines(_ps.Run("Get-RunLog " + Api + " -Id crsh005e -Tail 3"));
            Assert.Equal(3, remoteTail.Split('\n').Length);
            Assert.Equal(string.Join("\n", local.Split('\n').Where(l => l.StartsWith("crsh005e|", StringComparison.Ordinal)).TakeLast(3)), remoteTail);
            Assert.Equal(localTail, remoteTail);
        }

        [Fact]
        public void WaitOverTheApiPollsUntilTheRunEnds()
        {
            FakeRun run = _api.Server.Data.Projects[0].Runs.Single(r => r.Id == "crsh005e");
            lock (_api.Server.Data.SyncRoot)
            {
                run.State = "running";
            }

            // The line is written once the cmdlet's first read (the last line) has been answered, however slowly a
            // loaded machine gets there: only a poll can then find it.
            int before = _api.Server.Requests.Count(r => r.OperationName == "RunLogLines");
            var writer = new System.Threading.Tasks.Task(() =>
            {
                var waited = Stopwatch.StartNew();
                while ((_api.Server.Requests.Count(r => r.OperationName == "RunLogLines") == before || _api.Server.InFlight > 0) && waited.Elapsed < TimeSpan.FromSeconds(30))
                {
                    Thread.Sleep(10);
                }

                lock (_api.Server.Data.SyncRoot)
                {
                    run.LogLines.Add(new FakeLogLine { Line = "\u001b[31mnew line\u001b[0m", Level = "error" });
                    run.State = "crashed";
                }
            });
            writer.Start();
            ScriptResult result = _ps.Run("Get-RunLog " + Api + " -Id crsh005e -Tail 1 -Wait");
            string[] lines = Lines(result).Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.EndsWith("|stderr||new line", lines[1]);
            Assert.StartsWith("crsh005e|" + run.LogLines.Count + "|", lines[1]);
        }

        [Fact]
        public void StoppingALocalWaitEndsAtOnce()
        {
            using var temp = new TempDirectory();
            using var writer = new ConsoleRunWriter(temp.Combine("wandb"), "live0009", DateTime.UtcNow);
            writer.Stdout("waiting for the run to end\n");
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _ps.RawRunspace;
            var output = new PSDataCollection<PSObject>();
            shell.AddScript("Get-RunLog -Path $args[0] -Wait").AddArgument(temp.Combine("wandb"));
            IAsyncResult running = shell.BeginInvoke<PSObject, PSObject>(null, output);
            var wait = Stopwatch.StartNew();
            while (output.Count == 0 && wait.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(5);
            }

            Assert.False(running.IsCompleted, "Get-RunLog -Wait ended while the run was running");
            var clock = Stopwatch.StartNew();
            shell.Stop();
            TimeSpan elapsed = clock.Elapsed;
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.True(elapsed < TimeSpan.FromSeconds(1), "Stop took " + elapsed);
            Assert.Equal("waiting for the run to end", ((WandbLogLine)output[0].BaseObject).Line);
        }
    }
}
