using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// Turns rows read from inside a run (history steps, system-metric samples) into PowerShell objects: the run's
    /// identity (as on config and summary rows), then the row kind's own properties (history: <c>_step</c>,
    /// <c>_runtime</c>, <c>_timestamp</c>; system metrics: <c>Timestamp</c>, <c>Runtime</c>), then one property per
    /// key, nested keys as maps. Every row of a run carries every key of the run and of the runs before it in the same
    /// command (<c>$null</c> where a row did not log it), or exactly -Key when -Key names keys without wildcards,
    /// because Export-Csv and Format-Table take their columns from the first row. A run's keys are learned from its
    /// first <see cref="Lookahead"/> rows, which are held back until then; a key first logged later, or a later run's
    /// key that earlier rows lack, is added from there on with one warning (earlier rows cannot change).
    /// A key named like an identity property is shown with the kind's prefix (<c>History_key</c>), with one warning.
    /// </summary>
    internal abstract class KeyedRowBuilder<TRow>
    {
        /// <summary>Rows of a run held back to learn its keys: one API page, and bounded memory for long runs.</summary>
        public const int Lookahead = 1000;

        private readonly string[] _leading;
        private readonly string[] _listLeading;
        private readonly string[]? _literalColumns;
        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly RowColumns _commandColumns = new RowColumns();
        private readonly List<(TRow Row, WandbMap Values)> _held = new List<(TRow, WandbMap)>();
        private RowColumns _runColumns = new RowColumns();
        private bool _streaming;
        private string? _view;
        private bool _viewStale = true;

        protected KeyedRowBuilder(IEnumerable<string>? keys)
        {
            _leading = new[] { "RunId", OrderColumn };
            _listLeading = RunRowBuilder.Identity.Concat(OwnProperties).ToArray();
            string[] given = (keys ?? Enumerable.Empty<string>()).ToArray();
            if (given.Length > 0 && !given.Any(Wildcard.IsPattern))
            {
                _literalColumns = given.Select(Wildcard.Unescape).Select(ColumnName)
                    .Where(k => !IsOwnKey(k)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            }
        }

        /// <summary>The row type's name (WandbRunOps.Model.RunHistory…).</summary>
        protected abstract string TypeName { get; }

        /// <summary>What the keys are, in warnings: "history", "system metric".</summary>
        protected abstract string Noun { get; }

        /// <summary>The prefix of a key renamed because it has an identity property's name.</summary>
        protected abstract string CollisionPrefix { get; }

        /// <summary>The kind's own properties, after the identity: in the list view, and on every row.</summary>
        protected abstract IReadOnlyList<string> OwnProperties { get; }

        /// <summary>The table's second column, after RunId: what orders a run's rows.</summary>
        protected abstract string OrderColumn { get; }

        /// <summary>The row's keys and values as read.</summary>
        protected abstract WandbMap ValuesOf(TRow row);

        /// <summary>The value of one of <see cref="OwnProperties"/>.</summary>
        protected abstract object? OwnValue(TRow row, string name);

        /// <summary>Where a row is, in warnings ("step 12").</summary>
        protected abstract string PositionOf(TRow row);

        /// <summary>True for keys of the values that are shown as <see cref="OwnProperties"/> rather than as keys.</summary>
        protected virtual bool IsOwnKey(string key) => false;

        /// <summary>Takes one row of <paramref name="run"/>; writes it now, or holds it while the run's keys are learned.</summary>
        public void Add(PSCmdlet cmdlet, WandbRun run, TRow history, Action<PSObject> write, Action<string> warn)
        {
            WandbMap values = Select(run, history, warn);
            if (_literalColumns is not null)
            {
                if (_viewStale)
                {
                    _view = RowViews.For(cmdlet, TypeName, _leading, _listLeading, _literalColumns, name => name == OrderColumn && IsNumeric(OwnValue(history, name)), _ => 0);
                    _viewStale = false;
                }

                write(Build(run, history, values, _literalColumns));
                return;
            }

            if (!_streaming)
            {
                _held.Add((history, values));
                _runColumns.AddRange(values.Keys);
                if (_held.Count >= Lookahead)
                {
                    Release(cmdlet, run, write, warn);
                }

                return;
            }

            foreach (string key in values.Keys)
            {
                if (_commandColumns.Add(key))
                {
                    _viewStale = true;
                    if (_warned.Add("late:" + run.Id))
                    {
                        warn("Run '" + run.Id + "' logs '" + key + "' first at " + PositionOf(history) + ", after its first " + Lookahead +
                         " rows were written without it. Use -Key to give every row the same columns.");
                    }
                }
            }

            if (_viewStale)
            {
                _view = ViewFor(cmdlet, run);
            }

            write(Build(run, history, values, _commandColumns.Names));
        }

        /// <summary>
        /// Writes one run's rows as they are read (<paramref name="seen"/> is told of each first), then ends the run. A
        /// <see cref="WandbException"/> while reading ends the run: the rows read so far are written, then the error goes
        /// to <paramref name="fail"/> (the cmdlet writes it for that run and goes on with the next).
        /// </summary>
        public void WriteRun(PSCmdlet cmdlet, WandbRun run, IEnumerator<TRow> rows, Action<PSObject> write, Action<string> warn, Action<WandbException> fail, Action<TRow> seen)
        {
            using (rows)
            {
                while (true)
                {
                    try
                    {
                        if (!rows.MoveNext())
                        {
                            break;
                        }
                    }
                    catch (WandbException e)
                    {
                        EndRun(cmdlet, run, write, warn);
                        fail(e);
                        return;
                    }

                    seen(rows.Current);
                    Add(cmdlet, run, rows.Current, write, warn);
                }

                EndRun(cmdlet, run, write, warn);
            }
        }

        /// <summary>Ends a run: writes the rows still held, with the run's keys.</summary>
        public void EndRun(PSCmdlet cmdlet, WandbRun run, Action<PSObject> write, Action<string> warn)
        {
            if (_literalColumns is null && !_streaming)
            {
                Release(cmdlet, run, write, warn);
            }

            _held.Clear();
            _runColumns = new RowColumns();
            _streaming = false;
        }

        private void Release(PSCmdlet cmdlet, WandbRun run, Action<PSObject> write, Action<string> warn)
        {
            _streaming = true;
            if (_held.Count == 0)
            {
                return;
            }

            List<string> added = _runColumns.Names.Where(n => !_commandColumns.Contains(n)).ToList();
            if (_commandColumns.Count > 0 && added.Count > 0 && _warned.Add("later-run-keys"))
            {
                warn("Run '" + run.Id + "' has " + Noun + " keys that earlier rows lack (" + string.Join(", ", added.Select(k => "'" + k + "'")) +
                     "); Export-Csv and Format-Table take their columns from the first row. Use -Key to give every row the same columns.");
            }

            _commandColumns.AddRange(_runColumns.Names);
            if (added.Count > 0 || _view is null)
            {
                _view = ViewFor(cmdlet, run);
            }

            foreach ((TRow row, WandbMap values) in _held)
            {
                write(Build(run, row, values, _commandColumns.Names));
            }

            _held.Clear();
        }

        private string? ViewFor(PSCmdlet cmdlet, WandbRun run)
        {
            _viewStale = false;
            return RowViews.For(cmdlet, TypeName, _leading, _listLeading, _commandColumns.Names, IsNumericColumn, name => Width(run, name));
        }

        private int Width(WandbRun run, string name)
        {
            if (name == "RunId")
            {
                return RowViews.WidthOf(name, new object?[] { run.Id });
            }

            return name == OrderColumn
                ? RowViews.WidthOf(name, _held.Select(h => OwnValue(h.Row, name)))
                : RowViews.WidthOf(name, _held.Select(h => h.Values.TryGetExact(name, out object? value) ? value : null));
        }

        private bool IsNumericColumn(string name)
        {
            foreach ((TRow row, WandbMap values) in _held)
            {
                object? value = name == OrderColumn ? OwnValue(row, name) : values.TryGetExact(name, out object? logged) ? logged : null;
                if (value is not null)
                {
                    return IsNumeric(value);
                }
            }

            return false;
        }

        private static bool IsNumeric(object? value) => value is long or double or int;

        private PSObject Build(WandbRun run, TRow history, WandbMap values, IReadOnlyList<string> columns)
        {
            PSObject row = RunRowBuilder.NewRow(TypeName, run);
            RowViews.Apply(row, _view);
            foreach (string name in OwnProperties)
            {
                row.Properties.Add(new PSNoteProperty(name, OwnValue(history, name)));
            }

            foreach (string column in columns)
            {
                row.Properties.Add(new PSNoteProperty(column, values.TryGetValue(column, out object? value) ? value : null));
            }

            return row;
        }

        private string ColumnName(string key) => RunRowBuilder.IsIdentityName(key) || OwnProperties.Contains(key, StringComparer.OrdinalIgnoreCase) && !IsOwnKey(key) ? CollisionPrefix + key : key;

        /// <summary>The row's keys (not those shown as <see cref="OwnProperties"/>), in logged order, under their column names.</summary>
        private WandbMap Select(WandbRun run, TRow history, Action<string> warn)
        {
            WandbMap logged = ValuesOf(history);
            var selected = new WandbMap(logged.Count);
            foreach (KeyValuePair<string, object?> pair in logged)
            {
                if (IsOwnKey(pair.Key))
                {
                    continue;
                }

                string name = ColumnName(pair.Key);
                if (!ReferenceEquals(name, pair.Key) && _warned.Add(pair.Key))
                {
                    warn("The " + Noun + " key '" + pair.Key + "' has the name of an identity property; it is shown as '" + name + "'.");
                }

                if (selected.ContainsKey(name))
                {
                    if (_warned.Add("dup:" + name))
                    {
                        warn("Run '" + run.Id + "' has " + Noun + " keys that differ only in case ('" + name + "'); the first is shown.");
                    }

                    continue;
                }

                selected.Set(name, pair.Value);
            }

            return selected;
        }
    }
}
