using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using WandbRunOps.Diagnostics;

namespace WandbRunOps.Local
{
    /// <summary>
    /// One run folder the SDK wrote: <c>run-YYYYMMDD_HHMMSS-id</c> or <c>offline-run-…</c>, or a legacy (≤0.9) one.
    /// The one place that knows the names and places of what a run folder holds: its log, its files/ set (config,
    /// summary, metadata, console output, requirements, diff) and its legacy history and events. The run listing, the
    /// history reader and every later reader of a run's files ask it; none of them spells a file name.
    /// </summary>
    public sealed class RunFolder
    {
        /// <summary>The folder the SDK writes runs into (<c>./wandb</c>, or <c>./.wandb</c> when that exists), in the order it looks.</summary>
        public static readonly IReadOnlyList<string> WandbDirectoryNames = new[] { "wandb", ".wandb" };

        /// <summary>The extension of a run's transaction log.</summary>
        public const string LogExtension = ".wandb";

        /// <summary>What a run's log is called before its id: <c>run-&lt;id&gt;.wandb</c>.</summary>
        private const string LogPrefix = "run-";

        /// <summary>Every run log in one folder (current SDKs write one; copies and mistakes may leave more).</summary>
        internal const string LogSearchPattern = LogPrefix + "*" + LogExtension;

        /// <summary>The folder of uploaded run files; legacy (≤0.9) runs keep them in the run folder itself.</summary>
        public const string FilesFolderName = "files";

        /// <summary>The run's config as the SDK saves it, each key wrapped as <c>{desc, value}</c> or <c>{value}</c>.</summary>
        public const string ConfigFileName = "config.yaml";

        /// <summary>The run's summary (its last values and what it wrote to <c>run.summary</c>).</summary>
        public const string SummaryFileName = "wandb-summary.json";

        /// <summary>Program, arguments, git, host, Python and hardware facts; start time and, for legacy runs, the outcome.</summary>
        public const string MetadataFileName = "wandb-metadata.json";

        /// <summary>The console output as the SDK saved it (current SDKs may leave it empty and keep the console in the log).</summary>
        public const string OutputLogFileName = "output.log";

        /// <summary>The Python packages of the run's environment.</summary>
        public const string RequirementsFileName = "requirements.txt";

        /// <summary>Uncommitted changes of the run's git checkout.</summary>
        public const string DiffFileName = "diff.patch";

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

        /// <summary>The marker <c>wandb sync</c> leaves beside an offline run's log once the server has it.</summary>
        public const string SyncedMarkerSuffix = ".synced";

        /// <summary>
        /// Whether W&amp;B's server has this run: a <c>run-*</c> folder was streamed to it as it ran; an
        /// <c>offline-run-*</c> folder once <c>wandb sync</c> left <c>run-&lt;id&gt;.wandb.synced</c> beside its log.
        /// </summary>
        public bool Synced => !Offline || File.Exists((LogPath ?? ExpectedLogPath) + SyncedMarkerSuffix);

        /// <summary>The <c>run-&lt;id&gt;.wandb</c> log, or null when the folder has none (legacy SDKs, or it was lost).</summary>
        public string? LogPath { get; private set; }

        /// <summary>Where the uploaded-files set lives: <c>files/</c>, or the folder itself for legacy runs.</summary>
        public string FilesPath => Directory.Exists(FilesFolder) ? FilesFolder : Path;

        /// <summary>
        /// The folder whose files are the run's uploaded files (<c>Get-RunFile</c>): <c>files/</c>; a legacy folder (no
        /// log, no <c>files/</c>) keeps them in the run folder itself; null for a folder with a log and no <c>files/</c>
        /// (its log, debug logs and temporary files are not the run's files).
        /// </summary>
        public string? UploadedFilesPath => Directory.Exists(FilesFolder) ? FilesFolder : LogPath is null ? Path : null;

        /// <summary>The path of <paramref name="name"/> (<c>/</c>-separated, relative) in the run's files set; the file may not exist.</summary>
        public string FilePath(string name) =>
            System.IO.Path.Combine(FilesPath, name.Replace('/', System.IO.Path.DirectorySeparatorChar));

        /// <summary>Where the run's <see cref="ConfigFileName"/> is (it may not exist), and so on for the files below.</summary>
        public string ConfigPath => FilePath(ConfigFileName);

        public string SummaryPath => FilePath(SummaryFileName);

        public string MetadataPath => FilePath(MetadataFileName);

        public string OutputLogPath => FilePath(OutputLogFileName);

        public string RequirementsPath => FilePath(RequirementsFileName);

        public string DiffPath => FilePath(DiffFileName);

        /// <summary>Where the log of this folder's run belongs when it is where the SDK puts it (it may not exist).</summary>
        public string ExpectedLogPath => System.IO.Path.Combine(Path, LogFileName(RunId));

        /// <summary>Where a legacy folder may keep its history: beside the run's files (≤0.9), or in files/ (copies, syncs).</summary>
        public IReadOnlyList<string> LegacyHistoryPlaces => LegacyPlaces(LegacyHistoryFileName);

        /// <summary>Where a legacy folder may keep its events, as for <see cref="LegacyHistoryPlaces"/>.</summary>
        public IReadOnlyList<string> LegacyEventsPlaces => LegacyPlaces(LegacyEventsFileName);

        /// <summary>
        /// The legacy history file the run is read from, or null when the folder has none; a directory in one of its
        /// places is warned about. The listing's <c>HistoryCount</c> and Get-RunHistory's rows both come from here, so
        /// they cannot read different files.
        /// </summary>
        internal string? LocateLegacyHistory(ReadDiagnostics diagnostics) => Locate(LegacyHistoryPlaces, diagnostics);

        /// <summary>The legacy events file, as <see cref="LocateLegacyHistory"/> finds the history.</summary>
        internal string? LocateLegacyEvents(ReadDiagnostics diagnostics) => Locate(LegacyEventsPlaces, diagnostics);

        private string FilesFolder => System.IO.Path.Combine(Path, FilesFolderName);

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
            string? log = Directory.EnumerateFiles(directory, LogSearchPattern).FirstOrDefault();
            return log is null ? null : new RunFolder(directory, RunIdOfLog(log), null, false, log);
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
            return new RunFolder(directory, RunIdOfLog(logPath), folder?.FolderTime, folder?.Offline ?? false, logPath);
        }

        /// <summary>The name the SDK gives a run's log: <c>run-&lt;id&gt;.wandb</c>.</summary>
        public static string LogFileName(string runId) => LogPrefix + runId + LogExtension;

        /// <summary>True when <paramref name="path"/> is named like a run log (any name ending in <c>.wandb</c>: a user may rename one).</summary>
        public static bool IsLogName(string path) => path.EndsWith(LogExtension, StringComparison.OrdinalIgnoreCase);

        /// <summary>True when <paramref name="directory"/> holds a run log directly.</summary>
        internal static bool HoldsLog(string directory) => Directory.EnumerateFiles(directory, LogSearchPattern).Any();

        /// <summary>The run id a log's file name gives: <c>run-&lt;id&gt;.wandb</c> → id (a renamed log: its name without the extension).</summary>
        private static string RunIdOfLog(string logPath)
        {
            string name = System.IO.Path.GetFileNameWithoutExtension(logPath);
            return name.StartsWith(LogPrefix, StringComparison.Ordinal) ? name.Substring(LogPrefix.Length) : name;
        }

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

            string[] logs = Directory.EnumerateFiles(directory, LogSearchPattern).OrderBy(f => f, StringComparer.Ordinal).ToArray();
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
            new[] { System.IO.Path.Combine(Path, fileName), System.IO.Path.Combine(FilesFolder, fileName) };

        /// <summary>The first of <paramref name="places"/> that holds a file; a directory in one of them is warned about.</summary>
        private static string? Locate(IReadOnlyList<string> places, ReadDiagnostics diagnostics)
        {
            string? found = null;
            foreach (string place in places)
            {
                if (!RunFolderContents.SkippedIfDirectory(place, diagnostics) && found is null && File.Exists(place))
                {
                    found = place;
                }
            }

            return found;
        }

        private static DateTime? ParseFolderTime(string text) =>
            DateTime.TryParseExact(text, "yyyyMMdd_HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTime local)
                ? local.ToUniversalTime()
                : null;

        public override string ToString() => Path;
    }
}
