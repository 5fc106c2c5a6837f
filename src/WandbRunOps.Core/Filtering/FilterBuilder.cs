using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Errors;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Filtering
{
    /// <summary>The friendly parameters (-State, -Tag, -CreatedAfter…), compiled into the same filter model as -Filter.</summary>
    public sealed class FilterBuilder
    {
        private readonly List<FilterNode> _parts = new List<FilterNode>();

        /// <summary>The whole filter: every part under one <c>$and</c>.</summary>
        /// <exception cref="WandbException">InvalidFilter: its JSON form would nest deeper than W&amp;B filter JSON may.</exception>
        public FilterNode Build()
        {
            FilterNode filter = FilterNode.And(_parts);
            if (FilterJson.Depth(filter) > ExtendedJson.MaxDepth)
            {
                throw new WandbException(
                    WandbErrorKind.InvalidFilter,
                    "Invalid filter: together, -Filter, -Where and the other filter parameters nest deeper than " + ExtendedJson.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) +
                    " levels, which W&B filter JSON cannot hold. Write fewer nested -and/-or levels (a long chain of the same operator is fine).",
                    "filter");
            }

            return filter;
        }

        public FilterBuilder Add(FilterNode? filter)
        {
            if (filter is LogicalFilter { Operator: LogicalOperator.And } and)
            {
                // One flat $and: the parts of an $and added here are parts of the whole.
                foreach (FilterNode part in and.Parts)
                {
                    Add(part);
                }
            }
            else if (filter is not null && !filter.IsEmpty)
            {
                _parts.Add(filter);
            }

            return this;
        }

        /// <summary>Any of these states.</summary>
        public FilterBuilder States(IEnumerable<RunState>? states) =>
            AnyOf("state", states?.Select(s => (object?)s.ToString().ToLowerInvariant()));

        /// <summary>All of these tags.</summary>
        public FilterBuilder Tags(IEnumerable<string>? tags)
        {
            object?[] list = tags?.Cast<object?>().ToArray() ?? Array.Empty<object?>();
            return list.Length == 0 ? this : Add(EveryTag(FilterField.TryParse("tags", out _)!, list));
        }

        /// <summary>
        /// Runs that have every one of these tags, in the form W&amp;B's own clients send (the SDK's query generator):
        /// <c>{"$and": [{"tags": {"$in": ["a"]}}, {"tags": {"$in": ["b"]}}]}</c>, one tag alone without the
        /// <c>$and</c>. Never <c>{"tags": {"$all": […]}}</c>, which W&amp;B's server is reported to answer with HTTP 500
        /// (wandb/wandb#5967).
        /// </summary>
        internal static FilterNode EveryTag(FilterField tags, IReadOnlyList<object?> values) =>
            FilterNode.And(values.Select(tag => (FilterNode)new FieldFilter(tags, new Condition(ConditionOperator.In, new[] { tag }))));

        public FilterBuilder AnyOf(string key, IEnumerable<object?>? values)
        {
            object?[]? list = values?.ToArray();
            return list is null || list.Length == 0 ? this
                : Field(key, list.Length == 1 ? new Condition(ConditionOperator.Eq, list[0]) : new Condition(ConditionOperator.In, list));
        }

        public FilterBuilder CreatedAfter(DateTime? time) =>
            time is DateTime after ? Field("createdAt", new Condition(ConditionOperator.Gt, after.ToUniversalTime())) : this;

        public FilterBuilder CreatedBefore(DateTime? time) =>
            time is DateTime before ? Field("createdAt", new Condition(ConditionOperator.Lt, before.ToUniversalTime())) : this;

        /// <summary>Wildcard patterns on a string field, sent as case-insensitive regular expressions (any pattern).</summary>
        public FilterBuilder Patterns(string key, IEnumerable<string>? patterns)
        {
            string[] list = patterns?.ToArray() ?? Array.Empty<string>();
            if (list.Length == 0)
            {
                return this;
            }

            string regex = "(?i)" + string.Join("|", list.Select(p => "(" + new Wildcard(p).RegexText + ")"));
            return Field(key, new Condition(ConditionOperator.Regex, regex));
        }

        private FilterBuilder Field(string key, Condition condition)
        {
            _parts.Add(new FieldFilter(FilterField.TryParse(key, out _)!, condition));
            return this;
        }
    }
}
