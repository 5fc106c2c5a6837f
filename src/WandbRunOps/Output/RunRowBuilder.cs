using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// Turns a run's config or summary into one PowerShell object with one property per key, plus the run's identity
    /// (RunId, RunName, RunProject, RunEntity, RunPath) so rows filter, sort, export and re-bind downstream. A user key
    /// that collides with an identity property is renamed <c>Config_key</c>/<c>Summary_key</c>, with one warning per key.
    /// </summary>
    internal sealed class RunRowBuilder
    {
        private static readonly string[] IdentityNames = { "RunId", "RunName", "RunProject", "RunEntity", "RunPath" };

        private readonly string _typeName;
        private readonly string _collisionPrefix;
        private readonly Wildcard[] _keys;
        private readonly bool _flatten;
        private readonly bool _includeInternal;
        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public RunRowBuilder(string typeName, string collisionPrefix, IEnumerable<string>? keys, bool flatten, bool includeInternal)
        {
            _typeName = typeName;
            _collisionPrefix = collisionPrefix;
            _keys = (keys ?? Enumerable.Empty<string>()).Select(k => new Wildcard(k)).ToArray();
            _flatten = flatten;
            _includeInternal = includeInternal;
        }

        /// <summary>A new row typed <paramref name="typeName"/> holding the run's identity: RunId, RunName, RunProject, RunEntity, RunPath.</summary>
        public static PSObject NewRow(string typeName, WandbRun run)
        {
            var row = new PSObject();
            row.TypeNames.Insert(0, typeName);
            row.Properties.Add(new PSNoteProperty("RunId", run.Id));
            row.Properties.Add(new PSNoteProperty("RunName", run.Name));
            row.Properties.Add(new PSNoteProperty("RunProject", run.Project));
            row.Properties.Add(new PSNoteProperty("RunEntity", run.Entity));
            row.Properties.Add(new PSNoteProperty("RunPath", run.Path));
            return row;
        }

        /// <summary>True when a key has the name of an identity property (case-insensitive, as PowerShell reads property names).</summary>
        public static bool IsIdentityName(string name) => IdentityNames.Contains(name, StringComparer.OrdinalIgnoreCase);

        public PSObject Build(WandbRun run, WandbMap values, Action<string> warn)
        {
            PSObject row = NewRow(_typeName, run);

            IEnumerable<KeyValuePair<string, object?>> pairs = _flatten ? ValueTree.Flatten(values) : values;
            foreach (KeyValuePair<string, object?> pair in pairs)
            {
                if (!_includeInternal && InternalKeys.IsInternalPath(pair.Key))
                {
                    continue;
                }

                if (_keys.Length > 0 && !_keys.Any(k => k.IsMatch(pair.Key)))
                {
                    continue;
                }

                string name = pair.Key;
                if (IsIdentityName(name))
                {
                    name = _collisionPrefix + name;
                    if (_warned.Add(pair.Key))
                    {
                        warn("The key '" + pair.Key + "' has the name of an identity property; it is shown as '" + name + "'. $run." + _collisionPrefix.TrimEnd('_') + " keeps the original name.");
                    }
                }

                if (row.Properties[name] is not null)
                {
                    if (_warned.Add("dup:" + name))
                    {
                        warn("Run '" + run.Id + "' has more than one key named '" + name + "' (keys differ only in case, or a dotted key meets a nested one); the first is shown.");
                    }

                    continue;
                }

                row.Properties.Add(new PSNoteProperty(name, pair.Value));
            }

            return row;
        }
    }
}
