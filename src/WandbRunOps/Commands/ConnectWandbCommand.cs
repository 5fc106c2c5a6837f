using System;
using System.Management.Automation;
using WandbRunOps.Api;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Connects this PowerShell session to W&amp;B: checks the key with the viewer query and makes the base URL, key,
    /// entity and project the defaults of later commands. The returned connection never shows the key.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Wandb", HelpUri = HelpLinks.Docs + "Connect-Wandb.md")]
    [OutputType(typeof(WandbConnection))]
    public sealed class ConnectWandbCommand : SourceCmdlet
    {
        /// <summary>The default entity (team or user); default: the key's own entity.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        /// <summary>The default project; "entity/project" is accepted.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string? Project { get; set; }

        protected override void EndProcessing()
        {
            RunCore(() =>
            {
                string? entity = Entity;
                string? project = Project;
                SplitProject(ref entity, ref project);
                ApiTarget target = ResolveTarget(entity, project);
                var client = new GraphQLClient(target.BaseUrl, target.Credential, ClientOptions);
                WriteVerbose("Checking the " + target.Credential + " against " + target.BaseUrl + " (viewer query).");
                ApiViewer viewer = ApiViewer.Get(client, Cancellation);
                var connection = new WandbConnection(target.BaseUrl, target.Credential, viewer.Username, target.Entity ?? viewer.Entity, target.Project, DateTime.UtcNow);
                ConnectionStore.Set(connection);
                WriteObject(connection);
            });
        }
    }
}
