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
        public static object? ToPlain(object? value) => ToPlain(value, 0, new HashSet<object>(ReferenceComparer.Instance));

        private static object? ToPlain(object? value, int depth, HashSet<object> open)
        {
            switch (value)
            {
                case null:
                    return null;
                case PSObject wrapped when !(wrapped.BaseObject is PSCustomObject):
                    return ToPlain(wrapped.BaseObject, depth, open);
                case string text:
                    return text;
                case PSObject or IDictionary or IEnumerable:
                    Enter(value, depth, open);
                    try
                    {
                        return Container(value, depth, open);
                    }
                    finally
                    {
                        open.Remove(value);
                    }

                case int or short or byte or sbyte or ushort or uint:
                    return Convert.ToInt64(value, CultureInfo.InvariantCulture);
                case float or decimal:
                    return Convert.ToDouble(value, CultureInfo.InvariantCulture);
                case Enum enumValue:
                    return enumValue.ToString();
                default:
                    return value;
            }
        }

        private static object? Container(object value, int depth, HashSet<object> open)
        {
            switch (value)
            {
                case PSObject custom:
                    var fromObject = new WandbMap();
                    foreach (PSPropertyInfo property in custom.Properties)
                    {
                        fromObject.Set(property.Name, ToPlain(property.Value, depth + 1, open));
                    }

                    return fromObject;
                case IDictionary dictionary:
                    var map = new WandbMap();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        map.Set(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, ToPlain(entry.Value, depth + 1, open));
                    }

                    return map;
                default:
                    var items = new List<object?>();
                    foreach (object? item in (IEnumerable)value)
                    {
                        items.Add(ToPlain(item, depth + 1, open));
                    }

                    return items.ToArray();
            }
        }

        /// <summary>Refuses a container deeper than JSON allows, or one already open on the way down (it contains itself).</summary>
        private static void Enter(object container, int depth, HashSet<object> open)
        {
            if (depth >= ExtendedJson.MaxDepth)
            {
                throw Invalid("it nests deeper than " + ExtendedJson.MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels (the limit of W&B filter JSON)");
            }

            if (!open.Add(container))
            {
                throw Invalid("a hashtable, list or object in it contains itself");
            }
        }

        private static WandbException Invalid(string reason) =>
            new WandbException(WandbErrorKind.InvalidFilter, "Invalid filter: " + reason + ".", "-Filter");

        /// <summary>Identity, not equality: two equal hashtables side by side are no cycle.</summary>
        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
