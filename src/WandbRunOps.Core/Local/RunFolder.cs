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
        public string? LogPath { get; }

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

            string? log;
            try
            {
                log = FindLog(directory, match.Groups["id"].Value);
            }
            catch (UnauthorizedAccessException e)
            {
                // One folder this user may not read must not end the listing of the others: its run is an error when read.
                return new RunFolder(directory, match.Groups["id"].Value, ParseFolderTime(match.Groups["time"].Value), match.Groups["mode"].Value == "offline-run", null, e.Message);
            }


            // The log's own name is authoritative: ids may contain '-', which makes the folder name ambiguous.
            string id = log is null ? match.Groups["id"].Value : System.IO.Path.GetFileNameWithoutExtension(log).Substring("run-".Length);
            return new RunFolder(directory, id, ParseFolderTime(match.Groups["time"].Value), match.Groups["mode"].Value == "offline-run", log);
        }

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

        private static string? FindLog(string directory, string folderId)
        {
            // The usual case costs one file check; listing the folder (for a log named otherwise, or none) is the
            // slow part of scanning thousands of run folders before the first run can be sorted out.
            string expected = System.IO.Path.Combine(directory, LogFileName(folderId));
            if (File.Exists(expected))
            {
                return expected;
            }

            foreach (string file in Directory.EnumerateFiles(directory, "run-*.wandb"))
            {
                return file;
            }

            return null;
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
