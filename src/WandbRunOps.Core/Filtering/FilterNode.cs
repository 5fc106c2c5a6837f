using System.Collections.Generic;
using System.Linq;

namespace WandbRunOps.Filtering
{
    /// <summary>
    /// A validated run filter in W&amp;B's MongoDB-style language: the one model behind -Filter, the friendly
    /// parameters and -Where. It is sent to the API as JSON (<see cref="FilterJson"/>) and evaluated in-process for
    /// local runs (<see cref="FilterEvaluator"/>), so a filter means the same offline and online.
    /// </summary>
    public abstract record FilterNode
    {
        /// <summary>True when the filter keeps every run (an empty <c>{}</c>).</summary>
        public virtual bool IsEmpty => false;

        public static FilterNode And(IEnumerable<FilterNode> parts)
        {
            List<FilterNode> list = parts.Where(p => !p.IsEmpty).ToList();
            return list.Count switch
            {
                0 => new LogicalFilter(LogicalOperator.And, list),
                1 => list[0],
                _ => new LogicalFilter(LogicalOperator.And, list),
            };
        }
    }

    public enum LogicalOperator
    {
        And,
        Or,
        Nor,
    }

    /// <summary><c>$and</c>, <c>$or</c>, <c>$nor</c> over sub-filters; an empty $and is the empty filter.</summary>
    public sealed record LogicalFilter(LogicalOperator Operator, IReadOnlyList<FilterNode> Parts) : FilterNode
    {
        public override bool IsEmpty => Operator == LogicalOperator.And && Parts.All(p => p.IsEmpty);
    }

    /// <summary>A condition on one field: <c>{"config.lr": {"$gt": 0.01}}</c>.</summary>
    public sealed record FieldFilter(FilterField Field, Condition Condition) : FilterNode;

    public enum ConditionOperator
    {
        Eq,
        Ne,
        Gt,
        Gte,
        Lt,
        Lte,
        In,
        Nin,
        Exists,
        Regex,
        All,
        Not,
        /// <summary>Several operators on one field (<c>{"$gt": 1, "$lt": 5}</c>): all must hold.</summary>
        AllOf,
    }

    /// <summary>An operator and its operand: a scalar, a list (<c>$in</c>), a bool (<c>$exists</c>), or nested conditions.</summary>
    /// <param name="Operator">The operator.</param>
    /// <param name="Operand">The scalar or <c>object?[]</c> operand; a <see cref="Condition"/> for $not; <c>Condition[]</c> for AllOf.</param>
    public sealed record Condition(ConditionOperator Operator, object? Operand);
}
