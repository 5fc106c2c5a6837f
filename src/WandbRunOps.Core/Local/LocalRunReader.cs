using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Artifacts;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Local.Log;
using WandbRunOps.Metadata;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Builds one <see cref="WandbRun"/> from its run folders. The log is the primary source; the files/ set fills
    /// in what the log lacks (user, e-mail, host) and stands in when the log is missing or unreadable. A resumed run
    /// (several folders, one id) is merged oldest to newest, so the newest data wins.
    /// </summary>
    public sealed class LocalRunReader
    {
        /// <summary>A run with no exit record counts as running while its log (else newest file) was written this recently.</summary>
        public static readonly TimeSpan RunningWindow = TimeSpan.FromMinutes(5);

        /// <summary>
        /// ...and while the newest time its records hold is this recent. A live writer's records are minutes old at
        /// most; a folder copied, unpacked or synced from elsewhere has new write times over old records, and must not
        /// read as Running because the copy was made a minute ago.
        /// </summary>
        public static readonly TimeSpan RecordedEvidenceWindow = TimeSpan.FromHours(1);

        private readonly ReadDiagnostics _diagnostics;
        private readonly Func<DateTime> _utcNow;

        public LocalRunReader(ReadDiagnostics diagnostics, Func<DateTime>? utcNow = null)
        {
            _diagnostics = diagnostics;
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
        }

        /// <summary>Reads a run; throws <see cref="WandbException"/> (LogDamaged) when none of its folders could be read.</summary>
        public WandbRun Read(RunFolderGroup group, CancellationToken cancellation = default)
        {
            var parts = new List<WandbRun>();
            var read = new List<RunFolderContents>();
            foreach (RunFolder folder in group.Folders)
            {
                cancellation.ThrowIfCancellationRequested();
                RunFolderContents contents = RunFolderContents.Read(folder, _diagnostics, cancellation);
                if (contents.Empty)
                {
                    _diagnostics.Warning("The run folder '" + folder.Path + "' has neither a readable log nor run files; it was skipped.");
                    continue;
                }

                read.Add(contents);
                parts.Add(Compose(group.RunId, contents));
            }

            ReportDamage(group.RunId, read);

            if (parts.Count == 0)
            {
                string where = group.Folders[group.Folders.Count - 1].Path;
                throw new WandbException(
                    WandbErrorKind.LogDamaged,
                    "Run '" + group.RunId + "' could not be read: '" + where + "' has no readable log or run files.",
                    where);
            }

            return parts.Count == 1 ? parts[0] : Merge(parts);
        }

        private WandbRun Compose(string folderRunId, RunFolderContents contents)
        {
            RunFolder folder = contents.Folder;
            RunLog? log = contents.Log;
            WandbMap metadata = contents.Metadata ?? new WandbMap();

            var run = new WandbRun
            {
                // The folder's id, as its name (or its log's) says: the id the listing groups by and its warnings name.
                // A log copied in from another run keeps that run's id in its records; taking it would show one id
                // for two runs.
                Id = folderRunId,
                Source = RunSource.Local,
                Path = folder.Path,
                Folders = new[] { folder.Path },
                Name = log?.DisplayName ?? ValueReads.Text(metadata, "name"),
                Entity = log?.Entity ?? ValueReads.Text(metadata, "entity"),
                Project = log?.Project ?? ValueReads.Text(metadata, "project"),
                Group = log?.Group ?? ValueReads.Text(metadata, "group"),
                JobType = log?.JobType ?? ValueReads.Text(metadata, "jobType"),
                Notes = log?.Notes ?? ValueReads.Text(metadata, "notes"),
                Tags = log?.Tags.ToArray() ?? Array.Empty<string>(),
                SweepId = log?.SweepId,
                Host = log?.Host ?? ValueReads.Text(metadata, "host"),
                User = MakeUser(log?.Username ?? ValueReads.Text(metadata, "username"), log?.Email ?? ValueReads.Text(metadata, "email")),
                LocalDetails = new LocalRunDetails { FromLog = log is not null },
            };

            run.Config = PreferLog(log?.Config, contents.ConfigFile);
            run.Summary = PreferLog(log?.Summary, contents.SummaryFile);
            run.SdkVersion = log?.Producer ?? ValueReads.Text(run.Config["_wandb"] as WandbMap, "cli_version");
            run.Synced = folder.Synced;
            run.HistoryCount = log?.HistoryCount ?? contents.LegacyHistory?.Count ?? 0;

            run.CreatedAt = StartOf(log, metadata, folder);
            DateTime heartbeat = LatestEvidence(contents) ?? run.CreatedAt;
            run.HeartbeatAt = heartbeat < run.CreatedAt ? run.CreatedAt : heartbeat;
            run.LogDamage = DamageText(log);

            ApplyOutcome(run, log, metadata, contents.WrittenAt);
            run.ReportedSeconds = (double?)log?.ExitRuntime
                ?? ValueReads.AsDouble((run.Summary["_wandb"] as WandbMap)?["runtime"])
                ?? log?.LastHistoryRuntime
                ?? contents.LegacyHistory?.LastRuntime;

            RunMetadata? facts = contents.Metadata is not null ? RunMetadataJson.FromFile(contents.Metadata) : log?.Environment;
            run.LocalDetails.Metadata = facts is { IsEmpty: false } ? facts : null;
            if (log is not null)
            {
                run.LocalDetails.LoggedArtifacts.AddRange(log.LoggedArtifacts.Select(a => ArtifactRecords.FromLogged(a, run.Id)));
                run.LocalDetails.UsedArtifacts.AddRange(log.UsedArtifacts.Select(a => ArtifactRecords.FromUsed(a, run.Id)));
                foreach (WandbArtifact artifact in run.LocalDetails.LoggedArtifacts.Concat(run.LocalDetails.UsedArtifacts))
                {
                    artifact.RunPath = folder.Path;
                    artifact.RunProject = run.Project;
                    artifact.RunEntity = run.Entity;
                }
            }

            return run;
        }

        /// <summary>
        /// When the run started: the log's run record (or environment record), else the SDK's metadata file, else the
        /// folder name's time (the writer's local time, read as this machine's). Never a file's write time.
        /// </summary>
        private static DateTime StartOf(RunLog? log, WandbMap metadata, RunFolder folder) =>
            log?.StartTime
                ?? log?.EnvironmentStartedAt
                ?? TimeValues.ParseIso(ValueReads.Text(metadata, "startedAt"))
                ?? folder.FolderTime
                // A lone log outside a run folder with only its header: the start is unknown, and no write time poses as one.
                ?? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);

        /// <summary>
        /// The latest time the run itself recorded: times in its log (history, stats, console output, summary, exit
        /// runtime), else wandb-metadata.json's heartbeatAt, else the newest time in a legacy folder's history, events
        /// or summary file; null when there is no such evidence (HeartbeatAt is then CreatedAt).
        /// </summary>
        private static DateTime? LatestEvidence(RunFolderContents contents)
        {
            DateTime? fromLog = contents.Log?.LatestProvenTime;
            if (fromLog is not null)
            {
                return fromLog;
            }

            DateTime? fromMetadata = TimeValues.ParseIso(ValueReads.Text(contents.Metadata, "heartbeatAt"));
            if (fromMetadata is not null)
            {
                return fromMetadata;
            }

            DateTime? legacy = RunLog.Later(contents.LegacyHistory?.LastTime, contents.LegacyEventsTime);
            return ValueReads.AsDouble(contents.SummaryFile?["_timestamp"]) is double stamp
                ? RunLog.Later(legacy, TimeValues.FromUnixSeconds(stamp))
                : legacy;
        }

        /// <summary>What is wrong with the log, as one line for <see cref="WandbRun.LogDamage"/>; null when it is whole.</summary>
        private static string? DamageText(RunLog? log)
        {
            if (log is null)
            {
                return null;
            }

            if (log.HeaderOnly)
            {
                return "only its 7-byte header: the run stopped right after it started";
            }

            if (log.Damage.Count == 0)
            {
                return null;
            }

            LogDamage first = log.Damage.Find(d => !d.AtEnd) ?? log.Damage[0];
            return log.LostRecords
                ? log.Damage.Count + " problem" + (log.Damage.Count == 1 ? string.Empty : "s") + ", first at " + first + "; " + log.RecordCount + " complete records were read"
                : "cut off at " + first + "; " + log.RecordCount + " complete records were read";
        }

        /// <summary>
        /// Says what is wrong with a run's log(s) once per run: damage that lost records before the end is a warning;
        /// a log cut off inside its last chunk (what a crash or a live writer leaves) is normal, and only -Verbose text.
        /// </summary>
        private void ReportDamage(string runId, IReadOnlyList<RunFolderContents> contents)
        {
            var lossy = contents.Where(c => c.Log is { LostRecords: true }).Select(c => c.Log!).ToList();
            foreach (RunLog log in contents.Select(c => c.Log).OfType<RunLog>().Where(l => !l.LostRecords && DamageText(l) is not null))
            {
                _diagnostics.Verbose("The run log '" + log.Path + "': " + DamageText(log) + ".");
            }

            if (lossy.Count > 0)
            {
                _diagnostics.WarningOnce(
                    "Run '" + runId + "': the run log" + (lossy.Count == 1 ? " '" + lossy[0].Path + "' is" : "s " + string.Join(", ", lossy.Select(l => "'" + l.Path + "'")) + " are") +
                    " damaged before its end (" + string.Join("; ", lossy.Select(DamageText)) + "). Records in the damaged parts are missing.");
            }
        }

        /// <summary>
        /// State and exit code: the exit record decides. Without one, the run is Running while its log (else its
        /// newest file) was written within <see cref="RunningWindow"/> and its records reach within
        /// <see cref="RecordedEvidenceWindow"/> of now, else Crashed: the one use of a write time.
        /// </summary>
        private void ApplyOutcome(WandbRun run, RunLog? log, WandbMap metadata, DateTime? writtenAt)
        {
            if (log is not null && log.HasExit)
            {
                run.ExitCode = log.ExitCode;
                run.State = log.ExitCode == 0 ? RunState.Finished : RunState.Failed;
                return;
            }

            if (log is not null && log.Preempting)
            {
                run.State = RunState.Preempting;
                return;
            }

            // Legacy (≤0.9) folders record the outcome in wandb-metadata.json; later SDKs write "running" there at start only.
            if (log is null && metadata["exitcode"] is long legacyCode)
            {
                run.ExitCode = (int)legacyCode;
                string? legacyState = ValueReads.Text(metadata, "state");
                run.State = legacyState is not null && Enum.TryParse(legacyState, true, out RunState parsed) && parsed != RunState.Running
                    ? parsed
                    : legacyCode == 0 ? RunState.Finished : RunState.Failed;
                return;
            }

            DateTime now = _utcNow();
            bool writtenLately = writtenAt is DateTime written && now - written <= RunningWindow;
            bool recordedLately = now - run.HeartbeatAt <= RecordedEvidenceWindow;
            run.State = writtenLately && recordedLately ? RunState.Running : RunState.Crashed;
        }

        /// <summary>Folds the parts of a resumed run, oldest first: later values win, times span all parts.</summary>
        private static WandbRun Merge(List<WandbRun> parts)
        {
            parts.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
            WandbRun newest = parts[parts.Count - 1];
            var merged = new WandbRun
            {
                Id = newest.Id,
                Source = RunSource.Local,
                Path = newest.Path,
                Folders = parts.SelectMany(p => p.Folders).ToArray(),
                CreatedAt = parts[0].CreatedAt,
                HeartbeatAt = parts.Max(p => p.HeartbeatAt),
                State = newest.State,
                ExitCode = newest.ExitCode,
                ReportedSeconds = newest.ReportedSeconds,
                HistoryCount = parts.Sum(p => p.HistoryCount),
                LogDamage = parts.Any(p => p.LogDamage is not null) ? string.Join("; ", parts.Select(p => p.LogDamage).Where(d => d is not null)) : null,
                Config = new WandbMap(),
                Summary = new WandbMap(),
                LocalDetails = new LocalRunDetails { FromLog = parts.Any(p => p.LocalDetails!.FromLog) },
            };

            foreach (WandbRun part in parts)
            {
                merged.Name = part.Name ?? merged.Name;
                merged.Entity = part.Entity ?? merged.Entity;
                merged.Project = part.Project ?? merged.Project;
                merged.Group = part.Group ?? merged.Group;
                merged.JobType = part.JobType ?? merged.JobType;
                merged.Notes = part.Notes ?? merged.Notes;
                merged.Tags = part.Tags.Length > 0 ? part.Tags : merged.Tags;
                merged.SweepId = part.SweepId ?? merged.SweepId;
                merged.Host = part.Host ?? merged.Host;
                merged.User = part.User ?? merged.User;
                merged.SdkVersion = part.SdkVersion ?? merged.SdkVersion;
                merged.Synced = (merged.Synced ?? true) && part.Synced != false; // every folder must be on the server
                ValueTree.MergeInto(merged.Config, part.Config);
                ValueTree.MergeInto(merged.Summary, part.Summary);
                merged.LocalDetails.LoggedArtifacts.AddRange(part.LocalDetails!.LoggedArtifacts);
                merged.LocalDetails.UsedArtifacts.AddRange(part.LocalDetails.UsedArtifacts);

                // The oldest folder that records anything describes the run's start.
                merged.LocalDetails.Metadata ??= part.LocalDetails.Metadata;
            }

            return merged;
        }

        /// <summary>The log's map unless it is empty and the files/ copy has content (log-less, unreadable or pre-log runs).</summary>
        private static WandbMap PreferLog(WandbMap? fromLog, WandbMap? fromFile) =>
            fromLog is not null && (fromLog.Count > 0 || fromFile is null || fromFile.Count == 0) ? fromLog : fromFile ?? new WandbMap();

        private static WandbUser? MakeUser(string? username, string? email) =>
            username is null && email is null ? null : new WandbUser(username, null, email);

    }
}
