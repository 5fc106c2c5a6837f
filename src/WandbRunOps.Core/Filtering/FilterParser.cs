using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using WandbRunOps.Errors;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Filtering
{
    /// <summary>
    /// Parses and validates a W&amp;B run filter before anything is sent: operator placement, list/scalar shapes,
    /// unknown keys, <c>summary.</c> for <c>summary_metrics.</c>. A bad filter is an InvalidFilter error that points at
    /// the bad part (<c>$and[1].tags</c>) — never a request the server answers with 400/500 or silently matches nothing on.
    /// </summary>
    public static class FilterParser
    {
        private static readonly Dictionary<string, ConditionOperator> Operators = new Dictionary<string, ConditionOperator>(StringComparer.Ordinal)
        {
            ["$eq"] = ConditionOperator.Eq,
            ["$ne"] = ConditionOperator.Ne,
            ["$gt"] = ConditionOperator.Gt,
            ["$gte"] = ConditionOperator.Gte,
            ["$lt"] = ConditionOperator.Lt,
            ["$lte"] = ConditionOperator.Lte,
            ["$in"] = ConditionOperator.In,
            ["$nin"] = ConditionOperator.Nin,
            ["$exists"] = ConditionOperator.Exists,
            ["$regex"] = ConditionOperator.Regex,
            ["$all"] = ConditionOperator.All,
            ["$not"] = ConditionOperator.Not,
        };

        /// <summary>Parses a filter given as JSON text.</summary>
        public static FilterNode Parse(string json)
        {
            if (!ExtendedJson.TryParse(json, out object? value, out string? error))
            {
                throw Invalid(json, "filter", "it is not valid JSON (" + error + ")");
            }

            return Parse(value, json);
        }

        /// <summary>Parses a filter given as a map (a PowerShell hashtable converted to plain values).</summary>
        public static FilterNode Parse(object? filter, string? text = null)
        {
            string shown = text ?? (filter is null ? "null" : ExtendedJson.Serialize(filter));
            if (!(filter is WandbMap map))
            {
                throw Invalid(shown, "filter", "a filter is an object such as {\"state\": \"finished\"}");
            }

            return ParseObject(map, "filter", shown);
        }

        private static FilterNode ParseObject(WandbMap map, string path, string shown)
        {
            var parts = new List<FilterNode>();
            foreach (KeyValuePair<string, object?> pair in map)
            {
                string here = path == "filter" ? pair.Key : path + "." + pair.Key;
                switch (pair.Key)
                {
                    case "$and":
                    case "$or":
                    case "$nor":
                        if (!(pair.Value is IReadOnlyList<object?> list) || list.Count == 0 || !list.All(item => item is WandbMap))
                        {
                            throw Invalid(shown, here, pair.Key + " takes a non-empty list of filter objects");
                        }

                        var op = pair.Key == "$and" ? LogicalOperator.And : pair.Key == "$or" ? LogicalOperator.Or : LogicalOperator.Nor;
                        parts.Add(new LogicalFilter(op, list.Select((item, i) => ParseObject((WandbMap)item!, here + "[" + i + "]", shown)).ToList()));
                        break;
                    default:
                        if (pair.Key.StartsWith("$", StringComparison.Ordinal))
                        {
                            throw Invalid(shown, here, Operators.ContainsKey(pair.Key)
                                ? pair.Key + " must sit under a field, as in {\"config.lr\": {\"" + pair.Key + "\": …}}"
                                : "'" + pair.Key + "' is not an operator");
                        }

                        FilterField field = FilterField.TryParse(pair.Key, out string? problem) ?? throw Invalid(shown, here, problem!);
                        Condition condition = ParseCondition(field, pair.Value, here, shown);
                        parts.Add(field.Kind == FilterFieldKind.Tags ? TagsWithoutAll(field, condition) : new FieldFilter(field, condition));
                        break;
                }
            }

            return parts.Count == 1 ? parts[0] : new LogicalFilter(LogicalOperator.And, parts);
        }

        private static Condition ParseCondition(FilterField field, object? value, string path, string shown)
        {
            if (value is WandbMap operators && operators.Count > 0 && operators.Keys.All(k => k.StartsWith("$", StringComparison.Ordinal)))
            {
                var conditions = operators.Select(pair => ParseOperator(field, pair.Key, pair.Value, path + "." + pair.Key, shown)).ToArray();
                return conditions.Length == 1 ? conditions[0] : new Condition(ConditionOperator.AllOf, conditions);
            }

            if (value is WandbMap mixed && mixed.Keys.Any(k => k.StartsWith("$", StringComparison.Ordinal)))
            {
                throw Invalid(shown, path, "operators and plain keys cannot be mixed in one object");
            }

            // {"tags": ["a"]} is a 500 on the server: a list needs $in or $all.
            if (value is IReadOnlyList<object?>)
            {
                throw Invalid(shown, path, "a list needs an operator: {\"" + field.Key + "\": {\"$in\": [...]}} (any of) or {\"$all\": [...]} (all of)");
            }

            return ParseOperator(field, "$eq", value, path, shown);
        }

        private static Condition ParseOperator(FilterField field, string name, object? operand, string path, string shown)
        {
            if (!Operators.TryGetValue(name, out ConditionOperator op))
            {
                throw Invalid(shown, path, "'" + name + "' is not an operator (use $eq $ne $gt $gte $lt $lte $in $nin $exists $regex $all $not)");
            }

            switch (op)
            {
                case ConditionOperator.In:
                case ConditionOperator.Nin:
                case ConditionOperator.All:
                    if (!(operand is IReadOnlyList<object?> list) || list.Any(item => item is WandbMap || item is IReadOnlyList<object?>))
                    {
                        throw Invalid(shown, path, name + " takes a list of values");
                    }

                    if (op == ConditionOperator.All && list.Count == 0)
                    {
                        throw Invalid(shown, path, "$all takes at least one value");
                    }

                    return new Condition(op, list.Select(item => Scalar(field, item, path, shown)).ToArray());
                case ConditionOperator.Exists:
                    return operand is bool flag ? new Condition(op, flag) : throw Invalid(shown, path, "$exists takes true or false");
                case ConditionOperator.Regex:
                    if (!(operand is string pattern))
                    {
                        throw Invalid(shown, path, "$regex takes a regular expression string");
                    }

                    try
                    {
                        _ = new Regex(pattern, RegexOptions.CultureInvariant);
                    }
                    catch (ArgumentException e)
                    {
                        throw Invalid(shown, path, "'" + pattern + "' is not a valid regular expression: " + e.Message);
                    }

                    return new Condition(op, pattern);
                case ConditionOperator.Not:
                    if (!(operand is WandbMap inner) || inner.Count == 0 || !inner.Keys.All(k => k.StartsWith("$", StringComparison.Ordinal)))
                    {
                        throw Invalid(shown, path, "$not takes an operator object, as in {\"$not\": {\"$regex\": \"^test\"}}");
                    }

                    return new Condition(op, ParseCondition(field, inner, path, shown));
                default:
                    if (operand is WandbMap || operand is IReadOnlyList<object?>)
                    {
                        throw Invalid(shown, path, name + " takes a single value, not " + (operand is WandbMap ? "an object" : "a list"));
                    }

                    if (op != ConditionOperator.Eq && op != ConditionOperator.Ne && operand is null)
                    {
                        throw Invalid(shown, path, name + " cannot compare with null");
                    }

                    return new Condition(op, Scalar(field, operand, path, shown));
            }
        }

        /// <summary>
        /// A tags condition with <c>$all</c> rewritten the way W&amp;B's own clients write "has every tag": one
        /// <c>{"tags": {"$in": [tag]}}</c> per tag under <c>$and</c>. W&amp;B's server is reported to answer <c>$all</c> on
        /// tags with HTTP 500 (wandb/wandb#5967), so it is never sent; the meaning is the same.
        /// </summary>
        private static FilterNode TagsWithoutAll(FilterField field, Condition condition)
        {
            switch (condition.Operator)
            {
                case ConditionOperator.All:
                    return FilterBuilder.EveryTag(field, (object?[])condition.Operand!);
                case ConditionOperator.Not when HasAll((Condition)condition.Operand!):
                    return new LogicalFilter(LogicalOperator.Nor, new[] { TagsWithoutAll(field, (Condition)condition.Operand!) });
                case ConditionOperator.AllOf when ((Condition[])condition.Operand!).Any(HasAll):
                    return new LogicalFilter(LogicalOperator.And, ((Condition[])condition.Operand!).Select(c => TagsWithoutAll(field, c)).ToList());
                default:
                    return new FieldFilter(field, condition);
            }
        }

        private static bool HasAll(Condition condition) => condition.Operator switch
        {
            ConditionOperator.All => true,
            ConditionOperator.Not => HasAll((Condition)condition.Operand!),
            ConditionOperator.AllOf => ((Condition[])condition.Operand!).Any(HasAll),
            _ => false,
        };

        /// <summary>W&amp;B's run states, as the server writes them.</summary>
        private static readonly string[] StateNames = Enum.GetNames(typeof(Model.RunState)).Select(n => n.ToLowerInvariant()).ToArray();

        /// <summary>Dates are compared as dates: a createdAt operand must read as an ISO 8601 time.</summary>
        private static object? Scalar(FilterField field, object? value, string path, string shown)
        {
            if (field.IsDate && value is not null)
            {
                return value switch
                {
                    DateTime time => time.ToUniversalTime(),
                    string text when TimeValues.ParseIso(text) is DateTime parsed => parsed,
                    _ => throw Invalid(shown, path, "'" + field.Key + "' compares with an ISO 8601 time such as \"2026-01-31T12:00:00Z\", not " + ValueText.Format(value)),
                };
            }

            // States are matched whatever their case, so {"state": "Finished"} means what the output shows; W&B compares
            // them exactly, in lowercase, so that is the form sent. Anything else is no state at all (W&B would silently
            // match nothing).
            if (field.Kind == FilterFieldKind.State && value is not null)
            {
                string? state = value is string || value is Model.RunState ? StateNames.FirstOrDefault(n => string.Equals(n, value.ToString(), StringComparison.OrdinalIgnoreCase)) : null;
                return state ?? throw Invalid(shown, path, ValueText.Format(value) + " is not a W&B run state (use " + string.Join(", ", StateNames) + "; any case)");
            }

            if (field.Kind == FilterFieldKind.Tags && value is not null && !(value is string))
            {
                throw Invalid(shown, path, "tags are strings");
            }

            return value;
        }

        private static WandbException Invalid(string filter, string path, string reason) =>
            new WandbException(WandbErrorKind.InvalidFilter, "Invalid filter at " + path + ": " + reason + ".", filter);
    }
}
