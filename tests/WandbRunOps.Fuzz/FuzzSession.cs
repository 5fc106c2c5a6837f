using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace WandbRunOps.Fuzz;

/// <summary>
/// Runs mutation cases into a <see cref="FuzzReport"/>. Random cases are reproducible: case i of seed s uses its own
/// <c>Random(s, i)</c>, so a failure printed with its seed and index replays alone. A hang ends the session (the hung
/// read cannot be stopped, and would skew everything after it).
/// </summary>
public sealed class FuzzSession : IDisposable
{
    private readonly CaseRunner _runner;

    public FuzzSession(TimeSpan hangLimit) => _runner = new CaseRunner(hangLimit);

    public FuzzReport Report { get; } = new();

    public bool Stopped { get; private set; }

    public void Run(FuzzSource source, LogMutation mutation)
    {
        if (Stopped)
        {
            return;
        }

        CaseOutcome outcome = _runner.Run(source.Name, source.Layout, mutation);
        Report.Add(outcome);
        Stopped = outcome.Hung;
    }

    /// <summary>The undamaged log itself: every record must be read (a baseline that checks the harness's own layout).</summary>
    public void Pristine(FuzzSource source) =>
        Run(source, Unchanged(source));

    /// <summary>The log cut at every <paramref name="stride"/>-th offset from 0 to its full length.</summary>
    public void TruncateEveryOffset(FuzzSource source, int stride = 1)
    {
        for (int length = 0; length < source.Bytes.Length && !Stopped; length += stride)
        {
            Run(source, LogMutation.Cut(source.Bytes, length));
        }
    }

    /// <summary>Random cases over the sources, cycling through every mutation kind, until <paramref name="more"/> says stop.</summary>
    public long RandomCases(IReadOnlyList<FuzzSource> sources, int seed, Func<long, bool> more)
    {
        long index = 0;
        for (; more(index) && !Stopped; index++)
        {
            var random = new Random(CaseSeed(seed, index));
            FuzzSource source = sources[(int)(index % sources.Count)];
            var (_, apply) = LogMutations.All[(int)(index / sources.Count % LogMutations.All.Count)];
            LogMutation? mutation = apply(source.Bytes, source.Layout, random);
            if (mutation is not null)
            {
                Run(source, mutation);
            }
        }

        return index;
    }

    /// <summary>Random cases until <paramref name="budget"/> has passed.</summary>
    public long RandomCasesFor(IReadOnlyList<FuzzSource> sources, int seed, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        return RandomCases(sources, seed, _ => clock.Elapsed < budget);
    }

    private static LogMutation Unchanged(FuzzSource source) =>
        LogMutation.InPlace("none", "undamaged", source.Bytes, Array.Empty<long>());

    /// <summary>A stable seed per case (HashCode.Combine is randomised per process, so it would not replay).</summary>
    public static int CaseSeed(int seed, long index) => unchecked((int)(seed * 1_000_003L + index * 7919L));

    public void Dispose() => _runner.Dispose();
}
