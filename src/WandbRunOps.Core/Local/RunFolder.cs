using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace WandbRunOps.Local
{
    /// <summary>
    /// One run folder the SDK wrote: <c>run-YYYYMMDD_HHMMSS-id</c> or <c>offline-run-…</c>, or a legacy (≤0.9) one.
    /// The one place that knows where a run folder keeps its log, its files/ set and its legacy history and events:
    /// the run listing and the history reader both ask it.
    /// </summary>
    public sealed class RunFolder
    {
        /// <summary>Legacy (≤0.9) history: one JSON object per step.</summary>
        public const string LegacyHistoryFileName = "wandb-history.jsonl";

        /// <summary>Legacy (≤0.9) system metrics: one JSON object per sample, each with <c>_timestamp</c>.</summary>
        public const string LegacyEventsFileName = "wandb-events.jsonl";

        private static readonly Regex NamePattern = new Regex(
            @"^(?<mode>run|offline-run)-(?<time>\d{8}_\d{6})-(?<id>.+)$",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private RunFolder(string path, string runId, DateTime? folderTime, bool offline, string? logPath, string? unreadable = null)
        {
            Path = path;
            RunId = runId;
            FolderTime = folderTime;
            Offline = offline;
            LogPath = logPath;
            Unreadable = unreadable;
        }

        /// <summary>Why the folder cannot be listed (permission denied); null when it can. Reading it is then an error for its run only.</summary>
        public string? Unreadable { get; }

        public string Path { get; }

        public string RunId { get; }

        /// <summary>The start time in the folder name: the writing machine's local time, read here as this machine's local time.</summary>
        public DateTime? FolderTime { get; }

        public bool Offline { get; }

        /// <summary>The <c>run-&lt;id&gt;.wandb</c> log, or null when the folder has none (legacy SDKs, or it was lost).</summary>
        public string? LogPath { get; private set; }

        /// <summary>Where the uploaded-files set lives: <c>files/</c>, or the folder itself for legacy runs.</summary>
        public string FilesPath => Directory.Exists(System.IO.Path.Combine(Path, "files")) ? System.IO.Path.Combine(Path, "files") : Path;

        /// <summary>Where a legacy folder may keep its history: beside the run's files (≤0.9), or in files/ (copies, syncs).</summary>
        public IReadOnlyList<string> LegacyHistoryPlaces => LegacyPlaces(LegacyHistoryFileName);

        /// <summary>Where a legacy folder may keep its events, as for <see cref="LegacyHistoryPlaces"/>.</summary>
        public IReadOnlyList<string> LegacyEventsPlaces => LegacyPlaces(LegacyEventsFileName);

        /// <summary>The legacy history file, or null when the folder has none.</summary>
        public string? LegacyHistoryPath => LegacyHistoryPlaces.FirstOrDefault(File.Exists);

        /// <summary>The legacy events file, or null when the folder has none.</summary>
        public string? LegacyEventsPath => LegacyEventsPlaces.FirstOrDefault(File.Exists);

        /// <summary>
        /// A folder already known to hold run <paramref name="runId"/> (a run object's <c>Folders</c>): recognised by its
        /// name when it has the SDK's, else taken as it is, its log found by the run id.
        /// </summary>
        public static RunFolder At(string directory, string runId)
        {
            if (TryOpen(directory) is RunFolder named && named.RunId == runId)
            {
                return named;
            }

            try
            {
                return new RunFolder(directory, runId, null, false, FindLog(directory, runId));
            }
            catch (UnauthorizedAccessException e)
            {
                return new RunFolder(directory, runId, null, false, null, e.Message);
            }
        }

        /// <summary>
        /// A directory that holds a run's log under a name that is not a run folder's (a link the runtime cannot resolve,
        /// a renamed copy): the run in it, its id from the log's name; null when it holds no log.
        /// </summary>
        public static RunFolder? TryOpenByLog(string directory)
        {
            string? log = Directory.EnumerateFiles(directory, "run-*.wandb").FirstOrDefault();
            if (log is null)
            {
                return null;
            }

            string id = System.IO.Path.GetFileNameWithoutExtension(log).Substring("run-".Length);
            return new RunFolder(directory, id, null, false, log);
        }

        /// <summary>Recognises a run folder by its name; null for any other directory.</summary>
        public static RunFolder? TryOpen(string directory)
        {
            string name = System.IO.Path.GetFileName(directory.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
            Match match = NamePattern.Match(name);
            if (!match.Success)
            {
                return null;
            }

            // The folder's name says whose run it is (the id is everything after the time, so it is never ambiguous).
            // A log named for another id (a renamed or misplaced copy) is still this folder's log, read as this run:
            // taking the log's name would merge this folder into that other run, as if it were a resumed part of it.
            string id = match.Groups["id"].Value;
            DateTime? folderTime = ParseFolderTime(match.Groups["time"].Value);
            bool offline = match.Groups["mode"].Value == "offline-run";
            var folder = new RunFolder(directory, id, folderTime, offline, null);
            try
            {
                folder.LogPath = FindLog(directory, id, folder._anomalies);
            }
            catch (UnauthorizedAccessException e)
            {
                // One folder this user may not read must not end the listing of the others: its run is an error when read.
                return new RunFolder(directory, id, folderTime, offline, null, e.Message);
            }

            return folder;
        }

        /// <summary>
        /// What does not fit the SDK's layout and was decided here: a second log beside the one read, a log named for
        /// another run. The folder scan reports each as a warning.
        /// </summary>
        public IReadOnlyList<string> Anomalies => _anomalies;

        private readonly List<string> _anomalies = new List<string>();

        /// <summary>A single log named explicitly: that file, in its folder, with nothing merged in.</summary>
        public static RunFolder ForLog(string logPath)
        {
            // A link the user names is what they asked for: the log is read in the folder it really lives in, where
            // the rule that a run's files stay inside its folder (RunFile) holds.
            if ((File.GetAttributes(logPath) & FileAttributes.ReparsePoint) != 0 && RunFolderLink.Resolve(logPath) is string target)
            {
                logPath = target;
            }

            string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(logPath)) ?? ".";
            RunFolder? folder = TryOpen(directory);
            string fileId = System.IO.Path.GetFileNameWithoutExtension(logPath);
            string id = fileId.StartsWith("run-", StringComparison.Ordinal) ? fileId.Substring(4) : fileId;
            return new RunFolder(directory, id, folder?.FolderTime, folder?.Offline ?? false, logPath);
        }

        /// <summary>The name the SDK gives a run's log: <c>run-&lt;id&gt;.wandb</c>.</summary>
        public static string LogFileName(string runId) => "run-" + runId + ".wandb";

        private static string? FindLog(string directory, string folderId, List<string>? anomalies = null)
        {
            // A folder already known (At) costs one file check when its log is where expected. The scan (TryOpen, which
            // collects anomalies) lists the folder's run-*.wandb files, so a second log is said, not silently ignored.
            string expected = System.IO.Path.Combine(directory, LogFileName(folderId));
            bool hasExpected = File.Exists(expected);
            if (hasExpected && anomalies is null)
            {
                return expected;
            }

            string[] logs = Directory.EnumerateFiles(directory, "run-*.wandb").OrderBy(f => f, StringComparer.Ordinal).ToArray();
            string? log = hasExpected ? expected : logs.FirstOrDefault();
            if (log is null || anomalies is null)
            {
                return log;
            }

            string name = System.IO.Path.GetFileName(log);
            if (!hasExpected)
            {
                anomalies.Add("Run folder '" + directory + "' is named for run '" + folderId + "' but its log is '" + name + "': read as run '" + folderId + "', as the folder's name says.");
            }

            string[] others = logs.Where(f => !string.Equals(f, log, StringComparison.Ordinal)).Select(System.IO.Path.GetFileName).ToArray();
            if (others.Length > 0)
            {
                anomalies.Add("Run folder '" + directory + "' holds more than one log: '" + name + "' is read, and " + string.Join(", ", others.Select(o => "'" + o + "'")) + " ignored (a run folder holds one run).");
            }

            return log;
        }

        private IReadOnlyList<string> LegacyPlaces(string fileName) =>
            new[] { System.IO.Path.Combine(Path, fileName), System.IO.Path.Combine(Path, "files", fileName) };

        private static DateTime? ParseFolderTime(string text) =>
            DateTime.TryParseExact(text, "yyyyMMdd_HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTime local)
                ? local.ToUniversalTime()
                : null;

        public override string ToString() => Path;
    }
}
