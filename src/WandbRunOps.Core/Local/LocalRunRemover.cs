using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Removes a local run: every folder of it (a resumed run has several). Never a run that is still running, never
    /// an offline run that was not synced (its folders hold the only copy) unless asked, and never anything that is
    /// not a run folder: each folder is opened as one again before it goes.
    /// </summary>
    internal sealed class LocalRunRemover : IRunRemover
    {
        private readonly ReadDiagnostics _diagnostics;

        public LocalRunRemover(ReadDiagnostics diagnostics)
        {
            _diagnostics = diagnostics;
        }

        public Task<RunRemovalPlan> PlanAsync(WandbRun run, RunRemovalOptions options, CancellationToken cancellation)
        {
            IReadOnlyList<string> folders = run.Folders.Count > 0 ? run.Folders : run.Path is null ? Array.Empty<string>() : new[] { run.Path };
            string target = folders.Count > 0 ? folders[folders.Count - 1] : run.Id;
            string label = run.Name is null ? run.Id : run.Id + " (" + run.Name + ")";
            if (folders.Count == 0)
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "Run '" + run.Id + "' names no run folder to remove.", run.Id);
            }

            if (run.State == RunState.Running)
            {
                throw new WandbException(
                    WandbErrorKind.InvalidArgument,
                    "Run " + label + " is Running (no exit record, and its log was written in the last minutes): the folders of a running run are not removed. " +
                    "Wait for it to end and try again.",
                    target);
            }

            if (run.Synced == false && !options.IncludeUnsynced)
            {
                throw new WandbException(
                    WandbErrorKind.InvalidArgument,
                    "Run " + label + " is an offline run that was never synced: its folders hold the only copy of its data. " +
                    "Sync it first (wandb sync '" + target + "'), or add -IncludeUnsynced to remove it anyway.",
                    target);
            }

            foreach (string folder in folders)
            {
                cancellation.ThrowIfCancellationRequested();
                CheckIsRunFolder(folder, run.Id);
            }

            long bytes = folders.Sum(SizeOf);
            string description = "remove run folder" + (folders.Count == 1 ? " " : "s ") + string.Join(", ", folders) + " (" + Size(bytes) + ")";
            return Task.FromResult(new RunRemovalPlan(label, target, description) { Folders = folders });
        }

        public Task RemoveAsync(RunRemovalPlan plan, CancellationToken cancellation)
        {
            foreach (string folder in plan.Folders)
            {
                cancellation.ThrowIfCancellationRequested();
                try
                {
                    Directory.Delete(folder, recursive: true);
                    _diagnostics.Verbose("Removed the run folder '" + folder + "'.");
                }
                catch (DirectoryNotFoundException)
                {
                    _diagnostics.Verbose("The run folder '" + folder + "' was already gone.");
                }
                catch (Exception e) when (e is UnauthorizedAccessException || e is IOException)
                {
                    string left = string.Join(", ", plan.Folders.Where(Directory.Exists).Select(f => "'" + f + "'"));
                    throw new WandbException(
                        e is UnauthorizedAccessException ? WandbErrorKind.PermissionDenied : WandbErrorKind.ProtocolError,
                        "Run " + plan.Label + " was not fully removed: '" + folder + "' could not be deleted (" + e.Message + ")." + (left.Length > 0 ? " Still present: " + left + "." : string.Empty),
                        folder,
                        e);
                }
            }

            return Task.CompletedTask;
        }

        /// <summary>Refuses a path that is not (or no longer) a run folder of this run, and a link (whose target is not the run's to delete).</summary>
        private static void CheckIsRunFolder(string folder, string runId)
        {
            var info = new DirectoryInfo(folder);
            if (!info.Exists)
            {
                throw new WandbException(WandbErrorKind.RunNotFound, "The run folder '" + folder + "' of run '" + runId + "' is gone.", folder);
            }

            if (RunFolderLink.IsLink(folder))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "'" + folder + "' is a link, not the run folder itself; it was not removed. Remove the folder it points to by its own path.", folder);
            }

            RunFolder? opened = RunFolder.TryOpen(folder);
            if (opened is null || !string.Equals(opened.RunId, runId, StringComparison.Ordinal))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "'" + folder + "' is not a run folder of run '" + runId + "'; it was not removed.", folder);
            }
        }

        /// <summary>The bytes under a folder, not following links (a link inside a run folder is not the run's data).</summary>
        private static long SizeOf(string folder)
        {
            long total = 0;
            var pending = new Stack<DirectoryInfo>();
            pending.Push(new DirectoryInfo(folder));
            while (pending.Count > 0)
            {
                foreach (FileSystemInfo entry in pending.Pop().EnumerateFileSystemInfos())
                {
                    if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
                    {
                        continue;
                    }

                    if (entry is DirectoryInfo directory)
                    {
                        pending.Push(directory);
                    }
                    else if (entry is FileInfo file)
                    {
                        total += file.Length;
                    }
                }
            }

            return total;
        }

        private static string Size(long bytes) =>
            bytes >= 1 << 20 ? (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
            : bytes >= 1 << 10 ? (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB"
            : bytes + " bytes";
    }
}
