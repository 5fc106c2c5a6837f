using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// -Key names without wildcards that no run had: one warning at the end of the command names them, so a typo
    /// (-Key acuracy) does not pass silently as "no values". Keys compare case-insensitively, as -Key matches them.
    /// </summary>
    internal sealed class MissingKeyCheck
    {
        private readonly List<string> _missing;
        private readonly string _what;
        private readonly string _where;
        private bool _sawRun;

        /// <param name="what">What the keys are, for the warning: "config", "summary", "history", "system metric".</param>
        /// <param name="where">
        /// Where the keys were looked for, when that is less than the whole run (" at steps 10 to 12"): only the rows
        /// output are seen, so a key outside them is missing from them, not from the run.
        /// </param>
        public MissingKeyCheck(IEnumerable<string>? keys, string what, string where = "")
        {
            _missing = (keys ?? Enumerable.Empty<string>()).Where(k => !Wildcard.IsPattern(k)).Select(Wildcard.Unescape).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            _what = what;
            _where = where;
        }

        /// <summary>A run was read (even one with no keys at all).</summary>
        public void SawRun() => _sawRun = true;

        /// <summary>Keys present in a run (or in one of its history rows).</summary>
        public void Saw(IEnumerable<string> keys)
        {
            if (_missing.Count > 0)
            {
                var present = new HashSet<string>(keys, StringComparer.OrdinalIgnoreCase);
                _missing.RemoveAll(present.Contains);
            }
        }

        /// <summary>Keys present in a map (a run's config or summary, a history row).</summary>
        public void Saw(WandbMap values)
        {
            if (_missing.Count > 0)
            {
                _missing.RemoveAll(values.ContainsKey);
            }
        }

        /// <summary>The one warning, once every run was read; nothing when no run was read (that is reported as such).</summary>
        public void Warn(Action<string> warn)
        {
            if (_sawRun && _missing.Count > 0)
            {
                warn("No run has the " + _what + " key" + (_missing.Count == 1 ? " '" : "s '") + string.Join("', '", _missing) + "'" + _where + ". Keys without wildcards must match a key's whole name; use Get-Run" +
                    (_what == "history" ? "History" : _what == "config" ? "Config" : _what == "system metric" ? "SystemMetric" : "Summary") + " without -Key to see the keys the runs have.");
            }
        }
    }
}
