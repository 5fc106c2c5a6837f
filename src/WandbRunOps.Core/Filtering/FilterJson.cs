using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Filtering
{
    /// <summary>A filter as the JSON W&amp;B's <c>filters</c> argument takes; parsing it back gives the same filter.</summary>
    public static class FilterJson
    {
        public static string Serialize(FilterNode filter) => ExtendedJson.Serialize(ToMap(filter));

        /// <summary>
        /// How deep the JSON form of <paramref name="filter"/> nests, counted as <see cref="ExtendedJson"/> counts it
        /// (the outer object is level 0, its values level 1): more than <see cref="ExtendedJson.MaxDepth"/> cannot be
        /// written (nor read back).
        /// </summary>
        public static int Depth(FilterNode filter) => filter switch
        {
            LogicalFilter logical when logical.IsEmpty => 0,
            LogicalFilter logical => 2 + logical.Parts.Max(Depth),
            FieldFilter field => 1 + ConditionDepth(field.Condition),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };

        private static int ConditionDepth(Condition condition) => condition.Operator switch
        {
            ConditionOperator.AllOf => ((Condition[])condition.Operand!).Max(ConditionDepth),
            ConditionOperator.Not => 1 + ConditionDepth((Condition)condition.Operand!),
            _ => condition.Operand is IReadOnlyList<object?> ? 2 : 1,
        };

        public static WandbMap ToMap(FilterNode filter) => filter switch
        {
            LogicalFilter logical when logical.IsEmpty => new WandbMap(),
            LogicalFilter logical => new WandbMap { { "$" + logical.Operator.ToString().ToLowerInvariant(), logical.Parts.Select(p => (object?)ToMap(p)).ToArray() } },
            FieldFilter field => new WandbMap { { field.Field.Key, ConditionValue(field.Condition) } },
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };

        private static object? ConditionValue(Condition condition)
        {
            switch (condition.Operator)
            {
                case ConditionOperator.AllOf:
                    var all = new WandbMap();
                    foreach (Condition part in (Condition[])condition.Operand!)
                    {
                        foreach (var pair in (WandbMap)ConditionValue(part)!)
                        {
                            all.Set(pair.Key, pair.Value);
                        }
                    }

                    return all;
                case ConditionOperator.Not:
                    return new WandbMap { { "$not", ConditionValue((Condition)condition.Operand!) } };
                default:
                    return new WandbMap { { "$" + condition.Operator.ToString().ToLowerInvariant(), Operand(condition.Operand) } };
            }
        }

        private static object? Operand(object? operand) => operand switch
        {
            DateTime time => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            IReadOnlyList<object?> list => list.Select(Operand).ToArray(),
            _ => operand,
        };
    }
}
