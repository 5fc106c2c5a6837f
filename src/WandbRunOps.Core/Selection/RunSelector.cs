using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Filtering;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Selection
{
    /// <summary>
    /// <c>-Id</c> and <c>-Name</c> of the run cmdlets: wildcards or literals, any id and any name (both when both are
    /// given). Literal terms remember whether a run matched them, so each one that matched nothing is reported.
    /// </summary>
    public sealed class RunSelector
    {
        private readonly Term[] _ids;
        private readonly Term[] _names;

        public RunSelector(IEnumerable<string>? ids, IEnumerable<string>? names)
        {
            _ids = (ids ?? Enumerable.Empty<string>()).Select(t => new Term(t)).ToArray();
            _names = (names ?? Enumerable.Empty<string>()).Select(t => new Term(t)).ToArray();
        }

        /// <summary>A W&amp;B filter every run must also pass (sent to the server, and checked here the same way).</summary>
        public FilterNode? Filter { get; set; }

        /// <summary>A last check only this process can make (a PowerShell -Where predicate).</summary>
        public Func<WandbRun, bool>? Predicate { get; set; }

        /// <summary>True when the selector keeps every run.</summary>
        public bool IsEmpty => _ids.Length == 0 && _names.Length == 0 && (Filter is null || Filter.IsEmpty) && Predicate is null;

        /// <summary>True when display names are part of the selection (they are only known once a run is read).</summary>
        public bool HasNameTerms => _names.Length > 0;

        /// <summary>True when the id alone could match (checked before a run is read, from its folder name).</summary>
        public bool MayMatchId(string id) => _ids.Length == 0 || _ids.Any(t => t.IsMatch(id));

        /// <summary>Checks a run and records which literal terms it satisfied.</summary>
        public bool Matches(WandbRun run)
        {
            Term[] idHits = _ids.Where(t => t.IsMatch(run.Id)).ToArray();
            Term[] nameHits = _names.Where(t => t.IsMatch(run.Name)).ToArray();
            bool matches = (_ids.Length == 0 || idHits.Length > 0) && (_names.Length == 0 || nameHits.Length > 0)
                && (Filter is null || FilterEvaluator.Matches(Filter, run))
                && (Predicate is null || Predicate(run));
            if (matches)
            {
                foreach (Term term in idHits.Concat(nameHits))
                {
                    term.Matched = true;
                }
            }

            return matches;
        }

        /// <summary>Marks a literal as already reported by the source, so it is not reported again as unmatched.</summary>
        public void Reported(string literal)
        {
            foreach (Term term in _ids.Concat(_names).Where(t => t.IsLiteral && string.Equals(t.Literal, literal, StringComparison.OrdinalIgnoreCase)))
            {
                term.Matched = true;
            }
        }

        /// <summary>Marks every literal as reported: the source failed as a whole (a missing project) and said so once.</summary>
        public void ReportedAll()
        {
            foreach (Term term in _ids.Concat(_names))
            {
                term.Matched = true;
            }
        }

        /// <summary>The literal ids and names (no wildcards) that no run matched.</summary>
        public IEnumerable<string> UnmatchedLiterals => _ids.Concat(_names).Where(t => t.IsLiteral && !t.Matched).Select(t => t.Text);

        /// <summary>The literal ids, when every id term is literal (lets a source fetch those runs directly).</summary>
        public IReadOnlyList<string>? LiteralIds => _ids.Length > 0 && _ids.All(t => t.IsLiteral) ? _ids.Select(t => t.Literal).ToArray() : null;

        private sealed class Term
        {
            private readonly Wildcard? _pattern;

            public Term(string text)
            {
                Text = text;
                if (Wildcard.IsPattern(text))
                {
                    _pattern = new Wildcard(text);
                }

                Literal = Wildcard.Unescape(text);
            }

            public string Text { get; }

            public string Literal { get; }

            public bool IsLiteral => _pattern is null;

            public bool Matched { get; set; }

            public bool IsMatch(string? value) =>
                value is not null && (_pattern?.IsMatch(value) ?? string.Equals(value, Literal, StringComparison.OrdinalIgnoreCase));
        }
    }
}
