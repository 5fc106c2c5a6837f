using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WandbRunOps.Errors;
using WandbRunOps.Model;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Finds run folders under the paths a user names: a <c>wandb</c> folder, a project folder that holds one, a run
    /// folder, or a single <c>.wandb</c> log. Only directory listings happen here; logs are read later, one run at a time.
    /// </summary>
    public static class RunFolderScanner
    {
        /// <summary>
        /// The runs under <paramref name="paths"/>, grouped by run id, oldest first. A path that cannot be used is
        /// reported through <paramref name="onError"/> and the others are still scanned. What was skipped or decided
        /// (a folder holding a run log under a name that is not a run folder's, a second log, a log named for another
        /// run) goes to <paramref name="onWarning"/>, once per folder.
        /// </summary>
        public static IReadOnlyList<RunFolderGroup> Scan(IEnumerable<string> paths, Action<WandbException> onError, Action<string>? onWarning = null)
        {
            Action<string> warn = onWarning ?? (_ => { });
            var byId = new Dictionary<string, List<RunFolder>>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string path in paths)
            {
                foreach (RunFolder folder in FoldersAt(path, onError, warn))
                {
                    string key = folder.LogPath ?? folder.Path;
                    if (!seen.Add(key))
                    {
                        continue;
                    }

                    foreach (string anomaly in folder.Anomalies)
                    {
                        warn(anomaly);
                    }

                    if (!byId.TryGetValue(folder.RunId, out List<RunFolder>? list))
                    {
                        byId.Add(folder.RunId, list = new List<RunFolder>());
                    }

                    list.Add(folder);
                }
            }

            return byId
                .Select(pair => new RunFolderGroup(pair.Key, pair.Value))
                .OrderBy(group => group.FolderTime ?? DateTime.MinValue)
                .ThenBy(group => group.RunId, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>
        /// The folders of a run read before, found again: the folders its object names (every part of a resumed run),
        /// else the run's id looked up under its path (a run object rebuilt from rows or deserialized). The one way
        /// every later read of a run (artifacts, history, and the files, logs and metadata still to come) gets back
        /// to its folders. Throws <see cref="WandbException"/>: PathNotFound for a named folder that is gone,
        /// RunNotFound when the run has no folder or is no longer under its path.
        /// </summary>
        /// <param name="run">The run, as the local source gave it or as a user rebuilt it.</param>
        /// <param name="purpose">What is to be read, for the error: "history", "artifacts"…</param>
        public static RunFolderGroup Refind(WandbRun run, string purpose)
        {
            string[] named = run.Folders.Where(f => !string.IsNullOrEmpty(f)).ToArray();
            foreach (string folder in named)
            {
                if (!Directory.Exists(folder))
                {
                    throw new WandbException(WandbErrorKind.PathNotFound, "The run folder '" + folder + "' of run '" + run.Id + "' no longer exists.", folder);
                }
            }

            if (named.Length > 0)
            {
                return new RunFolderGroup(run.Id, named.Select(f => RunFolder.At(f, run.Id)));
            }

            if (run.Path is null)
            {
                throw new WandbException(WandbErrorKind.RunNotFound, "Run '" + run.Id + "' has no run folder to read its " + purpose + " from.", run.Id);
            }

            WandbException? failure = null;
            return Scan(new[] { run.Path }, e => failure ??= e).FirstOrDefault(g => g.RunId == run.Id)
                ?? throw failure ?? new WandbException(WandbErrorKind.RunNotFound, "Run '" + run.Id + "' is no longer in '" + run.Path + "'.", run.Path);
        }

        private static IEnumerable<RunFolder> FoldersAt(string path, Action<WandbException> onError, Action<string> warn)
        {
            try
            {
                return FoldersAtCore(path, warn);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                onError(e is UnauthorizedAccessException
                    ? new WandbException(WandbErrorKind.PermissionDenied, "Cannot read '" + path + "': permission denied (" + e.Message + ").", path, e)
                    : new WandbException(WandbErrorKind.PathNotFound, "Cannot read '" + path + "': " + e.Message, path, e));
                return Array.Empty<RunFolder>();
            }
        }

        private static IEnumerable<RunFolder> FoldersAtCore(string path, Action<string> warn)
        {
            if (File.Exists(path) && RunFolder.IsLogName(path))
            {
                return new[] { RunFolder.ForLog(path) };
            }

            // wandb/latest-run and any other link stand for what they point at, under its real name.
            string? target = RunFolderLink.Resolve(path);
            if (target is not null)
            {
                path = target;
            }
            else if (File.Exists(path))
            {
                throw new IOException("it is a file but not a .wandb run log (nor a link to a run folder)");
            }

            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException("the path does not exist");
            }

            RunFolder? single = RunFolder.TryOpen(path);
            if (single is not null)
            {
                // A run folder stands for its run: the resumed parts beside it (same id) belong to it too.
                string? parent = Path.GetDirectoryName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar));
                return parent is null
                    ? new[] { single }
                    : RunFoldersIn(parent, null).Where(f => f.RunId == single.RunId).DefaultIfEmpty(single);
            }

            List<RunFolder> inside = RunFoldersIn(path, warn).ToList();
            if (inside.Count > 0)
            {
                return inside;
            }

            // A project folder: the SDK writes ./wandb, or ./.wandb when that exists.
            foreach (string name in RunFolder.WandbDirectoryNames)
            {
                string nested = Path.Combine(path, name);
                if (Directory.Exists(nested))
                {
                    return RunFoldersIn(nested, warn).ToList();
                }
            }

            // A run folder under another name: a link the runtime could not resolve (Windows PowerShell), a renamed copy.
            RunFolder? byLog = RunFolder.TryOpenByLog(path);
            if (byLog is not null)
            {
                return new[] { byLog };
            }

            // A wandb folder without runs (yet) is simply empty; any other folder without runs was probably a mistake.
            string folderName = Path.GetFileName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar));
            if (RunFolder.WandbDirectoryNames.Contains(folderName))
            {
                return Array.Empty<RunFolder>();
            }

            throw new IOException("it holds no run folders (run-*, offline-run-*) and no wandb folder");
        }

        /// <summary>
        /// The run folders in <paramref name="directory"/>, by name. A folder under another name that holds a run log
        /// (a renamed copy) is skipped with a warning that says how to read it; links (wandb/latest-run) and the SDK's
        /// other folders (sweep-*, artifacts, media caches) hold no log of their own and are skipped without a word.
        /// </summary>
        private static IEnumerable<RunFolder> RunFoldersIn(string directory, Action<string>? warn)
        {
            var folders = new List<RunFolder>();
            foreach (string child in Directory.EnumerateDirectories(directory))
            {
                RunFolder? folder = RunFolder.TryOpen(child);
                if (folder is not null)
                {
                    folders.Add(folder);
                }
                else if (warn is not null && RunFolderLink.Resolve(child) is null && RunFolder.HoldsLog(child))
                {
                    warn("Folder '" + child + "' holds a run log but is not named like a run folder (run-<date>_<time>-<id>, offline-run-…): skipped. To read it, name it with -Path.");
                }
            }

            return folders;
        }
    }
}
