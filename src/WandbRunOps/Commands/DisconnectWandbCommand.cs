using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>Forgets this session's W&amp;B connection (and its key); later commands use the environment and netrc again.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Wandb", HelpUri = HelpLinks.Docs + "Disconnect-Wandb.md")]
    [OutputType(typeof(void))]
    public sealed class DisconnectWandbCommand : WandbCmdlet
    {
        protected override void EndProcessing()
        {
            WandbConnection? removed = ConnectionStore.Remove();
            WriteVerbose(removed is null ? "This session had no W&B connection." : "Disconnected from " + removed + ".");
        }
    }
}
