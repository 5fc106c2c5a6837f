using WandbRunOps.Model;

namespace WandbRunOps.Waiting
{
    /// <summary>A waited run as it came out of the wait: ended (freshly read), or still running when the time-out passed.</summary>
    public sealed record RunWaitResult(WandbRun Run, bool TimedOut);
}
