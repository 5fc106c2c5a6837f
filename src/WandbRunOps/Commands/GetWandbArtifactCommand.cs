using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets artifacts from their own side, without a run: one version by "name:alias" or "name:vN", every version of a
    /// collection by its name, matching collections by wildcards, or a full "entity/project/name:alias" reference. Over
    /// the API from the project; locally from what the runs under -Path (or ./wandb) logged and used. The objects are
    /// the run cmdlets' WandbArtifact, with the producing run as RunId.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WandbArtifact", DefaultParameterSetName = NameSet, HelpUri = HelpLinks.Docs + "Get-WandbArtifact.md")]
    [OutputType(typeof(WandbArtifact))]
    public sealed class GetWandbArtifactCommand : SourceCmdlet
    {
        private const string NameSet = "Name";
        private const string ReferenceSet = "Reference";

        /// <summary>name:alias, name:vN, a collection name (every version), or wildcards; all artifacts when omitted.</summary>
        [Parameter(ParameterSetName = NameSet, Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ArtifactReferenceCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Full references, entity/project/name:alias (the project may be left out: the default source's).</summary>
        [Parameter(ParameterSetName = ReferenceSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Reference { get; set; }

        /// <summary>Only artifacts of these types (model, dataset…).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Type { get; set; }

        /// <summary>A wandb folder whose runs' artifacts to search.</summary>
        [Parameter(ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The W&amp;B project (API); "entity/project" is accepted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string? Project { get; set; }

        /// <summary>The W&amp;B entity of -Project.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        protected override void ProcessRecord()
        {
            RunCore(() =>
            {
                IReadOnlyList<string> types = Type ?? new string[0];
                if (ParameterSetName == NameSet)
                {
                    Write(ArtifactLookup.ByName(Sources, Path, Entity, Project, Name ?? new string[0], types, WriteWandbError, Cancellation));
                    return;
                }

                Write(ArtifactLookup.ByReference(Sources, Reference!, Entity, Project, types, WriteWandbError, Cancellation));
            });
        }

        private void Write(IEnumerable<(IRunSource Source, WandbArtifact Artifact)> found)
        {
            foreach ((IRunSource _, WandbArtifact artifact) in found)
            {
                WriteObject(artifact);
            }
        }
    }
}
