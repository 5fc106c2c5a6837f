using System;
using WandbRunOps.Errors;

namespace WandbRunOps.Artifacts
{
    /// <summary>
    /// An artifact reference as users and the SDK write it: <c>[entity/][project/]name[:alias-or-vN]</c>, split once
    /// at the first colon the way the SDK's artifact paths are.
    /// </summary>
    /// <param name="Entity">The entity, when the reference names one.</param>
    /// <param name="Project">The project, when the reference names one.</param>
    /// <param name="Name">The collection name.</param>
    /// <param name="Selector">The alias or <c>vN</c> after the colon, or null for a bare name.</param>
    public sealed record ArtifactReference(string? Entity, string? Project, string Name, string? Selector)
    {
        /// <summary>The version index when the selector is <c>vN</c>.</summary>
        public int? VersionIndex => Selector is not null && IsVersion(Selector) ? int.Parse(Selector.Substring(1), System.Globalization.CultureInfo.InvariantCulture) : null;

        public override string ToString() => Selector is null ? Name : Name + ":" + Selector;

        /// <summary>True for <c>v0</c>, <c>v12</c>…: a version, not an alias.</summary>
        public static bool IsVersion(string text)
        {
            if (text.Length < 2 || text[0] != 'v')
            {
                return false;
            }

            for (int i = 1; i < text.Length; i++)
            {
                if (!char.IsDigit(text[i]))
                {
                    return false;
                }
            }

            return text.Length < 11;
        }

        /// <summary>Parses a reference; a malformed one (<c>model:</c>, <c>:latest</c>, <c>a:b:c</c>) is an InvalidArgument error.</summary>
        public static ArtifactReference Parse(string text)
        {
            if (!TryParse(text, out ArtifactReference? reference, out string? problem))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "'" + text + "' is not an artifact reference: " + problem, text);
            }

            return reference!;
        }

        public static bool TryParse(string? text, out ArtifactReference? reference, out string? problem)
        {
            reference = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                problem = "it is empty. Write name, name:alias or name:vN.";
                return false;
            }

            string path = text!;
            string? selector = null;
            int colon = text!.IndexOf(':');
            if (colon >= 0)
            {
                path = text.Substring(0, colon);
                selector = text.Substring(colon + 1);
                if (selector.Length == 0)
                {
                    problem = "nothing follows the ':'. Write name:alias or name:vN, or the bare name for every version.";
                    return false;
                }

                if (selector.IndexOf(':') >= 0)
                {
                    problem = "it has more than one ':'. Write name:alias or name:vN.";
                    return false;
                }
            }

            string[] parts = path.Split('/');
            if (parts.Length > 3 || Array.Exists(parts, p => p.Length == 0))
            {
                problem = parts.Length > 3
                    ? "it has too many '/' parts. Write [entity/][project/]name[:alias]."
                    : "the artifact name is empty. Write name, name:alias or name:vN.";
                return false;
            }

            string name = parts[parts.Length - 1];
            string? project = parts.Length >= 2 ? parts[parts.Length - 2] : null;
            string? entity = parts.Length == 3 ? parts[0] : null;
            reference = new ArtifactReference(entity, project, name, selector);
            problem = null;
            return true;
        }
    }
}
