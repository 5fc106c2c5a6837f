using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Artifacts;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// An API artifact's files (docs/protocol.md, section 4.6): the version's manifest (<c>currentManifest { file {
    /// directUrl } }</c>, fetched on the one download path) for every entry with its digest, size and reference, and the
    /// version's <c>files</c> connection for the direct URL of each stored entry; the bytes come through
    /// <see cref="GraphQLClient.DownloadAsync"/>. A server that keeps no manifest file gives the files alone, each with
    /// its <c>md5</c> as digest.
    /// </summary>
    internal sealed class ApiArtifactFiles : IArtifactFileReader
    {
        /// <summary>Files per request.</summary>
        public const int PageSize = 1000;

        private readonly GraphQLClient _client;
        private readonly ReadDiagnostics _diagnostics;

        public ApiArtifactFiles(GraphQLClient client, ReadDiagnostics diagnostics)
        {
            _client = client;
            _diagnostics = diagnostics;
        }

        public IReadOnlyList<ArtifactFile> List(WandbArtifact artifact, CancellationToken cancellation)
        {
            string shown = (artifact.Entity is null || artifact.Project is null ? string.Empty : artifact.Entity + "/" + artifact.Project + "/") + artifact.Reference;
            string id = artifact.Id ?? throw new WandbException(WandbErrorKind.ArtifactNotFound, "Artifact " + shown + " has no server id; get it with Get-WandbArtifact first.", shown);
            var variables = new WandbMap { { "id", id } };
            GraphQLResponse response = _client.Query("ArtifactManifest", Queries.ArtifactManifest, variables, cancellation);
            ApiAnswers.Report(_client, _diagnostics, response, "ArtifactManifest " + shown);
            if (!(response.Data["artifact"] is WandbMap))
            {
                throw new WandbException(WandbErrorKind.ArtifactNotFound, "Artifact " + shown + " was not found.", shown);
            }

            IReadOnlyList<ArtifactManifestEntry>? manifest = null;
            if (ApiAnswers.Path(response.Data, "artifact", "currentManifest", "file", "directUrl") is string manifestUrl)
            {
                Uri url = _client.DirectUrl(manifestUrl, "the manifest of artifact " + shown, shown);
                using var buffer = new MemoryStream();
                _client.DownloadAsync(url, buffer, null, null, "The manifest of artifact " + shown, shown, cancellation).GetAwaiter().GetResult();
                manifest = ArtifactManifest.Parse(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), shown);
            }

            var stored = new Dictionary<string, WandbMap>(StringComparer.Ordinal);
            foreach (WandbMap node in ApiConnection.Nodes(
                _client, _diagnostics, "ArtifactFiles", Queries.ArtifactFiles, new WandbMap { { "id", id }, { "perPage", PageSize } },
                data => ApiAnswers.Path(data, "artifact", "files") as WandbMap,
                _ => new WandbException(WandbErrorKind.ArtifactNotFound, "Artifact " + shown + " was not found.", shown),
                "ArtifactFiles " + shown, cancellation))
            {
                if (ValueReads.Text(node, "name") is string name)
                {
                    stored[name] = node;
                }
            }

            IEnumerable<ArtifactManifestEntry> entries = manifest
                ?? stored.Select(pair => new ArtifactManifestEntry(pair.Key, ValueReads.Text(pair.Value, "md5"), ApiFileReader.SizeOf(pair.Value["sizeBytes"]), null, null));
            return entries
                .OrderBy(e => e.Path, StringComparer.Ordinal)
                .Select(e => new ArtifactFile(shown, shown, e, e.IsReference ? null : stored.TryGetValue(e.Path, out WandbMap? node) ? ValueReads.Text(node, "directUrl") : null, this))
                .ToList();
        }

        public Task<FileCopyResult> CopyToAsync(ArtifactFile file, Stream target, Action<long>? progress, CancellationToken cancellation)
        {
            string shown = file.Target;
            string what = "File '" + file.Entry.Path + "' of artifact " + file.Artifact;
            if (file.DirectUrl is null)
            {
                throw new WandbException(WandbErrorKind.PathNotFound, what + ": the manifest lists it, but the server lists no stored file of that name.", shown);
            }

            Uri url = _client.DirectUrl(file.DirectUrl, "file '" + file.Entry.Path + "' of artifact " + file.Artifact, shown);
            return _client.DownloadAsync(url, target, file.Entry.Size, progress, what, shown, cancellation);
        }
    }
}
