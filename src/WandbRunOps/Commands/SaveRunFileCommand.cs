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

        private const int ProgressActivityId = 0x575346;
        private const string ProgressActivity = "Saving W&B run files";

        private FileTransfers? _transfers;
        private FileNameFilter _names = FileNameFilter.All;

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
                _transfers = new FileTransfers(this, FileTransfers.ResolveDestination(SessionState, Destination), Force.IsPresent, ProgressActivity, ProgressActivityId, WriteWandbError, StopsAtFirstError(), Cancellation);
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
                RunItem(file.FullName ?? file.Url ?? file.Name, () => Queue(file, FileSaver.ReaderOf(file) ?? OriginOf(RunOf(file)).ReportingTo(_transfers!.Messages.Diagnostics).Files));
            }

            return true;
        }

        private protected override void ProcessRun(WandbRun run)
        {
            IRunOrigin origin = OriginOf(run);
            IReadOnlyList<WandbRunFile> files = origin.ReportingTo(_transfers!.Messages.Diagnostics).Files.List(run, _names, Cancellation);
            GetRunFileCommand.NotFound.Report(run, _names, files, origin.TargetFor(run.Id), WriteWandbError);
            foreach (WandbRunFile file in files)
            {
                Queue(file, FileSaver.ReaderOf(file)!);
            }
        }

        protected override void EndProcessing() => RunCore(() => _transfers!.Finish());

        private void Queue(WandbRunFile file, IRunFileReader reader) =>
            _transfers!.Queue(
                FileToSave.Of(file, reader),
                file.RunId,
                (owner, target) => "File '" + file.Name + "' of run '" + file.RunId + "' is not saved: run '" + owner + "' has a file of that name, saved to '" + target + "' by this command. " +
                    "Save each run to its own folder: ... | ForEach-Object { $_ | Save-RunFile -Destination (Join-Path <folder> $_.Id) }.");

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
