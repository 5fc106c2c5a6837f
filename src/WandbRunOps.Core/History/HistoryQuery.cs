using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.History
{
    /// <summary>
    /// Which history rows to read: keys (wildcards over top-level keys; null for every key), an inclusive step range,
    /// and an optional sample count. With keys, a row is returned when it holds at least one of them, and it carries
    /// those keys plus <c>_step</c>, <c>_runtime</c> and <c>_timestamp</c>.
    /// </summary>
    public sealed class HistoryQuery
    {
        /// <summary>The W&amp;B SDK's history page size (HistoryScan, wandb-core's HistoryPage).</summary>
        public const int DefaultPageSize = 1000;

        private IReadOnlyList<string>? _keys;
        private Wildcard[] _patterns = Array.Empty<Wildcard>();
        private Dictionary<string, bool>? _matches;

        /// <summary>Top-level keys to return (PowerShell wildcards, case-insensitive); null or empty for all.</summary>
        public IReadOnlyList<string>? Keys
        {
            get => _keys;
            set
            {
                _keys = value is { Count: > 0 } ? value : null;
                _patterns = (_keys ?? Array.Empty<string>()).Select(k => new Wildcard(k)).ToArray();
                _matches = null;
            }
        }

        /// <summary>The first step to return (inclusive); null from the start.</summary>
        public long? MinStep { get; set; }

        /// <summary>The last step to return (inclusive); null to the end.</summary>
        public long? MaxStep { get; set; }

        /// <summary>Down-sample to at most this many rows (per key when keys are named), evenly spread; null for every row.</summary>
        public int? Samples { get; set; }

        /// <summary>History rows per API request in a full scan ([minStep, minStep + PageSize) per page).</summary>
        public int PageSize { get; set; } = DefaultPageSize;

        public bool HasKeys => _keys is not null;

        /// <summary>True when <paramref name="step"/> is inside [MinStep, MaxStep].</summary>
        public bool InRange(long step) => (MinStep is null || step >= MinStep) && (MaxStep is null || step <= MaxStep);

        /// <summary>True when the top-level key is one the query asks for (every key when no keys are named).</summary>
        public bool Wants(string topLevelKey)
        {
            if (_keys is null)
            {
                return true;
            }

            _matches ??= new Dictionary<string, bool>(StringComparer.Ordinal);
            if (!_matches.TryGetValue(topLevelKey, out bool wanted))
            {
                wanted = _patterns.Any(p => p.IsMatch(topLevelKey));
                _matches[topLevelKey] = wanted;
            }

            return wanted;
        }

        /// <summary>
        /// The same query for another thread: <see cref="Wants"/> remembers its answers in a dictionary, which one thread
        /// at a time may use, so the copy starts without it (the patterns are immutable and shared). A member-wise copy,
        /// so a setting added to the query later is copied too.
        /// </summary>
        internal HistoryQuery CopyForAnotherThread()
        {
            var copy = (HistoryQuery)MemberwiseClone();
            copy._matches = null;
            return copy;
        }

        /// <summary>True when every named key is a literal (no wildcard), so the API can ask for them without listing keys first.</summary>
        internal bool AllLiteral => _keys is not null && _keys.All(k => !Wildcard.IsPattern(k));

        /// <summary>The named keys, wildcard escapes removed (only meaningful when <see cref="AllLiteral"/>).</summary>
        internal IEnumerable<string> LiteralKeys => (_keys ?? Array.Empty<string>()).Select(Wildcard.Unescape);

        /// <summary>
        /// The row as the query returns it: null when keys are named and the row holds none of them; otherwise the row
        /// with only the named keys and the system keys.
        /// </summary>
        public HistoryRow? Select(HistoryRow row)
        {
            if (_keys is null)
            {
                return row;
            }

            var kept = new WandbMap();
            bool any = false;
            foreach (KeyValuePair<string, object?> pair in row.Values)
            {
                bool wanted = Wants(pair.Key);
                any |= wanted;
                if (wanted || HistoryRow.IsSystemKey(pair.Key))
                {
                    kept.Set(pair.Key, pair.Value);
                }
            }

            return any ? new HistoryRow(row.Step, kept) : null;
        }

        /// <summary>
        /// The indices of <paramref name="samples"/> of <paramref name="count"/> items, evenly spread, first and last
        /// included (all of them when there are no more than that).
        /// </summary>
        public static IEnumerable<int> EvenlySpread(int count, int samples)
        {
            if (samples >= count)
            {
                for (int i = 0; i < count; i++)
                {
                    yield return i;
                }

                yield break;
            }

            if (samples <= 0)
            {
                yield break;
            }

            if (samples == 1)
            {
                yield return 0;
                yield break;
            }

            for (long i = 0; i < samples; i++)
            {
                yield return (int)((i * (count - 1) + (samples - 1) / 2) / (samples - 1));
            }
        }
    }
}
