using Xunit;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Tests that measure what a command allocates run alone, after the parallel ones: the allocation counter is the
    /// whole process's, so a test running beside them would be counted as theirs.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class MemoryMeasuredCollection
    {
        public const string Name = "Memory-measured reliability tests";
    }
}
