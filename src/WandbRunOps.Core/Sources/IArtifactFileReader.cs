using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Artifacts;
using WandbRunOps.Files;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// The files of an artifact version (<c>Save-WandbArtifact</c>): over the API its manifest and the direct URLs of its
    /// files; locally the manifest entries of the run's artifact record, whose bytes are in the SDK's staging or cache
    /// paths while those still exist (Api/ApiArtifactFiles, Local/LocalArtifactFiles).
    /// </summary>
    public interface IArtifactFileReader
    {
        /// <summary>Every manifest entry of the artifact, reference entries included, in path order.</summary>
        /// <exception cref="Errors.WandbException">The artifact's manifest cannot be had (not found, not recorded, unreadable).</exception>
        IReadOnlyList<ArtifactFile> List(WandbArtifact artifact, CancellationToken cancellation);

        /// <summary>
        /// Writes a stored entry's bytes to <paramref name="target"/> (from its start; a retried download rewinds it),
        /// calling <paramref name="progress"/> with the bytes so far. Catalogue errors name the artifact's file.
        /// </summary>
        Task<FileCopyResult> CopyToAsync(ArtifactFile file, Stream target, Action<long>? progress, CancellationToken cancellation);
    }
}
