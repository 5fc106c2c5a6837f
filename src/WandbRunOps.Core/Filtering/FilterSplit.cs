using System;
using System.Collections.Generic;
using System.Linq;

namespace WandbRunOps.Filtering
{
    /// <summary>
    /// Splits a filter into what a server can apply and what must be checked here. The server part is always a
    /// superset of the whole (it only ever drops conditions from an $and), so checking the whole filter here on the
    /// server's answer gives exactly the runs the whole filter selects.
    /// </summary>
    public static class FilterSplit
    {
        /// <summary>
        /// The server-safe part of <paramref name="filter"/>, or null when nothing of it is; <paramref name="complete"/>
        /// says whether that part is the whole filter. A config or summary path with a dot (<c>config.data.augment</c>)
        /// is not server-safe: it may name a key that contains a dot, which W&amp;B reads as a nested path and silently
        /// matches nothing on (a known W&amp;B filter gap), so those conditions are checked here.
        /// </summary>
        public static FilterNode? ServerPart(FilterNode filter, out bool complete)
        {
            FilterNode? part = Keep(filter);
            complete = ReferenceEquals(part, filter);
            return part;
        }

        /// <summary>The config/summary keys of a filter that only this process can check.</summary>
        public static IEnumerable<string> LocalOnlyKeys(FilterNode filter) => filter switch
        {
            FieldFilter field => ServerCanAddress(field.Field) ? Enumerable.Empty<string>() : new[] { field.Field.Key },
            LogicalFilter logical => logical.Parts.SelectMany(LocalOnlyKeys).Distinct(),
            _ => Enumerable.Empty<string>(),
        };

        private static FilterNode? Keep(FilterNode filter)
        {
            switch (filter)
            {
                case FieldFilter field:
                    return ServerCanAddress(field.Field) ? filter : null;
                case LogicalFilter { Operator: LogicalOperator.And } and:
                    var kept = and.Parts.Select(p => Keep(p)).ToList();
                    if (kept.Zip(and.Parts, ReferenceEquals).All(same => same))
                    {
                        return filter;
                    }

                    var parts = kept.Where(p => p is not null).Cast<FilterNode>().ToList();
                    return parts.Count == 0 ? null : FilterNode.And(parts);
                case LogicalFilter other:
                    // Dropping a condition inside $or/$nor could narrow or widen the result: all of it or none of it.
                    return other.Parts.All(p => ReferenceEquals(Keep(p), p)) ? filter : null;
                default:
                    throw new ArgumentOutOfRangeException(nameof(filter));
            }
        }

        private static bool ServerCanAddress(FilterField field) =>
            (field.Kind != FilterFieldKind.Config && field.Kind != FilterFieldKind.Summary) || field.Path!.IndexOf('.') < 0;
    }
}
