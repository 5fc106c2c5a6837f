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
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        long start = self.WorkingSet64;
        long peak = start;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            using Process me = Process.GetCurrentProcess();
            while (!done.Wait(5))
            {
                me.Refresh();
                peak = Math.Max(peak, me.WorkingSet64);
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

        self.Refresh();
        return (start, Math.Max(peak, self.WorkingSet64));
    }
}
