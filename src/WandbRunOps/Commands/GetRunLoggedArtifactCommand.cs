using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>Gets the artifacts a run logged (its outputs).</summary>
    [Cmdlet(VerbsCommon.Get, "RunLoggedArtifact", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunLoggedArtifact.md")]
    [OutputType(typeof(WandbArtifact))]
    public sealed class GetRunLoggedArtifactCommand : RunArtifactCmdlet
    {
        private protected override ArtifactDirection Direction => ArtifactDirection.Logged;
    }
}
