using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Local.Log;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Testing;
using WandbRunOps.Values;
using WandbRunOps.Sources;

namespace WandbRunOps.Fuzz;

/// <summary>
/// Reads one damaged log the way the cmdlets do (LocalRunSource: the run, then its history rows, then its config and
/// summary flattened as Get-RunConfig -Flatten shows them) in a scratch run folder, on a worker thread with a hang
/// limit, measuring time and the bytes allocated by that thread.
/// </summary>
public sealed class CaseRunner : IDisposable
{
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _root;
    private readonly string _wandbDir;
    private readonly string _logPath;

    public CaseRunner(TimeSpan hangLimit)
    {
        HangLimit = hangLimit;
        _root = Path.Combine(Path.GetTempPath(), "wandbrunops-fuzz-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        _wandbDir = Path.Combine(_root, "wandb");
        string runDir = Path.Combine(_wandbDir, RunFolderWriter.FolderName(false, SyntheticLogs.Start, SyntheticLogs.RunId));
        Directory.CreateDirectory(runDir);
        _logPath = Path.Combine(runDir, RunFolderWriter.LogFileName(SyntheticLogs.RunId));
    }

    public TimeSpan HangLimit { get; }

    public CaseOutcome Run(string source, LogLayout pristine, LogMutation mutation)
    {
        File.WriteAllBytes(_logPath, mutation.Bytes);
        var task = Task.Factory.StartNew(Read, TaskCreationOptions.LongRunning);
        if (!task.Wait(HangLimit))
        {
            return new CaseOutcome { Source = source, Mutation = mutation, Hung = true, Milliseconds = HangLimit.TotalMilliseconds };
        }

        Measured read = task.Result;
        LogRecord[] owed = mutation.Survivors(pristine).ToArray();
        long historyOwed = owed.Count(r => r.IsHistory);
        string? violation = null;
        if (read.Crash is null && read.Records < owed.Length)
        {
            violation = "read " + read.Records + " records, " + owed.Length + " lie outside the damage";
        }
        else if (read.Crash is null && read.HistoryRows < historyOwed)
        {
            violation = "read " + read.HistoryRows + " history rows, " + historyOwed + " lie outside the damage";
        }

        return new CaseOutcome
        {
            Source = source,
            Mutation = mutation,
            Crash = read.Crash,
            Milliseconds = read.Milliseconds,
            AllocatedBytes = read.Allocated,
            RecordsRead = read.Records,
            RecordsOwed = owed.Length,
            HistoryRows = read.HistoryRows,
            HistoryRowsOwed = historyOwed,
            Warnings = read.Warnings,
            RunErrors = read.RunErrors,
            Violation = violation,
        };
    }

    private Measured Read()
    {
        var warnings = new List<string>();
        var errors = new List<WandbException>();
        long rows = 0;
        long records = 0;
        Exception? crash = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        long allocated = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            var source = new LocalRunSource(new[] { _wandbDir }, new ReadDiagnostics(warnings.Add, null), () => Now);
            foreach (WandbRun run in source.GetRuns(new RunSelector(null, null), new RunListOptions(), errors.Add, CancellationToken.None).ToList())
            {
                rows += source.History.Read(run, new HistoryQuery(), CancellationToken.None).LongCount();
                _ = ValueTree.Flatten(run.Config).Count() + ValueTree.Flatten(run.Summary).Count();
            }

            clock.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            records = CountRecords();
        }
        catch (WandbException e)
        {
            errors.Add(e);
        }
        catch (Exception e)
        {
            crash = e;
        }

        if (clock.IsRunning)
        {
            clock.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return new Measured(crash, clock.Elapsed.TotalMilliseconds, allocated, records, rows, warnings.Count, errors.Count);
    }

    /// <summary>The records the product's reader gets out of the file (0 when it is not a W&amp;B log at all).</summary>
    private long CountRecords()
    {
        try
        {
            using FileStream stream = File.OpenRead(_logPath);
            return RunLogReader.Read(stream, _logPath).RecordCount;
        }
        catch (LogFormatException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A hung read may still hold the file; the OS temp cleaner takes it.
        }
    }

    private sealed record Measured(Exception? Crash, double Milliseconds, long Allocated, long Records, long HistoryRows, int Warnings, int RunErrors);
}
