using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.Artifacts;
using WandbRunOps.Errors;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Base
{
    /// <summary>Shared by Get-RunLoggedArtifact and Get-RunUsedArtifact: a run's artifacts in one direction, chosen by -Name.</summary>
    public abstract class RunArtifactCmdlet : RunInputCmdlet
    {
        private ArtifactSelector? _selector;

        /// <summary>name:alias or name:vN for one version, a bare name for all its versions, or wildcards.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ArtifactNameCompleter))]
        public string[]? Name { get; set; }

        private protected abstract ArtifactDirection Direction { get; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            try
            {
                _selector = new ArtifactSelector(Name);
            }
            catch (WandbException e)
            {
                ThrowWandbError(e);
            }
        }

        private protected override void ProcessRun(WandbRun run)
        {
            IReadOnlyList<WandbArtifact> artifacts;
            try
            {
                artifacts = OriginOf(run).Artifacts.Read(run, Direction, Cancellation);
            }
            catch (WandbException e)
            {
                WriteWandbError(e);
                return;
            }

            IReadOnlyList<WandbArtifact> selected = _selector!.Select(artifacts, out IReadOnlyList<string> unmatched);
            foreach (WandbArtifact artifact in selected)
            {
                WriteObject(artifact);
            }

            foreach (string reference in unmatched)
            {
                WriteWandbError(new WandbException(
                    WandbErrorKind.ArtifactNotFound,
                    "Run '" + run.Id + "' " + (Direction == ArtifactDirection.Logged ? "logged" : "used") + " no artifact matching '" + reference + "'.",
                    reference));
            }
        }
    }
}
