using System;
using System.Collections.Generic;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>What one .wandb transaction log says about its run, folded in record order.</summary>
    public sealed class RunLog
    {
        public RunLog(string path)
        {
            Path = path;
        }

        public string Path { get; }

        /// <summary>The SDK that wrote the log (HeaderRecord producer, else telemetry cli_version).</summary>
        public string? Producer { get; internal set; }

        /// <summary>True when the header record names a producer: wandb-core era logs always do.</summary>
        public bool HasVersionInfo { get; internal set; }

        public string? RunId { get; internal set; }

        public string? Entity { get; internal set; }

        public string? Project { get; internal set; }

        public string? DisplayName { get; internal set; }

        public string? Group { get; internal set; }

        public string? JobType { get; internal set; }

        public string? Notes { get; internal set; }

        public List<string> Tags { get; } = new List<string>();

        public string? SweepId { get; internal set; }

        public string? Host { get; internal set; }

        public DateTime? StartTime { get; internal set; }

        public bool Resumed { get; internal set; }

        public long StartingStep { get; internal set; }

        /// <summary>Seconds the run had already run before this log started (RunRecord.runtime; non-zero for a resumed run).</summary>
        public int PriorRuntime { get; internal set; }

        public WandbMap Config { get; } = new WandbMap();

        public WandbMap Summary { get; } = new WandbMap();

        /// <summary>How many summary records carried at least one update or removal.</summary>
        public int SummaryRecordCount { get; internal set; }

        /// <summary>True when a summary record came after the exit record (the Python SDK's full summary at clean shutdown).</summary>
        public bool SummaryAfterExit { get; internal set; }

        public long HistoryCount { get; internal set; }

        public long? LastStep { get; internal set; }

        public DateTime? LastHistoryTime { get; internal set; }

        public double? LastHistoryRuntime { get; internal set; }

        public bool HasExit { get; internal set; }

        public int ExitCode { get; internal set; }

        public int? ExitRuntime { get; internal set; }

        /// <summary>True when a preempting record is the latest word on the run's fate (no exit after it).</summary>
        public bool Preempting { get; internal set; }

        public bool HasFinal { get; internal set; }

        public DateTime? LastStatsTime { get; internal set; }

        public DateTime? LastOutputTime { get; internal set; }

        public string? Username { get; internal set; }

        public string? Email { get; internal set; }

        public DateTime? EnvironmentStartedAt { get; internal set; }

        /// <summary>The facts of the log's first environment record (SDK 0.21 and later); null when it has none.</summary>
        public Model.RunMetadata? Environment { get; internal set; }

        public List<LoggedArtifactRecord> LoggedArtifacts { get; } = new List<LoggedArtifactRecord>();

        public List<UsedArtifactRecord> UsedArtifacts { get; } = new List<UsedArtifactRecord>();

        public int RecordCount { get; internal set; }

        /// <summary>True when the file holds nothing but the 7-byte header (a run that died at start).</summary>
        public bool HeaderOnly { get; internal set; }

        public List<LogDamage> Damage { get; } = new List<LogDamage>();

        /// <summary>Per-key history aggregates, kept only when the summary may have to be derived from history.</summary>
        internal HistoryAggregates? History { get; set; }

        /// <summary>True when damage lost records before the end of the log (not just a log cut off while writing).</summary>
        public bool LostRecords => Damage.Exists(d => !d.AtEnd);

        /// <summary>
        /// The latest time the log itself records the run as alive: history <c>_timestamp</c>, stats and console
        /// output times, the summary's <c>_timestamp</c> and runtime, the exit runtime; null when it records none
        /// (a header-only log, or one with nothing after the run record).
        /// </summary>
        public DateTime? LatestProvenTime
        {
            get
            {
                DateTime? latest = AfterStart(ExitRuntime);
                latest = Later(latest, LastHistoryTime);
                latest = Later(latest, LastStatsTime);
                latest = Later(latest, LastOutputTime);
                if (ValueReads.AsDouble(Summary["_timestamp"]) is double stamp)
                {
                    latest = Later(latest, TimeValues.FromUnixSeconds(stamp));
                }

                return Later(latest, AfterStart(ValueReads.AsDouble((Summary["_wandb"] as WandbMap)?["runtime"])));
            }
        }

        /// <summary>A whole-run runtime as a time in this log: a resumed log started <see cref="PriorRuntime"/> seconds into the run.</summary>
        private DateTime? AfterStart(double? runtime) =>
            StartTime is DateTime start && runtime is double seconds && !double.IsNaN(seconds) && !double.IsInfinity(seconds)
                ? start.AddSeconds(Math.Max(0, Math.Min(seconds - PriorRuntime, 1e9)))
                : (DateTime?)null;

        internal static DateTime? Later(DateTime? a, DateTime? b)
        {
            if (a is null)
            {
                return b;
            }

            if (b is null)
            {
                return a;
            }

            return a.Value >= b.Value ? a : b;
        }
    }

    /// <summary>An ArtifactRecord: an artifact the run logged without the request path (offline runs, code and job artifacts).</summary>
    public sealed class LoggedArtifactRecord
    {
        public string? Name { get; internal set; }

        public string? Type { get; internal set; }

        public string? Entity { get; internal set; }

        public string? Project { get; internal set; }

        public string? Digest { get; internal set; }

        public string? Description { get; internal set; }

        public string? MetadataJson { get; internal set; }

        public List<string> Aliases { get; } = new List<string>();

        public long Size { get; internal set; }

        public int FileCount { get; internal set; }

        /// <summary>The manifest's entries (ArtifactManifestEntry: path, digest, ref, size, local_path), in record order.</summary>
        public List<Artifacts.ArtifactManifestEntry> Entries { get; } = new List<Artifacts.ArtifactManifestEntry>();
    }

    /// <summary>A UseArtifactRecord: an artifact the run used, named as the user passed it (<c>name:alias</c>).</summary>
    public sealed class UsedArtifactRecord
    {
        public string? Id { get; internal set; }

        public string? Type { get; internal set; }

        public string? Name { get; internal set; }
    }
}
