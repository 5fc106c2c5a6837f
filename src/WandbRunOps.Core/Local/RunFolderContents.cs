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
            if (folder.Unreadable is string why)
            {
                throw RunFile.Denied(folder.RunId, folder.Path, why);
            }

            var contents = new RunFolderContents(folder);
            string files = folder.FilesPath;
            bool listable = Listable(files, diagnostics);
            contents.Metadata = !listable ? null : ReadFile(folder, Path.Combine(files, "wandb-metadata.json"), (bytes, path) => JsonFile.ReadObject(bytes, path), diagnostics, cancellation);
            contents.ConfigFile = !listable ? null : ReadFile(folder, Path.Combine(files, "config.yaml"), (bytes, path) => ConfigYamlReader.Read(bytes, path), diagnostics, cancellation);
            contents.SummaryFile = !listable ? null : ReadFile(folder, Path.Combine(files, "wandb-summary.json"), (bytes, path) => JsonFile.ReadObject(bytes, path), diagnostics, cancellation);

            if (folder.LogPath is not null)
            {
                diagnostics.Verbose("Reading run log '" + folder.LogPath + "'.");
                contents.WrittenAt = File.GetLastWriteTimeUtc(folder.LogPath);
                try
                {
                    using Stream? stream = RunFile.Open(folder.Path, folder.LogPath);
                    contents.Log = stream is null ? null : RunLogReader.Read(stream, folder.LogPath, cancellation);
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
            }
            else
            {
                // A directory where the log should be is not a log; say so rather than read the run from files/ silently.
                // (The places a legacy folder keeps its files are below; an unlistable files/ was warned about above.)
                SkippedIfDirectory(Path.Combine(folder.Path, RunFolder.LogFileName(folder.RunId)), diagnostics);
                contents.WrittenAt = NewestWriteTime(folder.Path);
            }

            // Legacy history and events: only a folder without a readable log is read from them.
            if (contents.Log is null)
            {
                contents.LegacyHistory = ReadLegacy(folder, folder.LegacyHistoryPlaces, diagnostics, cancellation);
                contents.LegacyEventsTime = ReadLegacy(folder, folder.LegacyEventsPlaces, diagnostics, cancellation)?.LastTime;
            }

            return contents;
        }

        /// <summary>The first of <paramref name="places"/> that holds the file (a directory in its place is warned about).</summary>
        private static LegacyHistory? ReadLegacy(RunFolder folder, IReadOnlyList<string> places, ReadDiagnostics diagnostics, CancellationToken cancellation)
        {
            foreach (string place in places)
            {
                if (SkippedIfDirectory(place, diagnostics) || !File.Exists(place))
                {
                    continue;
                }

                try
                {
                    // History can be large: streamed, not bounded like the small files.
                    using Stream? stream = RunFile.Open(folder.Path, place);
                    return stream is null ? null : LegacyHistory.Read(stream, cancellation);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    diagnostics.Warning(e is RunFileRefusedException ? e.Message : "Skipped '" + place + "': " + e.Message);
                    return null;
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
