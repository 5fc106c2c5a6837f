namespace WandbRunOps.Values
{
    /// <summary>
    /// One key and value of a <see cref="WandbMap"/>, as PowerShell's formatter sees a map's items: <c>$run.Config</c>
    /// shows as a Key/Value table, and a map inside a table cell reads <c>{lr=0.01, momentum=0.9}</c>.
    /// </summary>
    public sealed class MapEntry
    {
        public MapEntry(string key, object? value)
        {
            Key = key;
            Value = value;
        }

        public string Key { get; }

        public object? Value { get; }

        public override string ToString() => Key + "=" + ValueText.Format(Value);
    }
}
