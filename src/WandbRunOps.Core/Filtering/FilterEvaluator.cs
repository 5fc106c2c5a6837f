using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Filtering
{
    /// <summary>
    /// Evaluates a filter against a run in-process, with MongoDB-style semantics: a list field matches when any
    /// element does; a missing field equals null and fails every comparison; numbers compare by value whatever their
    /// type; strings compare ordinally (case-sensitive, as the server does); NaN compares with nothing.
    /// </summary>
    public static class FilterEvaluator
    {
        public static bool Matches(FilterNode filter, WandbRun run) => filter switch
        {
            LogicalFilter { Operator: LogicalOperator.And } and => and.Parts.All(p => Matches(p, run)),
            LogicalFilter { Operator: LogicalOperator.Or } or => or.Parts.Any(p => Matches(p, run)),
            LogicalFilter nor => !nor.Parts.Any(p => Matches(p, run)),
            FieldFilter field => Holds(field.Condition, ValueOf(field.Field, run)),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };

        /// <summary>The run's value for a filter field, or null when the run has none.</summary>
        public static object? ValueOf(FilterField field, WandbRun run) => field.Kind switch
        {
            FilterFieldKind.State => run.State.ToString().ToLowerInvariant(),
            FilterFieldKind.DisplayName => run.Name,
            FilterFieldKind.Name => run.Id,
            FilterFieldKind.CreatedAt => run.CreatedAt,
            FilterFieldKind.HeartbeatAt => run.HeartbeatAt,
            FilterFieldKind.JobType => run.JobType,
            FilterFieldKind.Group => run.Group,
            FilterFieldKind.Tags => run.Tags.Cast<object?>().ToArray(),
            FilterFieldKind.Username => run.Username,
            FilterFieldKind.Host => run.Host,
            FilterFieldKind.Duration => run.ReportedSeconds ?? run.Runtime.TotalSeconds,
            FilterFieldKind.Sweep => run.SweepId,
            FilterFieldKind.Config => Lookup(run.Config, field.Path!.Split('.'), 0),
            FilterFieldKind.Summary => Lookup(run.Summary, field.Path!.Split('.'), 0),
            _ => null,
        };

        private static bool Holds(Condition condition, object? value)
        {
            object? operand = condition.Operand;
            switch (condition.Operator)
            {
                case ConditionOperator.Eq: return EqualsAny(value, operand);
                case ConditionOperator.Ne: return !EqualsAny(value, operand);
                case ConditionOperator.Gt: return CompareAny(value, operand, c => c > 0);
                case ConditionOperator.Gte: return CompareAny(value, operand, c => c >= 0);
                case ConditionOperator.Lt: return CompareAny(value, operand, c => c < 0);
                case ConditionOperator.Lte: return CompareAny(value, operand, c => c <= 0);
                case ConditionOperator.In: return ((IReadOnlyList<object?>)operand!).Any(o => EqualsAny(value, o));
                case ConditionOperator.Nin: return !((IReadOnlyList<object?>)operand!).Any(o => EqualsAny(value, o));
                case ConditionOperator.Exists: return (value is not null) == (bool)operand!;
                case ConditionOperator.Regex:
                    var regex = new Regex((string)operand!, RegexOptions.CultureInvariant);
                    return Elements(value).OfType<string>().Any(regex.IsMatch);
                case ConditionOperator.All:
                    IReadOnlyList<object?> have = Elements(value);
                    return ((IReadOnlyList<object?>)operand!).All(o => have.Any(v => ScalarEquals(v, o)));
                case ConditionOperator.Not: return !Holds((Condition)operand!, value);
                case ConditionOperator.AllOf: return ((Condition[])operand!).All(c => Holds(c, value));
                default: throw new ArgumentOutOfRangeException(nameof(condition));
            }
        }

        private static IReadOnlyList<object?> Elements(object? value) => value is IReadOnlyList<object?> list ? list : new[] { value };

        private static bool EqualsAny(object? value, object? operand) =>
            value is IReadOnlyList<object?> list ? list.Any(v => ScalarEquals(v, operand)) || operand is null && list.Count == 0 : ScalarEquals(value, operand);

        private static bool CompareAny(object? value, object? operand, Func<int, bool> test) =>
            Elements(value).Any(v => Compare(v, operand) is int c && test(c));

        private static bool ScalarEquals(object? a, object? b)
        {
            if (a is null || b is null)
            {
                return a is null && b is null;
            }

            return Compare(a, b) == 0;
        }

        /// <summary>The order of two values, or null when they cannot be compared (different kinds, NaN, null).</summary>
        public static int? Compare(object? a, object? b)
        {
            if (ValueReads.AsDouble(Numeric(a)) is double x && ValueReads.AsDouble(Numeric(b)) is double y)
            {
                return double.IsNaN(x) || double.IsNaN(y) ? null : x.CompareTo(y);
            }

            return (a, b) switch
            {
                (string s, string t) => string.CompareOrdinal(s, t),
                (DateTime s, DateTime t) => s.ToUniversalTime().CompareTo(t.ToUniversalTime()),
                (bool s, bool t) => s.CompareTo(t),
                _ => null,
            };
        }

        private static object? Numeric(object? value) => value switch
        {
            int i => (long)i,
            float f => (double)f,
            decimal m => (double)m,
            _ => value,
        };

        /// <summary>Follows a dotted path; a key may itself contain dots (the longest matching key is taken first).</summary>
        private static object? Lookup(WandbMap map, string[] segments, int from)
        {
            for (int end = segments.Length; end > from; end--)
            {
                string key = string.Join(".", segments, from, end - from);
                if (!map.TryGetExact(key, out object? value))
                {
                    continue;
                }

                if (end == segments.Length)
                {
                    return value;
                }

                if (value is WandbMap child && Lookup(child, segments, end) is object found)
                {
                    return found;
                }
            }

            return null;
        }
    }
}
