using Xunit;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>
    /// A test over the real SDK-written run folders in ../shared. Where that folder is absent (a user's clone) the test
    /// is skipped with the reason printed; everything else in the suite still runs.
    /// </summary>
    public sealed class RealFixtureFactAttribute : FactAttribute
    {
        public RealFixtureFactAttribute()
        {
            if (!RepoPaths.RealFixturesAvailable)
            {
                Skip = "Real W&B fixtures not found at " + RepoPaths.RealFixtures + " (../shared is not beside this clone).";
            }
        }
    }

    /// <summary>The theory form of <see cref="RealFixtureFactAttribute"/>.</summary>
    public sealed class RealFixtureTheoryAttribute : TheoryAttribute
    {
        public RealFixtureTheoryAttribute()
        {
            if (!RepoPaths.RealFixturesAvailable)
            {
                Skip = "Real W&B fixtures not found at " + RepoPaths.RealFixtures + " (../shared is not beside this clone).";
            }
        }
    }
}
