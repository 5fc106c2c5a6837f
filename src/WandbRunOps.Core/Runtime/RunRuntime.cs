using System;
using WandbRunOps.Model;

namespace WandbRunOps.Runtime
{
    /// <summary>One run's runtime: wall-clock (heartbeat minus start) and what the SDK reported.</summary>
    public sealed class RunRuntime
    {
        public RunRuntime(WandbRun run)
        {
            RunId = run.Id;
            RunName = run.Name;
            RunProject = run.Project;
            RunEntity = run.Entity;
            RunPath = run.Path;
            State = run.State;
            CreatedAt = run.CreatedAt;
            HeartbeatAt = run.HeartbeatAt;
            Runtime = run.Runtime;
            ReportedSeconds = run.ReportedSeconds;
        }

        public string RunId { get; }

        public string? RunName { get; }

        public string? RunProject { get; }

        public string? RunEntity { get; }

        public string? RunPath { get; }

        public RunState State { get; }

        public DateTime CreatedAt { get; }

        public DateTime HeartbeatAt { get; }

        /// <summary>HeartbeatAt minus CreatedAt; for a running run, its runtime so far.</summary>
        public TimeSpan Runtime { get; }

        public double Seconds => Runtime.TotalSeconds;

        /// <summary>The SDK's own figure: exit record runtime, else summary <c>_wandb.runtime</c>, else last history <c>_runtime</c>.</summary>
        public double? ReportedSeconds { get; }
    }
}
