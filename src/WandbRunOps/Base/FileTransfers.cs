using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Errors;
using WandbRunOps.Files;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// The transfers of one Save-RunFile or Save-WandbArtifact command: each file planned against the destination,
    /// confirmed (ShouldProcess) in input order, then saved through <see cref="FileSaver"/>, <see cref="InFlight"/> at
    /// once; a FileInfo out per file in place, a catalogue error per file that fails, progress while it lasts.
    /// </summary>
    internal sealed class FileTransfers
    {
        /// <summary>How many files are checked and transferred at once: enough to hide a server's latency, few enough to be polite.</summary>
        public const int InFlight = 8;

        private readonly PSCmdlet _cmdlet;
        private readonly Action<WandbException> _writeError;
        private readonly ChangePipeline<FileSavePlan, FileInfo> _pipeline;
        private readonly ProgressDisplay _progress;

        // Which owner (run, artifact) each target path was given to in this command: a second owner's file of the same
        // name is refused, never written over the first.
        private readonly Dictionary<string, string> _claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        private long _bytesQueued;
        private long _bytesDone;
        private int _filesQueued;
        private int _filesDone;

        /// <param name="cmdlet">The command: its ShouldProcess, output, progress and verbose streams.</param>
        /// <param name="destination">The folder, resolved (see <see cref="ResolveDestination"/>).</param>
        /// <param name="force">-Force: replace a different file already there.</param>
        /// <param name="activity">The progress activity's title.</param>
        /// <param name="activityId">The progress activity's id.</param>
        /// <param name="writeError">The command's catalogue error writer.</param>
        /// <param name="stopAtFirstError">-ErrorAction Stop: no later file is written before the earlier ones succeeded.</param>
        /// <param name="cancellation">Ctrl+C.</param>
        public FileTransfers(PSCmdlet cmdlet, string destination, bool force, string activity, int activityId, Action<WandbException> writeError, bool stopAtFirstError, CancellationToken cancellation)
        {
            _cmdlet = cmdlet;
            _writeError = writeError;
            Saver = new FileSaver(destination, force);
            _progress = new ProgressDisplay(cmdlet.WriteProgress, activityId, activity);
            _pipeline = new ChangePipeline<FileSavePlan, FileInfo>(InFlight, Confirm, cancellation, stopAtFirstError: stopAtFirstError, whileWaiting: Tick);
        }

        /// <summary>Messages from the workers, passed on from the pipeline thread.</summary>
        public WorkerMessages Messages { get; } = new WorkerMessages();

        public FileSaver Saver { get; }

        /// <summary>
        /// Queues one file of <paramref name="owner"/>; a target another owner already has in this command is refused
        /// with the text <paramref name="refusal"/> makes from that owner and the target.
        /// </summary>
        public void Queue(FileToSave file, string owner, Func<string, string, string> refusal)
        {
            string target;
            try
            {
                target = Saver.TargetOf(file);
            }
            catch (WandbException e)
            {
                _writeError(e);
                return;
            }

            Interlocked.Add(ref _bytesQueued, file.Size);
            _filesQueued++;
            long reported = 0;
            Action<long> progress = bytes =>
            {
                Interlocked.Add(ref _bytesDone, bytes - reported);
                reported = bytes;
            };
            WandbException? refused = null;
            if (_claimed.TryGetValue(target, out string? other) && other != owner)
            {
                refused = new WandbException(WandbErrorKind.InvalidArgument, refusal(other, target), target);
            }
            else
            {
                _claimed[target] = owner;
            }

            FileSaver saver = Saver;
            Report(_pipeline.Add(
                file.Source,
                refused is null ? token => Task.Run(() => saver.Plan(file, token), token) : null,
                (plan, token) => saver.ApplyAsync(plan, progress, token),
                refused));
        }

        /// <summary>Waits for every queued file, reporting each; call at the end of the command.</summary>
        public void Finish()
        {
            try
            {
                do
                {
                    Report(_pipeline.Drain());
                }
                while (_pipeline.HasPending);
            }
            finally
            {
                _progress.Complete();
            }
        }

        /// <summary>Passes on the workers' messages (call on the pipeline thread).</summary>
        public void PassOn() => Messages.PassOn(_cmdlet.WriteWarning, _cmdlet.WriteVerbose, _cmdlet.WriteDebug);

        /// <summary>-Destination as a file-system path, relative to the current location, through PowerShell's providers; not a file.</summary>
        public static string ResolveDestination(SessionState session, string destination)
        {
            string resolved;
            try
            {
                resolved = session.Path.GetUnresolvedProviderPathFromPSPath(destination, out ProviderInfo provider, out _);
                if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                {
                    throw new WandbException(WandbErrorKind.InvalidArgument, "-Destination '" + destination + "' is not a file-system path (it is on the " + provider.Name + " provider).", destination);
                }
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException || e is ArgumentException)
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "-Destination '" + destination + "' is not a path that can be written to: " + e.Message, destination, e);
            }

            if (File.Exists(resolved))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "-Destination '" + resolved + "' is a file; name a folder to save into.", resolved);
            }

            return resolved;
        }

        private bool Confirm(FileSavePlan plan)
        {
            PassOn();
            if (plan.Action == FileSaveAction.Skip)
            {
                _cmdlet.WriteVerbose("'" + plan.TargetPath + "': " + plan.Why + "; not written again.");
                return false;
            }

            string verb = plan.Action == FileSaveAction.Replace ? "Replace with" : "Save";
            return _cmdlet.ShouldProcess(plan.TargetPath, verb + " " + char.ToLowerInvariant(plan.File.What[0]) + plan.File.What.Substring(1) + " (" + plan.Why + ")");
        }

        private void Report(IEnumerable<ChangeOutcome<FileSavePlan, FileInfo>> outcomes)
        {
            PassOn();
            foreach (ChangeOutcome<FileSavePlan, FileInfo> outcome in outcomes)
            {
                _filesDone++;
                if (outcome.Error is not null)
                {
                    _writeError(outcome.Error);
                }
                else if (outcome.Applied)
                {
                    WriteFile(outcome.Result!.FullName);
                }
                else if (outcome.Plan is { Action: FileSaveAction.Skip } skipped)
                {
                    WriteFile(skipped.TargetPath);
                }
            }

            Tick();
        }

        /// <summary>The saved file as Get-Item gives it (through the FileSystem provider, so it shows and pipes as its files do).</summary>
        private void WriteFile(string path)
        {
            foreach (PSObject item in _cmdlet.SessionState.InvokeProvider.Item.Get(new[] { path }, false, true))
            {
                _cmdlet.WriteObject(item);
            }
        }

        /// <summary>Passes on the workers' messages and shows how far the transfers are (only once the work lasts).</summary>
        private void Tick()
        {
            PassOn();
            long total = Interlocked.Read(ref _bytesQueued);
            long done = Math.Min(total, Interlocked.Read(ref _bytesDone));
            _progress.Update(
                _filesDone + " of " + _filesQueued + " files, " + Megabytes(done) + " of " + Megabytes(total) + " MB",
                total > 0 ? (int)Math.Min(99, done * 100 / total) : -1);
        }

        private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
    }
}
