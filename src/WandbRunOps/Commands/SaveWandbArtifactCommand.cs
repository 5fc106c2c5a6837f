using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Artifacts;
using WandbRunOps.Commands.Base;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Saves every file of artifact versions under a destination folder, at its path inside the artifact: downloaded from
    /// the W&amp;B server (API), or copied from the SDK's staging or cache paths the run's log recorded (local), several at
    /// once. Each file is verified against its manifest digest (base64 MD5) and size and appears under its name only once
    /// complete; a file already there with the same MD5 is skipped; reference entries (s3://, gs://…) are not downloaded
    /// and are named in a warning. Emits a FileInfo per file in place.
    /// </summary>
    [Cmdlet(VerbsData.Save, "WandbArtifact", DefaultParameterSetName = ArtifactSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Docs + "Save-WandbArtifact.md")]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveWandbArtifactCommand : SourceCmdlet
    {
        private const string ArtifactSet = "Artifact";
        private const string NameSet = "Name";
        private const string ReferenceSet = "Reference";

        private const int ProgressActivityId = 0x575341;
        private const string ProgressActivity = "Saving W&B artifact files";

        private FileTransfers? _transfers;

        /// <summary>Artifact versions to save, from Get-WandbArtifact, Get-RunLoggedArtifact or Get-RunUsedArtifact.</summary>
        [Parameter(ParameterSetName = ArtifactSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public WandbArtifact[] Artifact { get; set; } = null!;

        /// <summary>name:alias or name:vN in -Project (or the local runs under -Path, or the default source).</summary>
        [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ArtifactReferenceCompleter))]
        public string[] Name { get; set; } = null!;

        /// <summary>Full references, entity/project/name:alias (the project may be left out: the default source's).</summary>
        [Parameter(ParameterSetName = ReferenceSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Reference { get; set; } = null!;

        /// <summary>The folder to save into (created when missing); each file goes to its path inside the artifact under it.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = null!;

        /// <summary>A wandb folder whose runs' logged artifacts to save (-Name).</summary>
        [Parameter(ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The W&amp;B project (API); "entity/project" is accepted.</summary>
        [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ReferenceSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string? Project { get; set; }

        /// <summary>The W&amp;B entity of -Project.</summary>
        [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ReferenceSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        /// <summary>Replace a file already at the destination that differs from the artifact's (without it, that file is an error and left as it is).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing() => RunCore(() =>
            _transfers = new FileTransfers(this, FileTransfers.ResolveDestination(SessionState, Destination), Force.IsPresent, ProgressActivity, ProgressActivityId, WriteWandbError, StopsAtFirstError(), Cancellation));

        protected override void ProcessRecord() => RunCore(() =>
        {
            switch (ParameterSetName)
            {
                case ArtifactSet:
                    foreach (WandbArtifact artifact in Artifact)
                    {
                        RunItem(artifact.Reference, () => Save(SourceOf(artifact), artifact));
                    }

                    break;
                case NameSet:
                    foreach ((IRunSource source, WandbArtifact artifact) in ArtifactLookup.ByName(Sources, Path, Entity, Project, Name, Array.Empty<string>(), WriteWandbError, Cancellation))
                    {
                        RunItem(artifact.Reference, () => Save(source, artifact));
                    }

                    break;
                default:
                    foreach ((IRunSource source, WandbArtifact artifact) in ArtifactLookup.ByReference(Sources, Reference, Entity, Project, Array.Empty<string>(), WriteWandbError, Cancellation))
                    {
                        RunItem(artifact.Reference, () => Save(source, artifact));
                    }

                    break;
            }
        });

        protected override void EndProcessing() => RunCore(() => _transfers!.Finish());

        /// <summary>
        /// A piped artifact's source: the one that read it (an API artifact's server and key come with it); for an
        /// artifact rebuilt from text, a local run's (it has a run folder) is read locally, any other from its project.
        /// </summary>
        private IRunSource SourceOf(WandbArtifact artifact) =>
            RunOrigins.Of(artifact, Diagnostics) ??
            (artifact.RunPath is not null ? RunSources.Local(Array.Empty<string>(), Diagnostics) : Sources.ApiSource(artifact.Entity, artifact.Project));

        /// <summary>Lists the artifact's files, warns about its reference entries, and queues the rest; an artifact whose files cannot be listed is an error for it.</summary>
        private void Save(IRunSource source, WandbArtifact artifact)
        {
            IReadOnlyList<ArtifactFile> files;
            try
            {
                files = source.ReportingTo(_transfers!.Messages.Diagnostics).ArtifactFiles.List(artifact, Cancellation);
            }
            catch (WandbException e)
            {
                WriteWandbError(e);
                return;
            }

            List<ArtifactFile> references = files.Where(f => f.Entry.IsReference).ToList();
            if (references.Count > 0)
            {
                WriteWarning(
                    "Artifact " + references[0].Artifact + ": " + references.Count + " reference entr" + (references.Count == 1 ? "y is" : "ies are") +
                    " not downloaded (their bytes are kept outside W&B): " + string.Join(", ", references.Select(r => r.Entry.Path + " -> " + r.Entry.Ref)) + ".");
            }

            WriteVerbose("Artifact " + (files.Count > 0 ? files[0].Artifact : artifact.Reference) + ": " + (files.Count - references.Count) + " file(s) to save under '" + _transfers.Saver.Root + "'.");
            foreach (ArtifactFile file in files.Where(f => !f.Entry.IsReference))
            {
                _transfers.Queue(
                    FileToSave.Of(file),
                    file.Artifact,
                    (owner, target) => "File '" + file.Entry.Path + "' of artifact " + file.Artifact + " is not saved: artifact " + owner + " has a file of that name, saved to '" + target +
                        "' by this command. Save each artifact to its own folder.");
            }
        }
    }
}
