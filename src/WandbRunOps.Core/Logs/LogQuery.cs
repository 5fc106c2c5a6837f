using System;

namespace WandbRunOps.Logs
{
    /// <summary>What <c>Get-RunLog</c> asks of a run's console output.</summary>
    public sealed class LogQuery
    {
        /// <summary>Only the last this many lines; null for all.</summary>
        public int? Tail { get; set; }

        /// <summary>Keep ANSI escape codes in the lines.</summary>
        public bool Raw { get; set; }

        /// <summary>Follow a running run: lines are yielded as they are written, until the run ends.</summary>
        public bool Wait { get; set; }

        /// <summary>How often a followed run is looked at again (the API source never polls more often than every second).</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
    }
}
