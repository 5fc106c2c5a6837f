using System;
using System.Collections.Generic;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Sweeps
{
    /// <summary>
    /// The metric a sweep optimises and its best run, as W&amp;B's own client picks it: the sweep configuration's
    /// <c>metric.name</c> and <c>metric.goal</c> (default minimize), the run with the best summary value of that metric.
    /// Runs without a number for it (missing, NaN, text) are never best.
    /// </summary>
    public static class SweepMetric
    {
        public const string Minimize = "minimize";
        public const string Maximize = "maximize";

        /// <summary>Sets the sweep's metric from its configuration, unless <paramref name="metric"/> overrides it.</summary>
        public static void Apply(WandbSweep sweep, string? metric, string? goal)
        {
            var fromConfig = sweep.Config["metric"] as WandbMap;
            sweep.MetricName = metric ?? ValueReads.Text(fromConfig, "name");
            string? configuredGoal = metric is null ? ValueReads.Text(fromConfig, "goal") : null;
            sweep.MetricGoal = sweep.MetricName is null ? null : Normalize(goal ?? configuredGoal);
        }

        /// <summary>
        /// Sets the sweep's best run (and its value) from <paramref name="runs"/> by the sweep's metric and goal; none
        /// without a metric or a run with a number for it.
        /// </summary>
        public static void ChooseBest(WandbSweep sweep, IEnumerable<WandbRun> runs)
        {
            if (sweep.MetricName is null)
            {
                return;
            }

            bool maximize = sweep.MetricGoal == Maximize;
            WandbRun? best = null;
            double bestValue = 0;
            foreach (WandbRun run in runs)
            {
                if (!(ValueReads.AsDouble(run.Summary[sweep.MetricName]) is double value) || double.IsNaN(value))
                {
                    continue;
                }

                if (best is null || (maximize ? value > bestValue : value < bestValue))
                {
                    best = run;
                    bestValue = value;
                }
            }

            sweep.BestRun = best;
            sweep.BestValue = best is null ? (double?)null : bestValue;
        }

        private static string Normalize(string? goal) =>
            string.Equals(goal, Maximize, StringComparison.OrdinalIgnoreCase) ? Maximize : Minimize;
    }
}
