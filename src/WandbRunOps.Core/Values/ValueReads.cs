namespace WandbRunOps.Values
{
    /// <summary>Typed reads of decoded values, shared by the local reader and the API decoder.</summary>
    public static class ValueReads
    {
        /// <summary>A JSON number as a double (longs widen); null for anything else.</summary>
        public static double? AsDouble(object? value) => value switch
        {
            double d => d,
            long l => l,
            _ => null,
        };

        /// <summary>A non-empty string value of <paramref name="key"/>, or null.</summary>
        public static string? Text(WandbMap? map, string key) => map?[key] is string s && s.Length > 0 ? s : null;
    }
}
