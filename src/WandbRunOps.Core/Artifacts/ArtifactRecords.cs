using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Json;
using WandbRunOps.Local.Log;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Artifacts
{
    /// <summary>Turns the log's artifact records into <see cref="WandbArtifact"/>s.</summary>
    internal static class ArtifactRecords
    {
        /// <summary>A logged artifact not yet synced: no server id, no version; its reference uses an alias.</summary>
        public static WandbArtifact FromLogged(LoggedArtifactRecord record, string runId)
        {
            string name = record.Name ?? string.Empty;
            string? version = record.Aliases.FirstOrDefault(ArtifactReference.IsVersion);
            string[] aliases = record.Aliases.Where(a => !ArtifactReference.IsVersion(a)).Distinct().ToArray();
            var artifact = new WandbArtifact
            {
                Name = name,
                Version = version,
                VersionIndex = version is null ? null : int.Parse(version.Substring(1), System.Globalization.CultureInfo.InvariantCulture),
                Type = record.Type,
                Aliases = aliases,
                Digest = record.Digest,
                Size = record.Size,
                FileCount = record.FileCount,
                Description = record.Description,
                Metadata = ParseMetadata(record.MetadataJson),
                Entity = record.Entity,
                Project = record.Project,
                RunId = runId,
                Direction = ArtifactDirection.Logged,
                Manifest = record.Entries.ToArray(),
            };
            artifact.Reference = ReferenceOf(artifact);
            return artifact;
        }

        /// <summary>A used artifact, known by the reference the run passed (<c>tfidf-reds:latest</c>) and its server id.</summary>
        public static WandbArtifact FromUsed(UsedArtifactRecord record, string runId)
        {
            var artifact = new WandbArtifact
            {
                Id = record.Id,
                Type = record.Type,
                RunId = runId,
                Direction = ArtifactDirection.Used,
            };

            if (ArtifactReference.TryParse(record.Name, out ArtifactReference? reference, out _))
            {
                artifact.Name = reference!.Name;
                artifact.Entity = reference.Entity;
                artifact.Project = reference.Project;
                if (reference.VersionIndex is int index)
                {
                    artifact.Version = reference.Selector;
                    artifact.VersionIndex = index;
                }
                else if (reference.Selector is not null)
                {
                    artifact.Aliases = new[] { reference.Selector };
                }
            }
            else
            {
                artifact.Name = record.Name ?? string.Empty;
            }

            artifact.Reference = ReferenceOf(artifact);
            return artifact;
        }

        /// <summary><c>name:vN</c> when the version is known, else <c>name:latest</c> or the first alias, else the name.</summary>
        public static string ReferenceOf(WandbArtifact artifact)
        {
            if (artifact.Version is not null)
            {
                return artifact.Name + ":" + artifact.Version;
            }

            string? alias = artifact.Aliases.Contains("latest") ? "latest" : artifact.Aliases.FirstOrDefault();
            return alias is null ? artifact.Name : artifact.Name + ":" + alias;
        }

        private static WandbMap ParseMetadata(string? json)
        {
            if (json is null)
            {
                return new WandbMap();
            }

            if (ExtendedJson.TryParse(json, out object? value, out string? error) && value is WandbMap map)
            {
                return map;
            }

            // Not a JSON object: keep the text where the user can see it rather than dropping it.
            return new WandbMap { { "_raw", json }, { "_error", error ?? "not a JSON object" } };
        }
    }
}
