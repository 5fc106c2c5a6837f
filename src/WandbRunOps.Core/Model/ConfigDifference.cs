namespace WandbRunOps.Model
{
    /// <summary>One config key that differs between two runs, shaped like Compare-Object's output.</summary>
    /// <remarks>
    /// A class, not a record: PowerShell would show a record's synthesized members (<c>&lt;Clone&gt;$</c>,
    /// <c>Deconstruct</c>), print it as <c>ConfigDifference { … }</c>, and let scripts set its init-only properties.
    /// </remarks>
    public sealed class ConfigDifference(string key, object? referenceValue, object? differenceValue, string sideIndicator, string referenceRunId, string differenceRunId)
    {
        /// <summary>The dotted path of the key (<c>optimizer.lr</c>).</summary>
        public string Key { get; } = key;

        public object? ReferenceValue { get; } = referenceValue;

        public object? DifferenceValue { get; } = differenceValue;

        /// <summary><c>&lt;&gt;</c> different, <c>&lt;=</c> only in the reference, <c>=&gt;</c> only in the difference, <c>==</c> equal.</summary>
        public string SideIndicator { get; } = sideIndicator;

        public string ReferenceRunId { get; } = referenceRunId;

        public string DifferenceRunId { get; } = differenceRunId;
    }
}
