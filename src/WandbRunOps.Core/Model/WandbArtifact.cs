using System;
using WandbRunOps.Values;

namespace WandbRunOps.Model
{
    /// <summary>One artifact version a run logged or used.</summary>
    public sealed class WandbArtifact
    {
        /// <summary>The server id (base64 <c>Artifact:n</c>), or null for an artifact not yet synced.</summary>
        public string? Id { get; set; }

        /// <summary>The collection name, without version or alias.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary><c>vN</c>, or null when the version is not known (not synced, or referenced by alias).</summary>
        public string? Version { get; set; }

        public int? VersionIndex { get; set; }

        public string? Type { get; set; }

        /// <summary>User aliases (<c>latest</c>, <c>best</c>…); never a <c>vN</c>.</summary>
        public ValueList<string> Aliases { get; set; } = ValueList<string>.Empty;

        public string? Digest { get; set; }

        /// <summary>Total size in bytes, when known.</summary>
        public long? Size { get; set; }

        public int? FileCount { get; set; }

        /// <summary>The server state (<c>COMMITTED</c>, <c>PENDING</c>…), or null when unknown.</summary>
        public string? State { get; set; }

        public DateTime? CreatedAt { get; set; }

        public string? Description { get; set; }

        public WandbMap Metadata { get; set; } = new WandbMap();

        public string? Entity { get; set; }

        public string? Project { get; set; }

        public string? RunId { get; set; }

        /// <summary>The run folder of a local run's artifact, so the artifact pipes back into the run cmdlets locally.</summary>
        public string? RunPath { get; set; }

        /// <summary>The project of the run that logged or used the artifact; <c>Project</c> is the artifact's own, which for a used artifact can differ.</summary>
        public string? RunProject { get; set; }

        /// <summary>The entity of the run that logged or used the artifact.</summary>
        public string? RunEntity { get; set; }

        public ArtifactDirection Direction { get; set; }

        /// <summary><c>name:vN</c> when the version is known, else <c>name:alias</c>, else the bare name.</summary>
        public string Reference { get; set; } = string.Empty;

        /// <summary>The manifest entries a run's log recorded for an artifact it logged (local); null elsewhere.</summary>
        internal System.Collections.Generic.IReadOnlyList<Artifacts.ArtifactManifestEntry>? Manifest { get; set; }

        /// <summary>
        /// The source that read the artifact (for the API: its server, key and entity), so a command it is piped to
        /// (Save-WandbArtifact) reads its files from the same place; as <see cref="WandbRun.Origin"/>, never shown.
        /// </summary>
        internal Sources.IRunSource? Origin { get; set; }

        public override string ToString() => Reference;
    }
}
