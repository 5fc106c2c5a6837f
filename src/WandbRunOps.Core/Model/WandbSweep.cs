using System;
using WandbRunOps.Values;

namespace WandbRunOps.Model
{
    /// <summary>
    /// A W&amp;B sweep (Get-WandbSweep): its state, search method, the metric it optimises and the best run by that
    /// metric. Over the API as the server keeps it; locally what the runs that name the sweep hold (the metric only when
    /// given with -Metric: run folders do not record the sweep's configuration).
    /// </summary>
    public sealed class WandbSweep
    {
        /// <summary>The sweep's id, as runs name it in <c>SweepId</c> (W&amp;B's sweep <c>name</c>).</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>The display name, else the configuration's <c>name</c>, else the id.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>Running, Paused, Canceled, Finished or Crashed (W&amp;B's states, in title case); locally Running while a run of it is.</summary>
        public string? State { get; set; }

        /// <summary>grid, random or bayes.</summary>
        public string? Method { get; set; }

        /// <summary>The summary metric the sweep optimises (<c>metric.name</c> of its configuration).</summary>
        public string? MetricName { get; set; }

        /// <summary>minimize or maximize (<c>metric.goal</c>; W&amp;B's default is minimize).</summary>
        public string? MetricGoal { get; set; }

        /// <summary>The sweep's configuration (method, metric, parameters…); empty locally.</summary>
        public WandbMap Config { get; set; } = new WandbMap();

        public long RunCount { get; set; }

        /// <summary>How many runs the sweep is set to make (a grid's size, or run_cap), when known.</summary>
        public long? ExpectedRunCount { get; set; }

        public DateTime? CreatedAt { get; set; }

        /// <summary>The run with the best value of <see cref="MetricName"/> by <see cref="MetricGoal"/>; null when no run has a number for it.</summary>
        public WandbRun? BestRun { get; set; }

        /// <summary>The best run's value of <see cref="MetricName"/>.</summary>
        public double? BestValue { get; set; }

        public string? Entity { get; set; }

        public string? Project { get; set; }

        public RunSource Source { get; set; }

        public override string ToString() => Id;
    }
}
