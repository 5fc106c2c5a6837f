using Xunit;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Tests that keep both cores busy for seconds (the mutation slices, the 20 MB files, the decode workers' agreement
    /// runs) run alone, after the parallel ones, so they never slow the suite's timing-sensitive tests (cancellation within a second) into failing.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class CpuHeavyCollection
    {
        public const string Name = "CPU-heavy reliability tests";
    }
}
