using WandbRunOps.Sources;

namespace WandbRunOps.Artifacts
{
    /// <summary>One manifest entry of an artifact version, with where its bytes are (a direct URL, or the SDK's staging or cache path).</summary>
    public sealed class ArtifactFile
    {
        internal ArtifactFile(string artifact, string reference, ArtifactManifestEntry entry, string? directUrl, IArtifactFileReader reader)
        {
            Artifact = artifact;
            Target = reference + "/" + entry.Path;
            Entry = entry;
            DirectUrl = directUrl;
            Reader = reader;
        }

        /// <summary>How messages name the artifact: <c>entity/project/name:vN</c> (API), <c>name:alias</c> of run <c>id</c> (local).</summary>
        public string Artifact { get; }

        /// <summary>How errors name the file as the failing item: <c>entity/project/name:vN/path</c> (API), <c>name:alias/path</c> (local).</summary>
        public string Target { get; }

        public ArtifactManifestEntry Entry { get; }

        /// <summary>The signed URL of the bytes (API); null locally, and for an entry the server lists no file for.</summary>
        internal string? DirectUrl { get; }

        /// <summary>The reader that listed the entry, which fetches its bytes.</summary>
        internal IArtifactFileReader Reader { get; }

        public override string ToString() => Entry.Path;
    }
}
