using System.Collections.Generic;

namespace WandbRunOps.Values
{
    /// <summary>
    /// Path operations on nested <see cref="WandbMap"/>s. W&amp;B keys may contain dots and slashes, so a path is a
    /// list of keys, never a dotted string that gets split.
    /// </summary>
    public static class ValueTree
    {
        public static void SetPath(WandbMap root, IReadOnlyList<string> path, object? value)
        {
            WandbMap node = root;
            for (int i = 0; i < path.Count - 1; i++)
            {
                if (!(node.TryGetExact(path[i], out object? child) && child is WandbMap map))
                {
                    map = new WandbMap();
                    node.Set(path[i], map);
                }

                node = map;
            }

            node.Set(path[path.Count - 1], value);
        }

        public static void RemovePath(WandbMap root, IReadOnlyList<string> path)
        {
            WandbMap node = root;
            for (int i = 0; i < path.Count - 1; i++)
            {
                if (!(node.TryGetExact(path[i], out object? child) && child is WandbMap map))
                {
                    return;
                }

                node = map;
            }

            node.Remove(path[path.Count - 1]);
        }

        /// <summary>Copies every key of <paramref name="newer"/> over <paramref name="target"/>, merging nested maps.</summary>
        public static void MergeInto(WandbMap target, WandbMap newer)
        {
            foreach (KeyValuePair<string, object?> pair in newer)
            {
                if (pair.Value is WandbMap newerChild && target.TryGetExact(pair.Key, out object? existing) && existing is WandbMap targetChild)
                {
                    MergeInto(targetChild, newerChild);
                }
                else
                {
                    target.Set(pair.Key, WandbMap.CloneValue(pair.Value));
                }
            }
        }

        /// <summary>
        /// Leaf values under dotted paths (<c>optimizer.lr</c>), depth first in key order. Empty maps stay as values
        /// so a key never disappears.
        /// </summary>
        public static IEnumerable<KeyValuePair<string, object?>> Flatten(WandbMap map, string prefix = "")
        {
            foreach (KeyValuePair<string, object?> pair in map)
            {
                string key = prefix.Length == 0 ? pair.Key : prefix + "." + pair.Key;
                if (pair.Value is WandbMap child && child.Count > 0)
                {
                    foreach (KeyValuePair<string, object?> leaf in Flatten(child, key))
                    {
                        yield return leaf;
                    }
                }
                else
                {
                    yield return new KeyValuePair<string, object?>(key, pair.Value);
                }
            }
        }
    }
}
