using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>Gets this session's W&amp;B connection (base URL, user, default entity and project, where the key came from).</summary>
    [Cmdlet(VerbsCommon.Get, "WandbConnection", HelpUri = HelpLinks.Docs + "Get-WandbConnection.md")]
    [OutputType(typeof(WandbConnection))]
    public sealed class GetWandbConnectionCommand : WandbCmdlet
    {
        protected override void EndProcessing()
        {
            if (ConnectionStore.Current is WandbConnection connection)
            {
                WriteObject(connection);
            }
        }
    }
}
