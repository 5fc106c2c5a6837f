using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>Gets the artifacts a run used (its inputs).</summary>
    [Cmdlet(VerbsCommon.Get, "RunUsedArtifact", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunUsedArtifact.md")]
    [OutputType(typeof(WandbArtifact))]
    public sealed class GetRunUsedArtifactCommand : RunArtifactCmdlet
    {
        private protected override ArtifactDirection Direction => ArtifactDirection.Used;
    }
}
