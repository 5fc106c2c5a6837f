using System;
using System.Diagnostics;
using System.Linq;

namespace WandbRunOps.Bench;

/// <summary>Wall-clock timing of one action: once, or the best of several tries.</summary>
internal static class Timing
{
    public static double Best(int tries, Action action) => Enumerable.Range(0, tries).Min(_ => Seconds(action));

    public static double Seconds(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}
