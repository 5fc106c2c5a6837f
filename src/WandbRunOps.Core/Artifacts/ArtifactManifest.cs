using System;
using System.Collections.Generic;
using System.Globalization;
using WandbRunOps.Errors;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Artifacts
{
    /// <summary>
    /// One entry of an artifact's manifest (docs/protocol.md, section 4.6): a file at <see cref="Path"/> inside the
    /// artifact, its base64 MD5 <see cref="Digest"/> and <see cref="Size"/>; or, with <see cref="Ref"/>, a reference to
    /// bytes kept elsewhere (<c>s3://…</c>, <c>gs://…</c>), whose digest is the store's, not an MD5.
    /// </summary>
    /// <param name="Path">The path inside the artifact, <c>/</c>-separated.</param>
    /// <param name="Digest">Base64 MD5 of the bytes (a stored entry); the store's tag for a reference.</param>
    /// <param name="Size">Bytes.</param>
    /// <param name="Ref">Where a reference entry's bytes are; null for a stored entry.</param>
    /// <param name="LocalPath">Where the SDK staged or cached the bytes on the machine that logged it (run logs only); it may be gone.</param>
    public sealed record ArtifactManifestEntry(string Path, string? Digest, long Size, string? Ref, string? LocalPath)
    {
        /// <summary>True for an entry that points at bytes outside W&amp;B's storage (they are not downloaded).</summary>
        public bool IsReference => !string.IsNullOrEmpty(Ref);
    }

    /// <summary>W&amp;B's manifest file (<c>wandb_manifest.json</c>), read into its entries.</summary>
    public static class ArtifactManifest
    {
        /// <summary>
        /// The entries of a manifest in W&amp;B's JSON shape, <c>{"version":1, "storagePolicy":…, "contents": {"path":
        /// {"digest", "size", "ref"?}}}</c>, in path order (ordinal).
        /// </summary>
        /// <exception cref="WandbException">ProtocolError: not JSON, or not that shape; <paramref name="target"/> names the artifact.</exception>
        public static IReadOnlyList<ArtifactManifestEntry> Parse(string json, string target)
        {
            if (!ExtendedJson.TryParse(json, out object? value, out string? error))
            {
                throw new WandbException(WandbErrorKind.ProtocolError, "The manifest of artifact " + target + " is not JSON: " + error, target);
            }

            if (!(value is WandbMap manifest) || !(manifest["contents"] is WandbMap contents))
            {
                throw new WandbException(WandbErrorKind.ProtocolError, "The manifest of artifact " + target + " has no \"contents\" object.", target);
            }

            var entries = new List<ArtifactManifestEntry>();
            foreach (KeyValuePair<string, object?> pair in contents)
            {
                if (!(pair.Value is WandbMap entry) || pair.Key.Length == 0)
                {
                    throw new WandbException(WandbErrorKind.ProtocolError, "The manifest of artifact " + target + " has an entry '" + pair.Key + "' that is not an object with a path.", target);
                }

                entries.Add(new ArtifactManifestEntry(pair.Key, ValueReads.Text(entry, "digest"), SizeOf(entry["size"], pair.Key, target), ValueReads.Text(entry, "ref"), null));
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            return entries;
        }

        /// <summary>A digest is an MD5 in W&amp;B's form when it is base64 of 16 bytes.</summary>
        public static bool IsMd5(string? digest)
        {
            if (digest is null || digest.Length != 24)
            {
                return false;
            }

            try
            {
                return Convert.FromBase64String(digest).Length == 16;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        private static long SizeOf(object? value, string path, string target) => value switch
        {
            long l when l >= 0 => l,
            double d when d >= 0 && d <= long.MaxValue && d == Math.Floor(d) => (long)d,
            string s when long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) => parsed,
            null => 0,
            _ => throw new WandbException(WandbErrorKind.ProtocolError, "The manifest of artifact " + target + " gives entry '" + path + "' a size that is not a byte count.", target),
        };
    }
}
