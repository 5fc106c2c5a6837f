using System;
using Xunit;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>The theory form of <see cref="UnixFactAttribute"/>: fifos, device links and file modes do not exist on Windows.</summary>
    public sealed class UnixTheoryAttribute : TheoryAttribute
    {
        public UnixTheoryAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Fifos, device files and Unix file modes do not exist on Windows.";
            }
        }
    }
}
