using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Commands.Base;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Saves run files under a destination folder, keeping their paths inside the run: downloads them from their direct
    /// URLs (API) or copies them (local), several at once. A file already there with the same size and MD5 is skipped;
    /// each written file is verified and appears under its name only once complete. Emits a FileInfo per file in place.
    /// </summary>
    [Cmdlet(VerbsData.Save, "RunFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Docs + "Save-RunFile.md")]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveRunFileCommand : RunInputCmdlet
    {
        private const string FileSet = "File";

        /// <summary>How many files are checked and transferred at once: enough to hide a server's latency, few enough to be polite.</summary>
        private const int TransfersInFlight = 8;

        private const int ProgressActivityId = 0x575346;
        private const string ProgressActivity = "Saving W&B run files";

        private readonly WorkerMessages _messages = new WorkerMessages();

        // Which run each target path was given to in this command: a second run's file of the same name is refused,
        // never written over the first (save several runs to one folder each).
        private readonly Dictionary<string, string> _claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        private ChangePipeline<FileSavePlan, FileInfo>? _pipeline;
        private RunFileSaver? _saver;
        private FileNameFilter _names = FileNameFilter.All;
        private ProgressDisplay? _progress;
        private long _bytesQueued;
        private long _bytesDone;
        private int _filesQueued;
        private int _filesDone;

        /// <summary>Run files to save, from Get-RunFile.</summary>
        [Parameter(ParameterSetName = FileSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public WandbRunFile[] File { get; set; } = null!;

        /// <summary>The folder to save into (created when missing); each file goes to its name's path under it.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = null!;

        /// <summary>Only the files of the runs with these names (wildcards allowed); not used with files piped in.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = RunSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFileNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Replace a file already at the destination that differs from the run's (without it, that file is an error and left as it is).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RunCore(() =>
            {
                _names = new FileNameFilter(Name);
                _saver = new RunFileSaver(ResolveDestination(), Force.IsPresent);
                _progress = new ProgressDisplay(WriteProgress, ProgressActivityId, ProgressActivity);
                _pipeline = new ChangePipeline<FileSavePlan, FileInfo>(TransfersInFlight, Confirm, Cancellation, stopAtFirstError: StopsAtFirstError(), whileWaiting: Tick);
            });
        }

        private protected override bool ProcessOtherInput()
        {
            if (ParameterSetName != FileSet)
            {
                return false;
            }

            foreach (WandbRunFile file in File)
            {
                RunItem(file.FullName ?? file.Url ?? file.Name, () => Queue(file, RunFileSaver.ReaderOf(file) ?? OriginOf(RunOf(file)).ReportingTo(_messages.Diagnostics).Files));
            }

            return true;
        }

        private protected override void ProcessRun(WandbRun run)
        {
            IRunOrigin origin = OriginOf(run);
            IReadOnlyList<WandbRunFile> files = origin.ReportingTo(_messages.Diagnostics).Files.List(run, _names, Cancellation);
            GetRunFileCommand.NotFound.Report(run, _names, files, origin.TargetFor(run.Id), WriteWandbError);
            foreach (WandbRunFile file in files)
            {
                Queue(file, RunFileSaver.ReaderOf(file)!);
            }
        }

        protected override void EndProcessing() => RunCore(() =>
        {
            try
            {
                do
                {
                    Report(_pipeline!.Drain());
                }
                while (_pipeline.HasPending);
            }
            finally
            {
                _progress?.Complete();
            }
        });

        private void Queue(WandbRunFile file, IRunFileReader reader)
        {
            Interlocked.Add(ref _bytesQueued, file.Size);
            _filesQueued++;
            long reported = 0;
            Action<long> progress = bytes =>
            {
                Interlocked.Add(ref _bytesDone, bytes - reported);
                reported = bytes;
            };
            RunFileSaver saver = _saver!;
            string target = saver.TargetOf(file);
            WandbException? refusal = null;
            if (_claimed.TryGetValue(target, out string? owner) && owner != file.RunId)
            {
                refusal = new WandbException(
                    WandbErrorKind.InvalidArgument,
                    "File '" + file.Name + "' of run '" + file.RunId + "' is not saved: run '" + owner + "' has a file of that name, saved to '" + target + "' by this command. " +
                    "Save each run to its own folder: ... | ForEach-Object { $_ | Save-RunFile -Destination (Join-Path <folder> $_.Id) }.",
                    target);
            }
            else
            {
                _claimed[target] = file.RunId;
            }

            Report(_pipeline!.Add(
                file,
                refusal is null ? token => Task.Run(() => saver.Plan(file, reader, token), token) : null,
                (plan, token) => saver.ApplyAsync(plan, progress, token),
                refusal));
        }

        private bool Confirm(FileSavePlan plan)
        {
            _messages.PassOn(WriteWarning, WriteVerbose, WriteDebug);
            if (plan.Action == FileSaveAction.Skip)
            {
                WriteVerbose("'" + plan.TargetPath + "': " + plan.Why + "; not written again.");
                return false;
            }

            string verb = plan.Action == FileSaveAction.Replace ? "Replace with" : "Save";
            return ShouldProcess(plan.TargetPath, verb + " file '" + plan.File.Name + "' of run " + plan.File.RunId + " (" + plan.Why + ")");
        }

        private void Report(IEnumerable<ChangeOutcome<FileSavePlan, FileInfo>> outcomes)
        {
            _messages.PassOn(WriteWarning, WriteVerbose, WriteDebug);
            foreach (ChangeOutcome<FileSavePlan, FileInfo> outcome in outcomes)
            {
                _filesDone++;
                if (outcome.Error is not null)
                {
                    WriteWandbError(outcome.Error);
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
            foreach (PSObject item in SessionState.InvokeProvider.Item.Get(new[] { path }, false, true))
            {
                WriteObject(item);
            }
        }

        /// <summary>Passes on the workers' messages and shows how far the transfers are (only once the work lasts).</summary>
        private void Tick()
        {
            _messages.PassOn(WriteWarning, WriteVerbose, WriteDebug);
            long total = Interlocked.Read(ref _bytesQueued);
            long done = Math.Min(total, Interlocked.Read(ref _bytesDone));
            _progress?.Update(
                _filesDone + " of " + _filesQueued + " files, " + Megabytes(done) + " of " + Megabytes(total) + " MB",
                total > 0 ? (int)Math.Min(99, done * 100 / total) : -1);
        }

        private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>-Destination as a file-system path, relative to the current location, through PowerShell's providers.</summary>
        private string ResolveDestination()
        {
            string resolved;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination, out ProviderInfo provider, out _);
                if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                {
                    throw new WandbException(WandbErrorKind.InvalidArgument, "-Destination '" + Destination + "' is not a file-system path (it is on the " + provider.Name + " provider).", Destination);
                }
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException || e is ArgumentException)
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "-Destination '" + Destination + "' is not a path that can be written to: " + e.Message, Destination, e);
            }

            if (System.IO.File.Exists(resolved))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "-Destination '" + resolved + "' is a file; name a folder to save into.", resolved);
            }

            return resolved;
        }

        /// <summary>A run named by a file object's identity, for a file this module did not list (rebuilt from text).</summary>
        private static WandbRun RunOf(WandbRunFile file) => new WandbRun
        {
            Id = file.RunId,
            Name = file.RunName,
            Project = file.RunProject,
            Entity = file.RunEntity,
            Path = file.RunPath,
            Source = file.RunPath is null && file.FullName is null ? RunSource.Api : RunSource.Local,
        };
    }
}
