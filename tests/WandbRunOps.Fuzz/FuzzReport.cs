using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace WandbRunOps.Fuzz;

/// <summary>The figures of a harness run, per mutation kind and in total.</summary>
public sealed class FuzzReport
{
    /// <summary>
    /// Allocation is compared to the file size, but a read has fixed costs (the 32 KiB block buffer, directory scans,
    /// the run object) whatever the file's size, so files below this count as this size.
    /// </summary>
    public const long AllocationFloorBytes = 64 * 1024;

    private readonly Dictionary<string, KindFigures> _kinds = new(StringComparer.Ordinal);
    private readonly List<CaseOutcome> _failures = new();

    public IReadOnlyList<CaseOutcome> Failures => _failures;

    /// <summary>The case that took longest, to say where the time bound comes from.</summary>
    public CaseOutcome? Slowest { get; private set; }

    /// <summary>The case with the highest allocation ratio.</summary>
    public CaseOutcome? MostAllocating { get; private set; }

    public KindFigures Total { get; } = new("total");

    public IEnumerable<KindFigures> Kinds => _kinds.Values.OrderBy(k => k.Kind, StringComparer.Ordinal);

    public void Add(CaseOutcome outcome)
    {
        string kind = outcome.Mutation.Kind;
        if (!_kinds.TryGetValue(kind, out KindFigures? figures))
        {
            _kinds.Add(kind, figures = new KindFigures(kind));
        }

        figures.Add(outcome);
        Total.Add(outcome);
        if (Slowest is null || outcome.Milliseconds > Slowest.Milliseconds)
        {
            Slowest = outcome;
        }

        if (MostAllocating is null || AllocationRatio(outcome) > AllocationRatio(MostAllocating))
        {
            MostAllocating = outcome;
        }

        if (outcome.Failed)
        {
            _failures.Add(outcome);
        }
    }

    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine("| mutation | cases | crashes | hangs | records lost (owed but not read) | max ms/file | max alloc ratio | records recovered / owed | history rows recovered / owed |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (KindFigures kind in Kinds.Append(Total))
        {
            text.AppendLine(kind.Row());
        }

        if (Slowest is not null && MostAllocating is not null)
        {
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "slowest: {0:0.0} ms, {1}: {2} ({3} bytes)", Slowest.Milliseconds, Slowest.Source, Slowest.Mutation, Slowest.Mutation.Bytes.Length));
            text.AppendLine(string.Format(
                CultureInfo.InvariantCulture,
                "most allocation: {0:0.00} bytes per input byte ({1} bytes), {2}: {3} ({4} bytes)",
                AllocationRatio(MostAllocating), MostAllocating.AllocatedBytes, MostAllocating.Source, MostAllocating.Mutation, MostAllocating.Mutation.Bytes.Length));
        }

        foreach (CaseOutcome failure in _failures.Take(20))
        {
            text.AppendLine("FAILED " + failure.Describe());
        }

        return text.ToString();
    }

    public sealed class KindFigures
    {
        public KindFigures(string kind) => Kind = kind;

        public string Kind { get; }

        public long Cases { get; private set; }

        public long Crashes { get; private set; }

        public long Hangs { get; private set; }

        public long Violations { get; private set; }

        public double MaxMilliseconds { get; private set; }

        public double MaxAllocationRatio { get; private set; }

        public long RecordsRead { get; private set; }

        public long RecordsOwed { get; private set; }

        public long HistoryRows { get; private set; }

        public long HistoryRowsOwed { get; private set; }

        public void Add(CaseOutcome outcome)
        {
            Cases++;
            Crashes += outcome.Crash is null ? 0 : 1;
            Hangs += outcome.Hung ? 1 : 0;
            Violations += outcome.Violation is null ? 0 : 1;
            MaxMilliseconds = Math.Max(MaxMilliseconds, outcome.Milliseconds);
            MaxAllocationRatio = Math.Max(MaxAllocationRatio, AllocationRatio(outcome));
            RecordsRead += Math.Min(outcome.RecordsRead, outcome.RecordsOwed);
            RecordsOwed += outcome.RecordsOwed;
            HistoryRows += Math.Min(outcome.HistoryRows, outcome.HistoryRowsOwed);
            HistoryRowsOwed += outcome.HistoryRowsOwed;
        }

        public string Row() => string.Format(
            CultureInfo.InvariantCulture,
            "| {0} | {1} | {2} | {3} | {4} | {5:0.0} | {6:0.00} | {7} / {8} | {9} / {10} |",
            Kind, Cases, Crashes, Hangs, Violations, MaxMilliseconds, MaxAllocationRatio, RecordsRead, RecordsOwed, HistoryRows, HistoryRowsOwed);
    }

    /// <summary>Bytes allocated per byte of input (inputs under <see cref="AllocationFloorBytes"/> count as that size).</summary>
    public static double AllocationRatio(CaseOutcome outcome) =>
        outcome.AllocatedBytes / (double)Math.Max(outcome.Mutation.Bytes.Length, AllocationFloorBytes);
}
