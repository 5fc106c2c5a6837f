using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using WandbRunOps.Testing;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 10: how soon `Wait-WandbRun` notices that a local run has ended (goal: within 2 s). A run is written as the
/// SDK writes a live one (a record from this second, no exit record); the cmdlet waits on it in a runspace of its own;
/// the bench appends the exit record at a random point of the poll interval and measures the time from the append to
/// the run arriving on the cmdlet's output, which must be the ended run. Several tries; the worst one counts.
/// </summary>
internal static class WaitScenario
{
    public static void Measure(BenchTable table, string wandb, int tries)
    {
        if (!BuiltModule.IsBuilt("10 Wait-WandbRun"))
        {
            return;
        }

        using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using (PowerShell import = PowerShell.Create())
        {
            import.Runspace = runspace;
            import.AddScript("Import-Module -Name $args[0] -ErrorAction Stop").AddArgument(BuiltModule.Manifest).Invoke();
        }

        var random = new Random(9);
        var delays = new List<double>();
        for (int i = 0; i < tries; i++)
        {
            string id = "wait" + i.ToString("D4");
            DateTime now = DateTime.UtcNow;
            string folder = RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = id,
                FolderTime = now,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = id, Project = "bench", StartTime = now.AddMinutes(-1) }), Records.History(0, new[] { Item.ByPath(new[] { "_step" }, "0"), Item.ByPath(new[] { "_timestamp" }, JsonText.Number((now - DateTime.UnixEpoch).TotalSeconds)) }) },
                LogLastWriteUtc = now,
            });

            using PowerShell wait = PowerShell.Create();
            wait.Runspace = runspace;
            wait.AddScript("Wait-WandbRun -Path $args[0] -TimeoutSec 60").AddArgument(folder);
            var output = new PSDataCollection<PSObject>();
            var arrived = new ManualResetEventSlim();
            long arrivedAt = 0;
            output.DataAdded += (_, _) =>
            {
                arrivedAt = Stopwatch.GetTimestamp();
                arrived.Set();
            };
            IAsyncResult running = wait.BeginInvoke<PSObject, PSObject>(null, output);

            // The first poll reads the run as Running; the exit comes somewhere in a later poll interval.
            Thread.Sleep(1500 + random.Next(1000));
            long endedAt = Stopwatch.GetTimestamp();
            WandbLogWriter.Append(Path.Combine(folder, "run-" + id + ".wandb"), Records.Exit(0, 61));
            if (!arrived.Wait(TimeSpan.FromSeconds(30)))
            {
                wait.Stop();
                throw new InvalidOperationException("Wait-WandbRun did not output run " + id + " within 30 s of its exit record.");
            }

            wait.EndInvoke(running);
            string state = output.Single().Properties["State"].Value.ToString()!;
            if (state != "Finished" || wait.HadErrors)
            {
                throw new InvalidOperationException("Wait-WandbRun gave run " + id + " as " + state + (wait.HadErrors ? " with errors: " + string.Join("; ", wait.Streams.Error) : string.Empty) + "; expected Finished.");
            }

            delays.Add((arrivedAt - endedAt) / (double)Stopwatch.Frequency);
        }

        string label = "10 Wait-WandbRun (a local run ending, " + tries + " tries)";
        delays.Sort();
        table.Add(label, "exit record to output, worst", delays[^1], "s",
            "median " + delays[delays.Count / 2].ToString("N2") + " s, best " + delays[0].ToString("N2") + " s (goal: within 2 s; polls every 1 s)");
    }
}
