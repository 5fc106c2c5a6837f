using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Filtering
{
    /// <summary>PowerShell values (hashtables, PSObjects, int arrays) as the plain values Core takes.</summary>
    internal static class PowerShellValues
    {
        public static object? ToPlain(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case PSObject wrapped when !(wrapped.BaseObject is PSCustomObject):
                    return ToPlain(wrapped.BaseObject);
                case PSObject custom:
                    var fromObject = new WandbMap();
                    foreach (PSPropertyInfo property in custom.Properties)
                    {
                        fromObject.Set(property.Name, ToPlain(property.Value));
                    }

                    return fromObject;
                case string text:
                    return text;
                case IDictionary dictionary:
                    var map = new WandbMap();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        map.Set(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, ToPlain(entry.Value));
                    }

                    return map;
                case IEnumerable sequence:
                    return sequence.Cast<object?>().Select(ToPlain).ToArray();
                case int or short or byte or sbyte or ushort or uint:
                    return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                case float or decimal:
                    return Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                case Enum enumValue:
                    return enumValue.ToString();
                default:
                    return value;
            }
        }
    }
}
