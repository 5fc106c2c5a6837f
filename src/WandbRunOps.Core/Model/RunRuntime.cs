using System;

namespace WandbRunOps.Model
{
    /// <summary>One run's runtime: wall-clock (heartbeat minus start) and what the SDK reported.</summary>
    /// <remarks>A class, not a record, for the reasons given on <see cref="ConfigDifference"/>.</remarks>
    public sealed class RunRuntime(WandbRun run)
    {
        public string RunId { get; } = run.Id;

        public string? RunName { get; } = run.Name;

        public string? RunProject { get; } = run.Project;

        public string? RunEntity { get; } = run.Entity;

        public string? RunPath { get; } = run.Path;

        public RunState State { get; } = run.State;

        public DateTime CreatedAt { get; } = run.CreatedAt;

        public DateTime HeartbeatAt { get; } = run.HeartbeatAt;

        /// <summary>HeartbeatAt minus CreatedAt; for a running run, its runtime so far.</summary>
        public TimeSpan Runtime { get; } = run.Runtime;

        public double Seconds => Runtime.TotalSeconds;

        /// <summary>The SDK's own figure: exit record runtime, else summary <c>_wandb.runtime</c>, else last history <c>_runtime</c>.</summary>
        public double? ReportedSeconds { get; } = run.ReportedSeconds;
    }
}
