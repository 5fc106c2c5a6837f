using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>
    /// What completers found recently, so pressing Tab again (or typing one more letter) does not ask the server or
    /// read logs again. Keyed by source, parameter and context; entries live <see cref="Ttl"/> (30 s), and a lookup
    /// that failed or ran out of time is remembered, empty, for <see cref="FailureTtl"/> (5 s) so a hanging server
    /// costs one wait, not one per Tab. Thread-safe; holds only names, never keys.
    /// </summary>
    internal sealed class CompletionCache
    {
        public static readonly CompletionCache Shared = new CompletionCache(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), () => DateTime.UtcNow);

        private const int MaxEntries = 256;

        private readonly ConcurrentDictionary<string, Entry> _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        private readonly Func<DateTime> _clock;

        public CompletionCache(TimeSpan ttl, TimeSpan failureTtl, Func<DateTime> clock)
        {
            Ttl = ttl;
            FailureTtl = failureTtl;
            _clock = clock;
        }

        public TimeSpan Ttl { get; }

        public TimeSpan FailureTtl { get; }

        public int Count => _entries.Count;

        /// <summary>
        /// The cached candidates for <paramref name="key"/>, or what <paramref name="load"/> finds (then cached). When
        /// <paramref name="load"/> throws, an empty entry is remembered briefly and the exception goes on to the caller.
        /// </summary>
        public IReadOnlyList<CompletionCandidate> GetOrLoad(string key, Func<IReadOnlyList<CompletionCandidate>> load)
        {
            DateTime now = _clock();
            if (_entries.TryGetValue(key, out Entry? entry) && entry.Expires > now)
            {
                return entry.Items;
            }

            bool loaded = false;
            try
            {
                IReadOnlyList<CompletionCandidate> items = load();
                loaded = true;
                Store(key, items, Ttl);
                return items;
            }
            finally
            {
                if (!loaded)
                {
                    Store(key, Array.Empty<CompletionCandidate>(), FailureTtl);
                }
            }
        }

        public void Clear() => _entries.Clear();

        private void Store(string key, IReadOnlyList<CompletionCandidate> items, TimeSpan lifetime)
        {
            DateTime now = _clock();
            if (_entries.Count >= MaxEntries)
            {
                foreach (KeyValuePair<string, Entry> stale in _entries.Where(e => e.Value.Expires <= now).ToList())
                {
                    _entries.TryRemove(stale.Key, out _);
                }

                if (_entries.Count >= MaxEntries)
                {
                    _entries.Clear();
                }
            }

            _entries[key] = new Entry(items, now + lifetime);
        }

        private sealed class Entry
        {
            public Entry(IReadOnlyList<CompletionCandidate> items, DateTime expires)
            {
                Items = items;
                Expires = expires;
            }

            public IReadOnlyList<CompletionCandidate> Items { get; }

            public DateTime Expires { get; }
        }
    }
}
