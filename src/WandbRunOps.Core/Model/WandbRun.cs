using System;
using WandbRunOps.Values;

namespace WandbRunOps.Model
{
    /// <summary>
    /// One W&amp;B run, the same shape whichever source produced it. Values are raw and sortable
    /// (UTC <see cref="DateTime"/>s, <see cref="TimeSpan"/>, typed config and summary values); display is the format file's job.
    /// </summary>
    public sealed class WandbRun : IComparable<WandbRun>, IComparable
    {
        /// <summary>The run id (8 characters in the SDK's run folders; GraphQL <c>name</c>).</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>The display name (GraphQL <c>displayName</c>).</summary>
        public string? Name { get; set; }

        public string? Entity { get; set; }

        public string? Project { get; set; }

        public RunState State { get; set; }

        /// <summary>When the run started, UTC.</summary>
        public DateTime CreatedAt { get; set; }

        /// <summary>The latest time the run is known to have been alive, UTC; never before <see cref="CreatedAt"/>.</summary>
        public DateTime HeartbeatAt { get; set; }

        /// <summary>Wall-clock runtime: <see cref="HeartbeatAt"/> minus <see cref="CreatedAt"/>.</summary>
        public TimeSpan Runtime => HeartbeatAt - CreatedAt;

        /// <summary>The runtime the SDK itself reported, in seconds, or null when it reported none.</summary>
        public double? ReportedSeconds { get; set; }

        public string? JobType { get; set; }

        public string? Group { get; set; }

        public ValueList<string> Tags { get; set; } = ValueList<string>.Empty;

        public string? Notes { get; set; }

        public WandbUser? User { get; set; }

        /// <summary>Shortcut for <c>User.Username</c>.</summary>
        public string? Username => User?.Username;

        public string? Host { get; set; }

        public string? SweepId { get; set; }

        /// <summary>The run's config: user keys with typed values, nested maps kept as maps.</summary>
        public WandbMap Config { get; set; } = new WandbMap();

        /// <summary>The run's summary: the last (or aggregated) value of each metric.</summary>
        public WandbMap Summary { get; set; } = new WandbMap();

        /// <summary>The process exit code, or null while running or when it is unknown.</summary>
        public int? ExitCode { get; set; }

        /// <summary>How many history rows (steps) the run logged.</summary>
        public long HistoryCount { get; set; }

        public RunSource Source { get; set; }

        /// <summary>The run folder (local runs; the newest one when a resumed run spans several).</summary>
        public string? Path { get; set; }

        /// <summary>Every run folder that makes up this run, oldest first (local runs).</summary>
        public ValueList<string> Folders { get; set; } = ValueList<string>.Empty;

        /// <summary>The run's page in the W&amp;B app (API runs).</summary>
        public string? Url { get; set; }

        /// <summary>
        /// What is wrong with a local run's log, in one line (a log cut off inside its last chunk, as a crash or a live
        /// writer leaves it; damage that lost records; a log with only its header); null when the log is whole, for a
        /// run without a log, and for API runs.
        /// </summary>
        public string? LogDamage { get; set; }

        /// <summary>The version of the wandb SDK that wrote the run, when known.</summary>
        public string? SdkVersion { get; set; }

        /// <summary>
        /// Local runs: whether W&amp;B's server has the run (a <c>run-*</c> folder streamed to it; an <c>offline-run-*</c>
        /// folder once <c>wandb sync</c> left its <c>.synced</c> marker). Null for API runs.
        /// </summary>
        public bool? Synced { get; set; }

        /// <summary>Local-source details (artifacts read from the log); null for API runs.</summary>
        internal LocalRunDetails? LocalDetails { get; set; }

        /// <summary>
        /// The source that read the run, so the commands it is piped to read more of it from the same place (for the
        /// API: the same server, key and entity). Opaque: it carries no listing's options (see <see cref="Sources.RunOrigins"/>).
        /// </summary>
        internal Sources.IRunSource? Origin { get; set; }

        public int CompareTo(WandbRun? other)
        {
            if (other is null)
            {
                return 1;
            }

            int byTime = CreatedAt.CompareTo(other.CreatedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(Id, other.Id);
        }

        int IComparable.CompareTo(object? obj) => CompareTo(obj as WandbRun);

        public override string ToString() => Entity is null || Project is null ? Id : Entity + "/" + Project + "/" + Id;
    }
}
