using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using WandbRunOps.Errors;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Filtering
{
    /// <summary>
    /// PowerShell values (hashtables, PSObjects, int arrays) as the plain values Core takes. The conversion is
    /// recursive, so it stops at the depth the JSON reader and writer allow (<see cref="ExtendedJson.MaxDepth"/>) and at
    /// a hashtable, list or object that contains itself: both are a WandbInvalidFilter, never a stack overflow that
    /// ends the PowerShell process.
    /// </summary>
    internal static class PowerShellValues
    {
        /// <exception cref="WandbException">InvalidFilter: the value nests too deep or contains itself.</exception>
        public static object? ToPlain(object? value) => ToPlain(value, 0, new Walk(WandbErrorKind.InvalidFilter, "-Filter", jsonOnly: false));

        /// <summary>
        /// A value to store on W&amp;B (Set-WandbRun -Config): as <see cref="ToPlain(object?)"/>, and every leaf must be
        /// something JSON can hold (text, number, bool, null; a date becomes its ISO 8601 text). A script block, a file
        /// object or any other .NET object is refused by name rather than stored as its type name.
        /// </summary>
        /// <exception cref="WandbException">InvalidArgument, naming <paramref name="parameter"/> and the key.</exception>
        public static object? ToStorable(object? value, string parameter) => ToPlain(value, 0, new Walk(WandbErrorKind.InvalidArgument, parameter, jsonOnly: true));

        private static object? ToPlain(object? value, int depth, Walk walk)
        {
            switch (value)
            {
                case null:
                    return null;
                case PSObject wrapped when !(wrapped.BaseObject is PSCustomObject):
                    return ToPlain(wrapped.BaseObject, depth, walk);
                case string text:
                    return text;
                case PSObject or IDictionary or IEnumerable:
                    Enter(value, depth, walk);
                    try
                    {
                        return Container(value, depth, walk);
                    }
                    finally
                    {
                        walk.Open.Remove(value);
                    }

                case int or short or byte or sbyte or ushort or uint:
                    return Convert.ToInt64(value, CultureInfo.InvariantCulture);
                case float or decimal:
                    return Convert.ToDouble(value, CultureInfo.InvariantCulture);
                case Enum enumValue:
                    return enumValue.ToString();
                case DateTime time when walk.JsonOnly:
                    return time.ToString("o", CultureInfo.InvariantCulture);
                case DateTimeOffset time when walk.JsonOnly:
                    return time.ToString("o", CultureInfo.InvariantCulture);
                case bool or long or double or ulong:
                    return value;
                default:
                    if (walk.JsonOnly)
                    {
                        throw Invalid(walk, "a " + value.GetType().Name + " cannot be stored as a JSON value; give text, a number, $true/$false, $null, a hashtable or a list");
                    }

                    return value;
            }
        }

        private static object? Container(object value, int depth, Walk walk)
        {
            switch (value)
            {
                case PSObject custom:
                    var fromObject = new WandbMap();
                    foreach (PSPropertyInfo property in custom.Properties)
                    {
                        fromObject.Set(property.Name, ToPlain(property.Value, depth + 1, walk));
                    }

                    return fromObject;
                case IDictionary dictionary:
                    var map = new WandbMap();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        map.Set(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, ToPlain(entry.Value, depth + 1, walk));
                    }

                    return map;
                default:
                    var items = new List<object?>();
                    foreach (object? item in (IEnumerable)value)
                    {
                        items.Add(ToPlain(item, depth + 1, walk));
                    }

                    return items.ToArray();
            }
        }

        /// <summary>Refuses a container deeper than JSON allows, or one already open on the way down (it contains itself).</summary>
        private static void Enter(object container, int depth, Walk walk)
        {
            if (depth >= ExtendedJson.MaxDepth)
            {
                throw Invalid(walk, "it nests deeper than " + ExtendedJson.MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels (the limit of W&B's JSON)");
            }

            if (!walk.Open.Add(container))
            {
                throw Invalid(walk, "a hashtable, list or object in it contains itself");
            }
        }

        private static WandbException Invalid(Walk walk, string reason) =>
            new WandbException(walk.Kind, (walk.Kind == WandbErrorKind.InvalidFilter ? "Invalid filter: " : "Invalid " + walk.Parameter + " value: ") + reason + ".", walk.Parameter);

        /// <summary>One conversion: what a refusal is (and names), whether leaves must be JSON, and the containers open on the way down.</summary>
        private sealed class Walk
        {
            public Walk(WandbErrorKind kind, string parameter, bool jsonOnly)
            {
                Kind = kind;
                Parameter = parameter;
                JsonOnly = jsonOnly;
            }

            public WandbErrorKind Kind { get; }

            public string Parameter { get; }

            public bool JsonOnly { get; }

            public HashSet<object> Open { get; } = new HashSet<object>(ReferenceComparer.Instance);
        }

        /// <summary>Identity, not equality: two equal hashtables side by side are no cycle.</summary>
        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
