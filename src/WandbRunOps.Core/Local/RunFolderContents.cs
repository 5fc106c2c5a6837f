using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Local.Files;
using WandbRunOps.Local.Log;
using WandbRunOps.Values;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Everything one run folder holds, each source read on its own so a damaged file costs only that file: the log
    /// (primary), and the files/ set (config.yaml, wandb-summary.json, wandb-metadata.json, legacy history and events).
    /// Where each lives is the <see cref="RunFolder"/>'s knowledge; what the log's damage means is the reader's.
    /// </summary>
    internal sealed class RunFolderContents
    {
        private RunFolderContents(RunFolder folder) => Folder = folder;

        public RunFolder Folder { get; }

        public RunLog? Log { get; private set; }

        public WandbMap? ConfigFile { get; private set; }

        public WandbMap? SummaryFile { get; private set; }

        public WandbMap? Metadata { get; private set; }

        public LegacyHistory? LegacyHistory { get; private set; }

        /// <summary>The newest time in a legacy folder's <c>wandb-events.jsonl</c>, when it has one.</summary>
        public DateTime? LegacyEventsTime { get; private set; }

        /// <summary>
        /// When the log (else the newest file of the folder) was last written. Used for one thing only: whether a run
        /// with no exit record is still alive. Never a time shown: a copy, clone or sync sets new write times.
        /// </summary>
        public DateTime? WrittenAt { get; private set; }

        /// <summary>True when nothing at all could be read: no log, no files.</summary>
        public bool Empty => Log is null && ConfigFile is null && SummaryFile is null && Metadata is null && LegacyHistory is null;

        public static RunFolderContents Read(RunFolder folder, ReadDiagnostics diagnostics, CancellationToken cancellation)
        {
            var contents = new RunFolderContents(folder);
            string files = folder.FilesPath;
            contents.Metadata = ReadFile(Path.Combine(files, "wandb-metadata.json"), JsonFile.ReadObject, diagnostics);
            contents.ConfigFile = ReadFile(Path.Combine(files, "config.yaml"), ConfigYamlReader.Read, diagnostics);
            contents.SummaryFile = ReadFile(Path.Combine(files, "wandb-summary.json"), JsonFile.ReadObject, diagnostics);

            if (folder.LogPath is not null)
            {
                diagnostics.Verbose("Reading run log '" + folder.LogPath + "'.");
                contents.WrittenAt = File.GetLastWriteTimeUtc(folder.LogPath);
                try
                {
                    contents.Log = RunLogReader.Read(folder.LogPath, cancellation);
                }
                catch (LogFormatException e)
                {
                    diagnostics.Warning(e.Message + " The run is read from its files/ folder instead.");
                }
                catch (IOException e)
                {
                    diagnostics.Warning("Cannot read the run log '" + folder.LogPath + "': " + e.Message + " The run is read from its files/ folder instead.");
                }
            }
            else
            {
                // A directory where the log should be is not a log; say so rather than read the run from files/ silently.
                SkippedIfDirectory(Path.Combine(folder.Path, RunFolder.LogFileName(folder.RunId)), diagnostics);
                contents.WrittenAt = NewestWriteTime(folder.Path);
            }

            // Legacy history and events: only a folder without a readable log is read from them.
            if (contents.Log is null)
            {
                contents.LegacyHistory = ReadLegacy(folder.LegacyHistoryPlaces, diagnostics);
                contents.LegacyEventsTime = ReadLegacy(folder.LegacyEventsPlaces, diagnostics)?.LastTime;
            }

            return contents;
        }

        /// <summary>The first of <paramref name="places"/> that holds the file (a directory in its place is warned about).</summary>
        private static LegacyHistory? ReadLegacy(IReadOnlyList<string> places, ReadDiagnostics diagnostics)
        {
            foreach (string place in places)
            {
                if (!SkippedIfDirectory(place, diagnostics) && File.Exists(place))
                {
                    return ReadFile(place, LegacyHistory.Read, diagnostics);
                }
            }

            return null;
        }

        /// <summary>True, with a warning, when <paramref name="path"/> names a directory where a run file belongs.</summary>
        internal static bool SkippedIfDirectory(string path, ReadDiagnostics diagnostics)
        {
            if (!Directory.Exists(path))
            {
                return false;
            }

            diagnostics.Warning("Skipped '" + path + "': it is a directory, not a file.");
            return true;
        }

        private static T? ReadFile<T>(string path, Func<string, T> read, ReadDiagnostics diagnostics)
            where T : class
        {
            if (SkippedIfDirectory(path, diagnostics) || !File.Exists(path))
            {
                return null;
            }

            try
            {
                return read(path);
            }
            catch (Exception e) when (e is FormatException || e is IOException || e is UnauthorizedAccessException)
            {
                diagnostics.Warning("Skipped '" + path + "': " + e.Message);
                return null;
            }
        }

        private static DateTime? NewestWriteTime(string directory)
        {
            // The folder and its files/ set only: media trees can be large, and the metadata files are what a run rewrites.
            DateTime? newest = null;
            foreach (string place in new[] { directory, Path.Combine(directory, "files") })
            {
                if (!Directory.Exists(place))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(place))
                {
                    var info = new FileInfo(file);
                    if (info.Exists && (newest is null || info.LastWriteTimeUtc > newest))
                    {
                        newest = info.LastWriteTimeUtc;
                    }
                }
            }

            return newest;
        }
    }
}
