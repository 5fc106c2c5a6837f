namespace WandbRunOps.Values
{
    /// <summary>
    /// One key and value of a <see cref="WandbMap"/>, as PowerShell's formatter sees a map's items: <c>$run.Config</c>
    /// shows as a Key/Value table, and a map inside a table cell reads <c>{lr=0.01, momentum=0.9}</c>.
    /// </summary>
    /// <remarks>A class, not a record, for the reasons given on <see cref="Model.ConfigDifference"/>.</remarks>
    public sealed class MapEntry(string key, object? value)
    {
        public string Key { get; } = key;

        public object? Value { get; } = value;

        public override string ToString() => Key + "=" + ValueText.Format(Value);
    }
}
