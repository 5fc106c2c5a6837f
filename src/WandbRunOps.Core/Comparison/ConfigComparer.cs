using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Comparison
{
    /// <summary>Compares two configs key by key, nested keys by dotted path, arrays element by element.</summary>
    public static class ConfigComparer
    {
        public static IEnumerable<ConfigDifference> Compare(
            WandbMap reference, WandbMap difference, string referenceRunId, string differenceRunId, bool includeEqual, bool includeInternal)
        {
            var left = Leaves(reference, includeInternal);
            var right = Leaves(difference, includeInternal);
            foreach (KeyValuePair<string, object?> pair in left)
            {
                if (!right.TryGetExact(pair.Key, out object? other))
                {
                    yield return new ConfigDifference(pair.Key, pair.Value, null, "<=", referenceRunId, differenceRunId);
                }
                else if (!ValuesEqual(pair.Value, other))
                {
                    yield return new ConfigDifference(pair.Key, pair.Value, other, "<>", referenceRunId, differenceRunId);
                }
                else if (includeEqual)
                {
                    yield return new ConfigDifference(pair.Key, pair.Value, other, "==", referenceRunId, differenceRunId);
                }
            }

            foreach (KeyValuePair<string, object?> pair in right)
            {
                if (!left.TryGetExact(pair.Key, out _))
                {
                    yield return new ConfigDifference(pair.Key, null, pair.Value, "=>", referenceRunId, differenceRunId);
                }
            }
        }

        /// <summary>Equality as a config reader means it: 1 equals 1.0, NaN equals NaN, arrays compare element-wise.</summary>
        public static bool ValuesEqual(object? a, object? b)
        {
            switch (a)
            {
                case null:
                    return b is null;
                case long or double when b is long or double:
                    double x = Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture);
                    double y = Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture);
                    return x.Equals(y);
                case IReadOnlyList<object?> left when b is IReadOnlyList<object?> right:
                    return left.Count == right.Count && left.Zip(right, ValuesEqual).All(same => same);
                case WandbMap left when b is WandbMap right:
                    return left.Count == right.Count && left.All(p => right.TryGetExact(p.Key, out object? v) && ValuesEqual(p.Value, v));
                default:
                    return a.Equals(b);
            }
        }

        /// <summary>Dotted path to leaf value, in key order (an ordered map, so the output follows the config's order).</summary>
        private static WandbMap Leaves(WandbMap config, bool includeInternal)
        {
            var leaves = new WandbMap();
            foreach (KeyValuePair<string, object?> leaf in ValueTree.Flatten(config))
            {
                if (!includeInternal && InternalKeys.IsInternalPath(leaf.Key))
                {
                    continue;
                }

                leaves.Set(leaf.Key, leaf.Value);
            }

            return leaves;
        }
    }
}
