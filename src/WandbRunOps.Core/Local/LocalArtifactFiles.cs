using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Artifacts;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Local
{
    /// <summary>
    /// A local artifact's files: the manifest entries of the run's artifact record (docs/protocol.md, section 2.2), each
    /// copied from the <c>local_path</c> the SDK staged or cached it at, while that file still exists. A used artifact's
    /// files are not in the run folder (its record holds only the name), so it is refused.
    /// </summary>
    internal sealed class LocalArtifactFiles : IArtifactFileReader
    {
        private static readonly string EmptyMd5 = Convert.ToBase64String(System.Security.Cryptography.MD5.Create().ComputeHash(Array.Empty<byte>()));

        private readonly ReadDiagnostics _diagnostics;

        public LocalArtifactFiles(ReadDiagnostics diagnostics) => _diagnostics = diagnostics;

        public IReadOnlyList<ArtifactFile> List(WandbArtifact artifact, CancellationToken cancellation)
        {
            string shown = NameOf(artifact);
            if (artifact.Direction == ArtifactDirection.Used)
            {
                throw new WandbException(
                    WandbErrorKind.ArtifactNotFound,
                    "Artifact " + shown + " was used, not logged, by the run: a run folder records only its name, not its files. Save it from the W&B project instead (-Project).",
                    shown);
            }

            IReadOnlyList<ArtifactManifestEntry> manifest = artifact.Manifest ?? Reread(artifact, shown, cancellation);
            return manifest.OrderBy(e => e.Path, StringComparer.Ordinal).Select(e => new ArtifactFile(shown, artifact.Reference, e, null, this)).ToList();
        }

        public async Task<FileCopyResult> CopyToAsync(ArtifactFile file, Stream target, Action<long>? progress, CancellationToken cancellation)
        {
            string? path = file.Entry.LocalPath;
            string what = "File '" + file.Entry.Path + "' of artifact " + file.Artifact;
            if (path is null)
            {
                throw new WandbException(WandbErrorKind.PathNotFound, what + ": the run's log records no local copy of it.", file.Target);
            }

            FileStream source;
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists)
                {
                    throw Gone(what, path);
                }

                if (info.Length == 0)
                {
                    // Never opened: an empty file has nothing to copy, and a fifo or device (size 0 too) could block.
                    return new FileCopyResult(0, EmptyMd5);
                }

                _diagnostics.Verbose(what + ": copying the SDK's copy at '" + path + "'.");
                source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw Gone(what, path);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new WandbException(WandbErrorKind.PermissionDenied, what + ": '" + path + "' cannot be read: " + e.Message, path, e);
            }
            catch (IOException e)
            {
                throw Unreadable(what, path, e);
            }

            // Only the reads are this reader's to report: a failed write (a full disk) is the saver's, about the target.
            using (source)
            {
                return await Md5Stream.CopyAsync(source, target, file.Entry.Size, progress, (s, buffer, token) => ReadAsync(s, buffer, what, path, token), cancellation).ConfigureAwait(false);
            }
        }

        private static async Task<int> ReadAsync(Stream stream, byte[] buffer, string what, string path, CancellationToken cancellation)
        {
            try
            {
                return await stream.ReadAsync(buffer, 0, buffer.Length, cancellation).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw Unreadable(what, path, e);
            }
        }

        private static WandbException Unreadable(string what, string path, IOException e) =>
            new WandbException(WandbErrorKind.PathNotFound, what + ": '" + path + "' could not be read: " + e.Message, path, e);

        /// <summary>How messages name a local artifact: <c>name:alias</c> of run <c>id</c>.</summary>
        private static string NameOf(WandbArtifact artifact) => artifact.Reference + (artifact.RunId is null ? string.Empty : " of run " + artifact.RunId);

        private static WandbException Gone(string what, string path) =>
            new WandbException(WandbErrorKind.PathNotFound, what + ": the SDK's copy at '" + path + "' no longer exists (its staging folder or cache was cleared).", path);

        /// <summary>An artifact object no reader made (rebuilt from a row): its run folder read again, and the logged artifact of that name and digest found.</summary>
        private IReadOnlyList<ArtifactManifestEntry> Reread(WandbArtifact artifact, string shown, CancellationToken cancellation)
        {
            if (artifact.RunPath is null)
            {
                throw new WandbException(WandbErrorKind.ArtifactNotFound, "Artifact " + shown + " names no run folder (RunPath) to read its manifest from.", shown);
            }

            var source = new LocalRunSource(new[] { artifact.RunPath }, _diagnostics);
            WandbArtifact? found = null;
            foreach (WandbRun run in source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, cancellation))
            {
                found ??= source.Artifacts.Read(run, ArtifactDirection.Logged, cancellation)
                    .FirstOrDefault(a => a.Name == artifact.Name && (artifact.Digest is null || a.Digest == artifact.Digest));
            }

            return found?.Manifest ?? throw new WandbException(WandbErrorKind.ArtifactNotFound, "The run at '" + artifact.RunPath + "' did not log artifact " + shown + ".", shown);
        }
    }
}
