using System.Collections.Generic;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// History rows (<see cref="KeyedRowBuilder{TRow}"/>): <c>_step</c> (long), <c>_runtime</c> (double seconds) and
    /// <c>_timestamp</c> (UTC DateTime) after the identity, then one property per key.
    /// </summary>
    internal sealed class HistoryRowBuilder : KeyedRowBuilder<HistoryRow>
    {
        public const string RowTypeName = "WandbRunOps.Model.RunHistory";

        private static readonly string[] Own = { HistoryRow.StepKey, HistoryRow.RuntimeKey, HistoryRow.TimestampKey };

        public HistoryRowBuilder(IEnumerable<string>? keys)
            : base(keys)
        {
        }

        protected override string TypeName => RowTypeName;

        protected override string Noun => "history";

        protected override string CollisionPrefix => "History_";

        protected override IReadOnlyList<string> OwnProperties => Own;

        protected override string OrderColumn => HistoryRow.StepKey;

        protected override WandbMap ValuesOf(HistoryRow row) => row.Values;

        protected override object? OwnValue(HistoryRow row, string name) => name switch
        {
            HistoryRow.StepKey => row.Step,
            HistoryRow.RuntimeKey => row.Runtime,
            _ => row.Timestamp,
        };

        protected override string PositionOf(HistoryRow row) => "step " + row.Step;

        protected override bool IsOwnKey(string key) => HistoryRow.IsSystemKey(key);
    }
}
