using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Artifacts;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// How the artifact cmdlets (Get-WandbArtifact, Save-WandbArtifact) find artifacts by -Name or -Reference: the one
    /// place a reference chooses its source (a reference that names its project is read there; one without, from
    /// -Project or the default source).
    /// </summary>
    internal static class ArtifactLookup
    {
        /// <summary>
        /// The artifacts -Name takes, from -Path (local), else -Project/-Entity, else the default source; with the source
        /// that found them. Each name is an item: a malformed one (<c>a:b:c</c>) is WandbInvalidArgument for it, at once,
        /// and the others are still looked up.
        /// </summary>
        public static IEnumerable<(IRunSource Source, WandbArtifact Artifact)> ByName(
            SourceResolver sources, IReadOnlyList<string>? paths, string? entity, string? project, IReadOnlyList<string> names, IReadOnlyList<string> types,
            Action<WandbException> onError, CancellationToken cancellation)
        {
            var wellFormed = new List<string>(names.Count);
            foreach (string name in names)
            {
                try
                {
                    _ = new ArtifactSelector(new[] { name });
                    wellFormed.Add(name);
                }
                catch (WandbException e) when (e.Kind == WandbErrorKind.InvalidArgument)
                {
                    onError(e);
                }
            }

            // No names selects every artifact; names that were all malformed select none.
            return names.Count > 0 && wellFormed.Count == 0
                ? Array.Empty<(IRunSource, WandbArtifact)>()
                : Find(sources.For(paths, false, entity, project), wellFormed, types, onError, cancellation);
        }

        /// <summary>
        /// The artifacts full references (<c>entity/project/name:alias</c>) name, each read where it says (a reference
        /// without a project from -Project or the default source). Each reference is an item, as each name is for
        /// <see cref="ByName"/>: a malformed one is WandbInvalidArgument for it, and the others are still looked up.
        /// </summary>
        public static IEnumerable<(IRunSource Source, WandbArtifact Artifact)> ByReference(
            SourceResolver sources, IReadOnlyList<string> texts, string? entity, string? project, IReadOnlyList<string> types,
            Action<WandbException> onError, CancellationToken cancellation)
        {
            foreach (string text in texts)
            {
                // One reference's artifacts are gathered before any is handed on, so an invalid argument found while
                // looking it up stays that reference's error and never reaches what the caller does with the others.
                List<(IRunSource, WandbArtifact)> found;
                try
                {
                    ArtifactReference reference = ArtifactReference.Parse(text);
                    IRunSource? source = reference.Project is not null ? sources.ApiSource(reference.Entity ?? entity, reference.Project) : sources.For(null, false, entity, project);
                    found = Find(source, new[] { new ArtifactReference(null, null, reference.Name, reference.Selector).ToString() }, types, onError, cancellation).ToList();
                }
                catch (WandbException e) when (e.Kind == WandbErrorKind.InvalidArgument)
                {
                    onError(e);
                    continue;
                }

                foreach ((IRunSource, WandbArtifact) item in found)
                {
                    yield return item;
                }
            }
        }

        private static IEnumerable<(IRunSource Source, WandbArtifact Artifact)> Find(
            IRunSource? source, IReadOnlyList<string> names, IReadOnlyList<string> types, Action<WandbException> onError, CancellationToken cancellation)
        {
            if (source is null)
            {
                yield break;
            }

            foreach (WandbArtifact artifact in source.ArtifactsByName.Find(names, types, onError, cancellation))
            {
                yield return (source, artifact);
            }
        }
    }
}
