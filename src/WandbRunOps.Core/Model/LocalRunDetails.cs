using System.Collections.Generic;

namespace WandbRunOps.Model
{
    /// <summary>What the local reader learned about a run beyond the public run object.</summary>
    internal sealed class LocalRunDetails
    {
        public List<WandbArtifact> LoggedArtifacts { get; } = new List<WandbArtifact>();

        public List<WandbArtifact> UsedArtifacts { get; } = new List<WandbArtifact>();

        /// <summary>How the run was started, as its metadata file (else its log's environment record) says; null when neither records anything.</summary>
        public RunMetadata? Metadata { get; set; }
    }
}
