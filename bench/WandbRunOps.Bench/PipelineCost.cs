using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 4: objects per second through `Get-WandbRun | Where-Object | Get-RunSummary` in a hosted runspace, against
/// the same work as a bare C# loop over Core (list, filter, one summary row per run): the floor of PowerShell's pipeline.
/// </summary>
internal static class PipelineCost
{
    public static void Measure(BenchTable table, string wandb, int runs)
    {
        if (!BuiltModule.IsBuilt("4 pipeline"))
        {
            return;
        }

        var source = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None);
        int floorRows = 0;
        double floor = Timing.Best(3, () =>
        {
            floorRows = 0;
            foreach (WandbRun run in source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).Where(r => r.State == RunState.Finished))
            {
                // What Get-RunSummary hands on: one row per run, the run's identity plus a copy of its summary.
                var row = new Dictionary<string, object?>(run.Summary.Count + 2, StringComparer.OrdinalIgnoreCase) { ["RunId"] = run.Id, ["Name"] = run.Name };
                foreach (KeyValuePair<string, object?> entry in run.Summary)
                {
                    row[entry.Key] = entry.Value;
                }

                floorRows += row.Count > 0 ? 1 : 0;
            }
        });

        using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Invoke(runspace, "Import-Module -Name $args[0] -ErrorAction Stop", BuiltModule.Manifest);
        int pipelineRows = 0;
        double pipeline = Timing.Best(3, () => pipelineRows = Invoke(runspace,
            "Get-WandbRun -Path $args[0] | Where-Object State -eq 'Finished' | Get-RunSummary", wandb).Count);
        if (pipelineRows != floorRows)
        {
            throw new InvalidOperationException("The pipeline gave " + pipelineRows + " rows and the C# loop " + floorRows + ": they must do the same work.");
        }

        string label = "4 pipeline (" + runs + " local runs)";
        table.Add(label, "bare C# loop (floor)", floorRows / floor, "rows/s");
        table.Add(label, "Get-WandbRun | Where-Object | Get-RunSummary", pipelineRows / pipeline, "rows/s", "PowerShell's pipeline costs " + (pipeline / floor).ToString("N1") + "x the floor");
    }

    private static System.Collections.ObjectModel.Collection<PSObject> Invoke(Runspace runspace, string script, object argument)
    {
        using PowerShell shell = PowerShell.Create();
        shell.Runspace = runspace;
        System.Collections.ObjectModel.Collection<PSObject> output = shell.AddScript(script).AddArgument(argument).Invoke();
        if (shell.HadErrors)
        {
            throw new InvalidOperationException(script + " failed: " + string.Join("; ", shell.Streams.Error.Select(e => e.ToString())));
        }

        return output;
    }
}
