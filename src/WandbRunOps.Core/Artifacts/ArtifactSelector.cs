using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Artifacts
{
    /// <summary>
    /// The <c>-Name</c> of the artifact cmdlets: <c>name:alias</c> or <c>name:vN</c> (one version), a bare <c>name</c>
    /// (all its versions), or wildcards (matched against the name, or against <c>name:alias</c>/<c>name:vN</c> when the
    /// pattern has a colon). Literal references remember whether they matched, so an unmatched one can be reported.
    /// </summary>
    public sealed class ArtifactSelector
    {
        private readonly List<Term> _terms;

        public ArtifactSelector(IEnumerable<string>? names)
        {
            _terms = (names ?? Enumerable.Empty<string>()).Select(Term.Create).ToList();
        }

        public bool SelectsAll => _terms.Count == 0;

        /// <summary>The artifacts of one run that the selector keeps, and the literal references that matched none of them.</summary>
        public IReadOnlyList<WandbArtifact> Select(IEnumerable<WandbArtifact> artifacts, out IReadOnlyList<string> unmatched)
        {
            List<WandbArtifact> all = artifacts.ToList();
            if (SelectsAll)
            {
                unmatched = Array.Empty<string>();
                return all;
            }

            var kept = new List<WandbArtifact>();
            var missing = new List<string>();
            foreach (Term term in _terms)
            {
                bool any = false;
                foreach (WandbArtifact artifact in all)
                {
                    if (term.Matches(artifact))
                    {
                        any = true;
                        if (!kept.Contains(artifact))
                        {
                            kept.Add(artifact);
                        }
                    }
                }

                if (!any && term.IsLiteral)
                {
                    missing.Add(term.Text);
                }
            }

            unmatched = missing;
            return all.Where(kept.Contains).ToList();
        }

        private sealed class Term
        {
            private readonly Wildcard? _pattern;
            private readonly ArtifactReference? _reference;

            private Term(string text, Wildcard? pattern, ArtifactReference? reference)
            {
                Text = text;
                _pattern = pattern;
                _reference = reference;
            }

            public string Text { get; }

            public bool IsLiteral => _pattern is null;

            public static Term Create(string text) =>
                Wildcard.IsPattern(text)
                    ? new Term(text, new Wildcard(text), null)
                    : new Term(text, null, ArtifactReference.Parse(Wildcard.Unescape(text)));

            public bool Matches(WandbArtifact artifact)
            {
                if (_pattern is not null)
                {
                    return Text.IndexOf(':') < 0
                        ? _pattern.IsMatch(artifact.Name)
                        : ReferencesOf(artifact).Any(_pattern.IsMatch);
                }

                ArtifactReference reference = _reference!;
                if (!string.Equals(reference.Name, artifact.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                if (reference.Selector is null)
                {
                    return true;
                }

                return reference.VersionIndex is int index
                    ? artifact.VersionIndex == index
                    : artifact.Aliases.Contains(reference.Selector, StringComparer.Ordinal);
            }

            private static IEnumerable<string> ReferencesOf(WandbArtifact artifact)
            {
                if (artifact.Version is not null)
                {
                    yield return artifact.Name + ":" + artifact.Version;
                }

                foreach (string alias in artifact.Aliases)
                {
                    yield return artifact.Name + ":" + alias;
                }

                if (artifact.Version is null && artifact.Aliases.Length == 0)
                {
                    yield return artifact.Name;
                }
            }
        }
    }
}
