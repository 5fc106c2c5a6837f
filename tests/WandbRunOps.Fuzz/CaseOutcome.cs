using System;

namespace WandbRunOps.Fuzz;

/// <summary>What reading one damaged log through the public local source did.</summary>
public sealed class CaseOutcome
{
    public required string Source { get; init; }

    public required LogMutation Mutation { get; init; }

    /// <summary>An exception other than the module's own <c>WandbException</c>: a bug.</summary>
    public Exception? Crash { get; init; }

    /// <summary>The read did not finish within the harness's hang limit.</summary>
    public bool Hung { get; init; }

    public double Milliseconds { get; init; }

    public long AllocatedBytes { get; init; }

    /// <summary>Records the reader handed to the decoder (RunLog.RecordCount).</summary>
    public long RecordsRead { get; init; }

    /// <summary>Records of the undamaged log this damage had to leave readable.</summary>
    public long RecordsOwed { get; init; }

    public long HistoryRows { get; init; }

    public long HistoryRowsOwed { get; init; }

    public int Warnings { get; init; }

    /// <summary>Runs the source reported as unreadable (WandbException through its error callback).</summary>
    public int RunErrors { get; init; }

    /// <summary>A property that failed other than a crash or hang (a record owed but not read), with the numbers.</summary>
    public string? Violation { get; init; }

    public bool Failed => Crash is not null || Hung || Violation is not null;

    public string Describe() =>
        Source + ": " + Mutation + " -> " + (Hung ? "HUNG" : Crash is not null ? "CRASH " + Crash : Violation ?? "ok");
}
