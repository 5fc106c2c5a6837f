using System.Management.Automation;

namespace WandbRunOps.Tests.Infrastructure
{
    public static class PSObjectExtensions
    {
        /// <summary>A property's raw value (unwrapped from PSObject), or null when absent.</summary>
        public static object? Prop(this PSObject obj, string name)
        {
            object? value = obj.Properties[name]?.Value;
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        public static bool HasProp(this PSObject obj, string name) => obj.Properties[name] is not null;
    }
}
