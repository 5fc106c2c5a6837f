using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// Turns history rows into PowerShell objects: the run's identity (as on config and summary rows), then
    /// <c>_step</c> (long), <c>_runtime</c> (double seconds) and <c>_timestamp</c> (UTC DateTime), then one property per
    /// key, nested keys as maps. Every row of a run carries every key of the run and of the runs before it in the same
    /// command (<c>$null</c> where a step did not log it), or exactly -Key when -Key names keys without wildcards,
    /// because Export-Csv and Format-Table take their columns from the first row. A run's keys are learned from its
    /// first <see cref="Lookahead"/> rows, which are held back until then; a key first logged later, or a later run's
    /// key that earlier rows lack, is added from there on with one warning (earlier rows cannot change).
    /// A key named like an identity property is shown as <c>History_key</c>, with one warning.
    /// </summary>
    internal sealed class HistoryRowBuilder
    {
        public const string TypeName = "WandbRunOps.Model.RunHistory";

        /// <summary>Rows of a run held back to learn its keys: one API page, and bounded memory for long runs.</summary>
        public const int Lookahead = 1000;

        private const string CollisionPrefix = "History_";
        private static readonly string[] Leading = { "RunId", HistoryRow.StepKey };
        private static readonly string[] ListLeading = RunRowBuilder.Identity.Concat(new[] { HistoryRow.StepKey, HistoryRow.RuntimeKey, HistoryRow.TimestampKey }).ToArray();

        private readonly string[]? _literalColumns;
        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly RowColumns _commandColumns = new RowColumns();
        private readonly List<(HistoryRow Row, WandbMap Values)> _held = new List<(HistoryRow, WandbMap)>();
        private RowColumns _runColumns = new RowColumns();
        private bool _streaming;
        private string? _view;
        private bool _viewStale = true;

        public HistoryRowBuilder(IEnumerable<string>? keys)
        {
            string[] given = (keys ?? Enumerable.Empty<string>()).ToArray();
            if (given.Length > 0 && !given.Any(Wildcard.IsPattern))
            {
                _literalColumns = given.Select(Wildcard.Unescape).Select(ColumnName)
                    .Where(k => !HistoryRow.IsSystemKey(k)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            }
        }

        /// <summary>Takes one row of <paramref name="run"/>; writes it now, or holds it while the run's keys are learned.</summary>
        public void Add(PSCmdlet cmdlet, WandbRun run, HistoryRow history, Action<PSObject> write, Action<string> warn)
        {
            WandbMap values = Select(run, history, warn);
            if (_literalColumns is not null)
            {
                if (_viewStale)
                {
                    _view = RowViews.For(cmdlet, TypeName, Leading, ListLeading, _literalColumns, name => name == HistoryRow.StepKey, _ => 0);
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
                        warn("Run '" + run.Id + "' logs '" + key + "' first at step " + history.Step + ", after its first " + Lookahead +
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
                warn("Run '" + run.Id + "' has history keys that earlier rows lack (" + string.Join(", ", added.Select(k => "'" + k + "'")) +
                     "); Export-Csv and Format-Table take their columns from the first row. Use -Key to give every row the same columns.");
            }

            _commandColumns.AddRange(_runColumns.Names);
            if (added.Count > 0 || _view is null)
            {
                _view = ViewFor(cmdlet, run);
            }

            foreach ((HistoryRow row, WandbMap values) in _held)
            {
                write(Build(run, row, values, _commandColumns.Names));
            }

            _held.Clear();
        }

        private string? ViewFor(PSCmdlet cmdlet, WandbRun run)
        {
            _viewStale = false;
            return RowViews.For(cmdlet, TypeName, Leading, ListLeading, _commandColumns.Names, IsNumericColumn, name => Width(run, name));
        }

        private int Width(WandbRun run, string name) => name switch
        {
            "RunId" => RowViews.WidthOf(name, new object?[] { run.Id }),
            HistoryRow.StepKey => RowViews.WidthOf(name, _held.Select(h => (object?)h.Row.Step)),
            _ => RowViews.WidthOf(name, _held.Select(h => h.Values.TryGetExact(name, out object? value) ? value : null)),
        };

        private bool IsNumericColumn(string name)
        {
            if (name == HistoryRow.StepKey)
            {
                return true;
            }

            foreach ((HistoryRow _, WandbMap values) in _held)
            {
                if (values.TryGetExact(name, out object? value) && value is not null)
                {
                    return value is long or double or int;
                }
            }

            return false;
        }

        private PSObject Build(WandbRun run, HistoryRow history, WandbMap values, IReadOnlyList<string> columns)
        {
            PSObject row = RunRowBuilder.NewRow(TypeName, run);
            RowViews.Apply(row, _view);
            row.Properties.Add(new PSNoteProperty(HistoryRow.StepKey, history.Step));
            row.Properties.Add(new PSNoteProperty(HistoryRow.RuntimeKey, history.Runtime));
            row.Properties.Add(new PSNoteProperty(HistoryRow.TimestampKey, history.Timestamp));
            foreach (string column in columns)
            {
                row.Properties.Add(new PSNoteProperty(column, values.TryGetValue(column, out object? value) ? value : null));
            }

            return row;
        }

        private static string ColumnName(string key) => RunRowBuilder.IsIdentityName(key) ? CollisionPrefix + key : key;

        /// <summary>The row's keys (not <c>_step</c>, <c>_runtime</c>, <c>_timestamp</c>), in logged order, under their column names.</summary>
        private WandbMap Select(WandbRun run, HistoryRow history, Action<string> warn)
        {
            var selected = new WandbMap(history.Values.Count);
            foreach (KeyValuePair<string, object?> pair in history.Values)
            {
                if (HistoryRow.IsSystemKey(pair.Key))
                {
                    continue;
                }

                string name = ColumnName(pair.Key);
                if (!ReferenceEquals(name, pair.Key) && _warned.Add(pair.Key))
                {
                    warn("The history key '" + pair.Key + "' has the name of an identity property; it is shown as '" + name + "'.");
                }

                if (selected.ContainsKey(name))
                {
                    if (_warned.Add("dup:" + name))
                    {
                        warn("Run '" + run.Id + "' has history keys that differ only in case ('" + name + "'); the first is shown.");
                    }

                    continue;
                }

                selected.Set(name, pair.Value);
            }

            return selected;
        }
    }
}
