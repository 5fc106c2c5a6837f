namespace WandbRunOps.Model
{
    /// <summary>A run's lifecycle state, as W&amp;B names it.</summary>
    public enum RunState
    {
        Running,
        Finished,
        Failed,
        Crashed,
        Killed,
        Preempting,
        Preempted,
        Pending,
    }

    /// <summary>Where a run object came from.</summary>
    public enum RunSource
    {
        Local,
        Api,
    }

    /// <summary>Whether a run produced (logged) or consumed (used) an artifact.</summary>
    public enum ArtifactDirection
    {
        Logged,
        Used,
    }
}
