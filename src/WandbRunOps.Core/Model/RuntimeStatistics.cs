using System;
using System.Collections.Generic;
using System.Linq;

namespace WandbRunOps.Model
{
    /// <summary>
    /// Statistics over many runs' runtimes, as TimeSpans with <c>…Seconds</c> double twins. The standard deviation is
    /// the sample one (n − 1), as <c>Measure-Object -StandardDeviation</c> computes it; Windows PowerShell has none.
    /// </summary>
    public sealed class RuntimeStatistics
    {
        private RuntimeStatistics(IReadOnlyList<double> seconds)
        {
            Count = seconds.Count;
            if (Count == 0)
            {
                return;
            }

            double[] sorted = seconds.OrderBy(s => s).ToArray();
            SumSeconds = sorted.Sum();
            AverageSeconds = SumSeconds / Count;
            MinimumSeconds = sorted[0];
            MaximumSeconds = sorted[Count - 1];
            MedianSeconds = Count % 2 == 1 ? sorted[Count / 2] : (sorted[(Count / 2) - 1] + sorted[Count / 2]) / 2;
            double average = AverageSeconds.Value;
            StandardDeviationSeconds = Count > 1 ? Math.Sqrt(sorted.Sum(s => (s - average) * (s - average)) / (Count - 1)) : 0d;
        }

        public int Count { get; }

        public double? SumSeconds { get; }

        public double? AverageSeconds { get; }

        public double? MinimumSeconds { get; }

        public double? MaximumSeconds { get; }

        public double? MedianSeconds { get; }

        public double? StandardDeviationSeconds { get; }

        public TimeSpan? Sum => ToSpan(SumSeconds);

        public TimeSpan? Average => ToSpan(AverageSeconds);

        public TimeSpan? Minimum => ToSpan(MinimumSeconds);

        public TimeSpan? Maximum => ToSpan(MaximumSeconds);

        public TimeSpan? Median => ToSpan(MedianSeconds);

        public TimeSpan? StandardDeviation => ToSpan(StandardDeviationSeconds);

        public static RuntimeStatistics Of(IEnumerable<RunRuntime> runtimes) => new RuntimeStatistics(runtimes.Select(r => r.Seconds).ToList());

        public static RuntimeStatistics OfSeconds(IEnumerable<double> seconds) => new RuntimeStatistics(seconds.ToList());

        private static TimeSpan? ToSpan(double? seconds) => seconds is double s ? TimeSpan.FromTicks((long)Math.Round(s * TimeSpan.TicksPerSecond)) : null;
    }
}
