using System;
using System.Diagnostics;
using System.Threading;

namespace WandbRunOps.Bench;

/// <summary>Samples this process's working set every few milliseconds while an action runs, and keeps the peak.</summary>
internal static class WorkingSetProbe
{
    /// <summary>The working set before <paramref name="action"/> and the highest seen while it ran, in bytes.</summary>
    public static (long Start, long Peak) Measure(Action action)
    {
        Usage usage = MeasureHalves(action);
        return (usage.Start, usage.Peak);
    }

    /// <summary>
    /// The working set before <paramref name="action"/>, and the highest seen in the first and in the second half of
    /// its time: memory that stays flat has the same peak in both halves; memory that grows with the work has a
    /// higher one in the second.
    /// </summary>
    public static Usage MeasureHalves(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        long start = self.WorkingSet64;
        var samples = new System.Collections.Generic.List<(double Seconds, long Bytes)> { (0, start) };
        long liveHeap = 0;
        using var done = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();
        var sampler = new Thread(() =>
        {
            using Process me = Process.GetCurrentProcess();
            while (!done.Wait(5))
            {
                me.Refresh();
                samples.Add((clock.Elapsed.TotalSeconds, me.WorkingSet64));
                liveHeap = Math.Max(liveHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
            }
        }) { IsBackground = true };
        sampler.Start();
        try
        {
            action();
        }
        finally
        {
            done.Set();
            sampler.Join();
        }

        double half = clock.Elapsed.TotalSeconds / 2;
        self.Refresh();
        samples.Add((clock.Elapsed.TotalSeconds, self.WorkingSet64));
        long first = start, second = start;
        foreach ((double seconds, long bytes) in samples)
        {
            if (seconds <= half)
            {
                first = Math.Max(first, bytes);
            }
            else
            {
                second = Math.Max(second, bytes);
            }
        }

        return new Usage(start, first, second, liveHeap);
    }

    /// <summary>
    /// Bytes: at the start, the peaks of the first and the second half of the time, and the largest GC heap seen
    /// after a collection (what was alive, plus older garbage a young collection leaves; the working set also holds
    /// the collector's allocation budget, which it sizes by itself).
    /// </summary>
    public readonly record struct Usage(long Start, long FirstHalfPeak, long SecondHalfPeak, long LiveHeapPeak)
    {
        public long Peak => Math.Max(FirstHalfPeak, SecondHalfPeak);
    }
}
