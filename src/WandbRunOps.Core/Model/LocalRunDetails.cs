using System.Collections.Generic;

namespace WandbRunOps.Model
{
    /// <summary>What the local reader learned about a run beyond the public run object.</summary>
    internal sealed class LocalRunDetails
    {
        public List<WandbArtifact> LoggedArtifacts { get; } = new List<WandbArtifact>();

        public List<WandbArtifact> UsedArtifacts { get; } = new List<WandbArtifact>();

        /// <summary>True when the run was read from a <c>.wandb</c> log (any of a resumed run's folders), not from its files alone.</summary>
        public bool FromLog { get; set; }

        /// <summary>How the run was started, as its metadata file (else its log's environment record) says; null when neither records anything.</summary>
        public RunMetadata? Metadata { get; set; }
    }
}
