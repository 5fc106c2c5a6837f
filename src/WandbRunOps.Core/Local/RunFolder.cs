using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

namespace WandbRunOps.Local
{
    /// <summary>One run folder the SDK wrote: <c>run-YYYYMMDD_HHMMSS-id</c> or <c>offline-run-…</c>, or a legacy (≤0.9) one.</summary>
    public sealed class RunFolder
    {
        private static readonly Regex NamePattern = new Regex(
            @"^(?<mode>run|offline-run)-(?<time>\d{8}_\d{6})-(?<id>.+)$",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private RunFolder(string path, string runId, DateTime? folderTime, bool offline, string? logPath)
        {
            Path = path;
            RunId = runId;
            FolderTime = folderTime;
            Offline = offline;
            LogPath = logPath;
        }

        public string Path { get; }

        public string RunId { get; }

        /// <summary>The start time in the folder name: the writing machine's local time, read here as this machine's local time.</summary>
        public DateTime? FolderTime { get; }

        public bool Offline { get; }

        /// <summary>The <c>run-&lt;id&gt;.wandb</c> log, or null when the folder has none (legacy SDKs, or it was lost).</summary>
        public string? LogPath { get; }

        /// <summary>Where the uploaded-files set lives: <c>files/</c>, or the folder itself for legacy runs.</summary>
        public string FilesPath => Directory.Exists(System.IO.Path.Combine(Path, "files")) ? System.IO.Path.Combine(Path, "files") : Path;

        /// <summary>Recognises a run folder by its name; null for any other directory.</summary>
        public static RunFolder? TryOpen(string directory)
        {
            string name = System.IO.Path.GetFileName(directory.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
            Match match = NamePattern.Match(name);
            if (!match.Success)
            {
                return null;
            }

            string? log = FindLog(directory, match.Groups["id"].Value);

            // The log's own name is authoritative: ids may contain '-', which makes the folder name ambiguous.
            string id = log is null ? match.Groups["id"].Value : System.IO.Path.GetFileNameWithoutExtension(log).Substring("run-".Length);
            return new RunFolder(directory, id, ParseFolderTime(match.Groups["time"].Value), match.Groups["mode"].Value == "offline-run", log);
        }

        /// <summary>A single log named explicitly: that file, in its folder, with nothing merged in.</summary>
        public static RunFolder ForLog(string logPath)
        {
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

        private static DateTime? ParseFolderTime(string text) =>
            DateTime.TryParseExact(text, "yyyyMMdd_HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTime local)
                ? local.ToUniversalTime()
                : null;

        public override string ToString() => Path;
    }
}
