namespace WandbRunOps.Comparison
{
    /// <summary>One config key that differs between two runs, shaped like Compare-Object's output.</summary>
    public sealed class ConfigDifference
    {
        public ConfigDifference(string key, object? referenceValue, object? differenceValue, string sideIndicator, string referenceRunId, string differenceRunId)
        {
            Key = key;
            ReferenceValue = referenceValue;
            DifferenceValue = differenceValue;
            SideIndicator = sideIndicator;
            ReferenceRunId = referenceRunId;
            DifferenceRunId = differenceRunId;
        }

        /// <summary>The dotted path of the key (<c>optimizer.lr</c>).</summary>
        public string Key { get; }

        public object? ReferenceValue { get; }

        public object? DifferenceValue { get; }

        /// <summary><c>&lt;&gt;</c> different, <c>&lt;=</c> only in the reference, <c>=&gt;</c> only in the difference, <c>==</c> equal.</summary>
        public string SideIndicator { get; }

        public string ReferenceRunId { get; }

        public string DifferenceRunId { get; }
    }
}
