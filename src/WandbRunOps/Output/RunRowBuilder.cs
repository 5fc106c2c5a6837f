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
    /// Every row of one command has the same columns, because Export-Csv and Format-Table take theirs from the first
    /// row: with -Key naming keys without wildcards, exactly those keys (rows stream); otherwise the union of the keys
    /// of every run, in first-seen order, <c>$null</c> where a run lacks one (rows wait for the end of input).
    /// </summary>
    internal sealed class RunRowBuilder
    {
        private static readonly string[] IdentityNames = { "RunId", "RunName", "RunProject", "RunEntity", "RunPath" };
        private static readonly string[] Leading = { "RunId" };

        /// <summary>The identity properties, in order: every row starts with them.</summary>
        public static IReadOnlyList<string> Identity => IdentityNames;

        private readonly string _typeName;
        private readonly string _collisionPrefix;
        private readonly Wildcard[] _keys;
        private readonly string[]? _literalColumns;
        private readonly bool _flatten;
        private readonly bool _includeInternal;
        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly RowColumns _union = new RowColumns();
        private readonly List<(WandbRun Run, WandbMap Values)> _waiting = new List<(WandbRun, WandbMap)>();
        private string? _literalView;

        public RunRowBuilder(string typeName, string collisionPrefix, IEnumerable<string>? keys, bool flatten, bool includeInternal)
        {
            _typeName = typeName;
            _collisionPrefix = collisionPrefix;
            string[] given = (keys ?? Enumerable.Empty<string>()).ToArray();
            _keys = given.Select(k => new Wildcard(k)).ToArray();
            if (given.Length > 0 && !given.Any(Wildcard.IsPattern))
            {
                _literalColumns = given.Select(Wildcard.Unescape).Select(ColumnName).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            }

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

        /// <summary>
        /// Takes one run: writes its row at once when -Key names the columns, else keeps it for <see cref="Finish"/>.
        /// </summary>
        public void Add(PSCmdlet cmdlet, WandbRun run, WandbMap values, Action<PSObject> write, Action<string> warn)
        {
            WandbMap selected = Select(run, values, warn);
            if (_literalColumns is not null)
            {
                _literalView ??= RowViews.For(cmdlet, _typeName, Leading, IdentityNames, _literalColumns, _ => false, _ => 0);
                write(Build(run, selected, _literalColumns, _literalView));
                return;
            }

            _union.AddRange(selected.Keys);
            _waiting.Add((run, selected));
        }

        /// <summary>Writes the rows kept back, each with the union of the keys of every run, in first-seen order.</summary>
        public void Finish(PSCmdlet cmdlet, Action<PSObject> write)
        {
            if (_waiting.Count == 0)
            {
                return;
            }

            IReadOnlyList<string> columns = _union.Names;
            string? view = RowViews.For(cmdlet, _typeName, Leading, IdentityNames, columns, IsNumericColumn, Width);
            foreach ((WandbRun run, WandbMap values) in _waiting)
            {
                write(Build(run, values, columns, view));
            }

            _waiting.Clear();
        }

        private int Width(string name) =>
            RowViews.WidthOf(name, _waiting.Select(w => name == "RunId" ? w.Run.Id : w.Values.TryGetValue(name, out object? value) ? value : null));

        private bool IsNumericColumn(string name)
        {
            foreach ((WandbRun _, WandbMap values) in _waiting)
            {
                if (values.TryGetValue(name, out object? value) && value is not null)
                {
                    return value is long or double or int;
                }
            }

            return false;
        }

        private PSObject Build(WandbRun run, WandbMap values, IReadOnlyList<string> columns, string? view)
        {
            PSObject row = NewRow(_typeName, run);
            RowViews.Apply(row, view);
            foreach (string column in columns)
            {
                row.Properties.Add(new PSNoteProperty(column, values.TryGetValue(column, out object? value) ? value : null));
            }

            return row;
        }

        private string ColumnName(string key) => IsIdentityName(key) ? _collisionPrefix + key : key;

        /// <summary>The run's keys this command shows, in order, under their column names (case-insensitive, first kept).</summary>
        private WandbMap Select(WandbRun run, WandbMap values, Action<string> warn)
        {
            var selected = new WandbMap();
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

                string name = ColumnName(pair.Key);
                if (!ReferenceEquals(name, pair.Key) && _warned.Add(pair.Key))
                {
                    warn("The key '" + pair.Key + "' has the name of an identity property; it is shown as '" + name + "'. $run." + _collisionPrefix.TrimEnd('_') + " keeps the original name.");
                }

                if (selected.ContainsKey(name))
                {
                    if (_warned.Add("dup:" + name))
                    {
                        warn("Run '" + run.Id + "' has more than one key named '" + name + "' (keys differ only in case, or a dotted key meets a nested one); the first is shown.");
                    }

                    continue;
                }

                selected.Set(name, pair.Value);
            }

            return selected;
        }
    }
}
