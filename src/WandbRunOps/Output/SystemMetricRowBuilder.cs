using System.Collections.Generic;
using System.Globalization;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// System-metric rows (<see cref="KeyedRowBuilder{TRow}"/>): <c>Timestamp</c> (UTC DateTime) and <c>Runtime</c>
    /// (double seconds since the run's start, when known) after the identity, then one property per metric
    /// (<c>system.gpu.0.gpu</c>…), under the history rules for keys and columns.
    /// </summary>
    internal sealed class SystemMetricRowBuilder : KeyedRowBuilder<SystemMetricRow>
    {
        public const string RowTypeName = "WandbRunOps.Model.RunSystemMetric";

        private const string TimestampName = "Timestamp";
        private const string RuntimeName = "Runtime";
        private static readonly string[] Own = { TimestampName, RuntimeName };

        public SystemMetricRowBuilder(IEnumerable<string>? keys)
            : base(keys)
        {
        }

        protected override string TypeName => RowTypeName;

        protected override string Noun => "system metric";

        protected override string CollisionPrefix => "Metric_";

        protected override IReadOnlyList<string> OwnProperties => Own;

        protected override string OrderColumn => TimestampName;

        protected override WandbMap ValuesOf(SystemMetricRow row) => row.Values;

        protected override object? OwnValue(SystemMetricRow row, string name) => name == TimestampName ? row.Timestamp : row.Runtime;

        protected override string PositionOf(SystemMetricRow row) =>
            row.Timestamp?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "a sample without a time";
    }
}
