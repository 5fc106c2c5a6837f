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
    /// (primary), and the files/ set (config, summary, metadata, legacy history and events).
    /// Where each lives is the <see cref="RunFolder"/>'s knowledge; what the log's damage means is the reader's.
    /// </summary>
    internal sealed class RunFolderContents
    {
        private RunFolderContents(RunFolder folder, RunLog? log, DateTime? writtenAt, WandbMap? configFile, WandbMap? summaryFile, WandbMap? metadata, LegacyHistory? legacyHistory, LegacyHistory? legacyEvents)
        {
            Folder = folder;
            Log = log;
            WrittenAt = writtenAt;
            ConfigFile = configFile;
            SummaryFile = summaryFile;
            Metadata = metadata;
            LegacyHistory = legacyHistory;
            LegacyEventsTime = legacyEvents?.LastTime;
        }

        public RunFolder Folder { get; }

        public RunLog? Log { get; }

        public WandbMap? ConfigFile { get; }

        public WandbMap? SummaryFile { get; }

        public WandbMap? Metadata { get; }

        public LegacyHistory? LegacyHistory { get; }

        /// <summary>The newest time in a legacy folder's events file, when it has one.</summary>
        public DateTime? LegacyEventsTime { get; }

        /// <summary>
        /// When the log (else the newest file of the folder) was last written. Used for one thing only: whether a run
        /// with no exit record is still alive. Never a time shown: a copy, clone or sync sets new write times.
        /// </summary>
        public DateTime? WrittenAt { get; }

        /// <summary>True when nothing at all could be read: no log, no files.</summary>
        public bool Empty => Log is null && ConfigFile is null && SummaryFile is null && Metadata is null && LegacyHistory is null;

        public static RunFolderContents Read(RunFolder folder, ReadDiagnostics diagnostics, CancellationToken cancellation)
        {
            if (folder.Unreadable is string why)
            {
                throw RunFile.Denied(folder.RunId, folder.Path, why);
            }

            bool listable = Listable(folder.FilesPath, diagnostics);
            WandbMap? metadata = !listable ? null : ReadFile<WandbMap>(folder, folder.MetadataPath, JsonFile.ReadObject, diagnostics, cancellation);
            WandbMap? config = !listable ? null : ReadFile<WandbMap>(folder, folder.ConfigPath, ConfigYamlReader.Read, diagnostics, cancellation);
            WandbMap? summary = !listable ? null : ReadFile<WandbMap>(folder, folder.SummaryPath, JsonFile.ReadObject, diagnostics, cancellation);
            RunLog? log = ReadLog(folder, diagnostics, cancellation);
            DateTime? writtenAt = folder.LogPath is not null ? File.GetLastWriteTimeUtc(folder.LogPath) : NewestWriteTime(folder);

            // Legacy history and events: only a folder without a readable log is read from them.
            LegacyHistory? history = log is null ? ReadLegacy(folder, folder.LocateLegacyHistory(diagnostics), diagnostics, cancellation) : null;
            LegacyHistory? events = log is null ? ReadLegacy(folder, folder.LocateLegacyEvents(diagnostics), diagnostics, cancellation) : null;
            return new RunFolderContents(folder, log, writtenAt, config, summary, metadata, history, events);
        }

        /// <summary>The folder's <see cref="RunFolder.MetadataFileName"/> as the listing reads it; null, with a warning when it exists but cannot be used.</summary>
        internal static WandbMap? ReadMetadataFile(RunFolder folder, ReadDiagnostics diagnostics, CancellationToken cancellation) =>
            Listable(folder.FilesPath, diagnostics) ? ReadFile<WandbMap>(folder, folder.MetadataPath, JsonFile.ReadObject, diagnostics, cancellation) : null;

        /// <summary>The folder's log; null, with a warning, when it cannot be read as one (the run is then read from its files).</summary>
        private static RunLog? ReadLog(RunFolder folder, ReadDiagnostics diagnostics, CancellationToken cancellation)
        {
            if (folder.LogPath is null)
            {
                // A directory where the log should be is not a log; say so rather than read the run from files/ silently.
                SkippedIfDirectory(folder.ExpectedLogPath, diagnostics);
                return null;
            }

            diagnostics.Verbose("Reading run log '" + folder.LogPath + "'.");
            try
            {
                using Stream? stream = RunFile.Open(folder.Path, folder.LogPath);
                return stream is null ? null : RunLogReader.Read(stream, folder.LogPath, cancellation);
            }
            catch (LogFormatException e)
            {
                diagnostics.Warning(e.Message + " The run is read from its files/ folder instead.");
            }
            catch (RunFileRefusedException e)
            {
                diagnostics.Warning(e.Message + " The run is read from its files/ folder instead.");
            }
            catch (UnauthorizedAccessException e)
            {
                // Not damage and not absence: the run cannot be told truly from its files/ alone, so it is an error for the run.
                throw RunFile.Denied(folder.RunId, folder.LogPath, e.Message);
            }
            catch (IOException e)
            {
                diagnostics.Warning("Cannot read the run log '" + folder.LogPath + "': " + e.Message + " The run is read from its files/ folder instead.");
            }

            return null;
        }

        /// <summary>A legacy jsonl file the folder located (see <see cref="RunFolder.LocateLegacyHistory"/>); null when there is none or it cannot be read.</summary>
        private static LegacyHistory? ReadLegacy(RunFolder folder, string? path, ReadDiagnostics diagnostics, CancellationToken cancellation)
        {
            if (path is null)
            {
                return null;
            }

            try
            {
                // History can be large: streamed, not bounded like the small files.
                using Stream? stream = RunFile.Open(folder.Path, path);
                return stream is null ? null : LegacyHistory.Read(stream, cancellation);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                diagnostics.Warning(e is RunFileRefusedException ? e.Message : "Skipped '" + path + "': " + e.Message);
                return null;
            }
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

        /// <summary>A small file of the run (see <see cref="RunFile"/>); null, with a warning when it exists but cannot be used.</summary>
        private static T? ReadFile<T>(RunFolder folder, string path, Func<byte[], string, T> read, ReadDiagnostics diagnostics, CancellationToken cancellation)
            where T : class
        {
            try
            {
                // A broken or looping link does not "exist" for File.Exists, but is worth saying: it is checked as a link.
                if (SkippedIfDirectory(path, diagnostics) || (!File.Exists(path) && !IsLink(path)))
                {
                    return null;
                }

                byte[]? bytes = RunFile.ReadSmall(folder.Path, path, cancellation);
                return bytes is null ? null : read(bytes, path);
            }
            catch (RunFileRefusedException e)
            {
                diagnostics.Warning(e.Message);
                return null;
            }
            catch (Exception e) when (e is FormatException || e is IOException || e is UnauthorizedAccessException)
            {
                diagnostics.Warning("Skipped '" + path + "': " + e.Message);
                return null;
            }
        }

        /// <summary>A files/ folder that cannot be listed hides its files from File.Exists: say so rather than read nothing silently.</summary>
        private static bool Listable(string files, ReadDiagnostics diagnostics)
        {
            try
            {
                using IEnumerator<string> entries = Directory.EnumerateFileSystemEntries(files).GetEnumerator();
                entries.MoveNext();
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                diagnostics.Warning("Cannot read the run files folder '" + files + "': " + e.Message + " The run is read without its files.");
                return false;
            }
        }

        private static bool IsLink(string path)
        {
            var info = new FileInfo(path);
            return info.Exists || (int)info.Attributes != -1 && (info.Attributes & FileAttributes.ReparsePoint) != 0;
        }

        private static DateTime? NewestWriteTime(RunFolder folder)
        {
            // The folder and its files/ set only: media trees can be large, and the metadata files are what a run rewrites.
            DateTime? newest = null;
            foreach (string place in new[] { folder.Path, folder.FilesPath }.Distinct())
            {
                if (!Directory.Exists(place))
                {
                    continue;
                }

                try
                {
                    foreach (string file in Directory.EnumerateFiles(place))
                    {
                        var info = new FileInfo(file);
                        if (info.Exists && (newest is null || info.LastWriteTimeUtc > newest))
                        {
                            newest = info.LastWriteTimeUtc;
                        }
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // A files/ folder that cannot be listed has no write times to give (Listable said so).
                    continue;
                }
            }

            return newest;
        }
    }
}
