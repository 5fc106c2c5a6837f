using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets W&amp;B projects with their run count, creation and last activity: an entity's projects over the API, or the
    /// projects the runs under -Path (or ./wandb) belong to.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WandbProject", HelpUri = HelpLinks.Docs + "Get-WandbProject.md")]
    [OutputType(typeof(WandbProject))]
    public sealed class GetWandbProjectCommand : SourceCmdlet
    {
        /// <summary>Project names (wildcards allowed); all projects when omitted.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string[]? Name { get; set; }

        /// <summary>The W&amp;B entity (team or user) whose projects to list; default: the connection, WANDB_ENTITY, or the key's own.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        /// <summary>A wandb folder whose runs' projects to list.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        protected override void EndProcessing()
        {
            RefuseBlankArguments(nameof(Entity));
            RunCore(() =>
            {
                List<Wildcard> names = (Name ?? new string[0]).Select(n => new Wildcard(n)).ToList();
                bool serverNamed = BaseUrl is not null || ApiKey is not null;
                IProjectLister? projects = Sources.ProjectsFor(Path, false, Entity, serverNamed);
                if (projects is null)
                {
                    return;
                }

                var found = new List<WandbProject>();
                foreach (WandbProject project in projects.GetProjects(names, WriteWandbError, Cancellation))
                {
                    found.Add(project);
                    WriteObject(project);
                }

                // A name without wildcards that matched nothing is said, as for runs.
                foreach (string literal in (Name ?? new string[0]).Where(n => !Wildcard.IsPattern(n)).Select(Wildcard.Unescape))
                {
                    if (!found.Any(p => string.Equals(p.Name, literal, System.StringComparison.OrdinalIgnoreCase)))
                    {
                        WriteWandbError(new Errors.WandbException(Errors.WandbErrorKind.ProjectNotFound, "No project named '" + literal + "' was found.", literal));
                    }
                }
            });
        }
    }
}
