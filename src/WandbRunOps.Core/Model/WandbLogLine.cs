using System;

namespace WandbRunOps.Model
{
    /// <summary>
    /// One console line of a run (<c>Get-RunLog</c>), with the run's identity as every row derived from a run carries
    /// it. Its text is <see cref="Line"/>, so <c>Select-String</c> and string comparisons see the line itself.
    /// </summary>
    public sealed class WandbLogLine
    {
        public WandbLogLine(WandbRun run, ConsoleLine line)
        {
            RunId = run.Id;
            RunName = run.Name;
            RunProject = run.Project;
            RunEntity = run.Entity;
            RunPath = run.Path;
            Number = line.Number;
            Timestamp = line.Timestamp;
            Stream = line.Stream;
            Line = line.Text;
        }

        public string RunId { get; }

        public string? RunName { get; }

        public string? RunProject { get; }

        public string? RunEntity { get; }

        /// <summary>The run folder of a local run; null for an API run.</summary>
        public string? RunPath { get; }

        /// <summary>1-based line number (W&amp;B's 0-based <c>number</c> + 1 over the API); null where it is not known.</summary>
        public long? Number { get; }

        /// <summary>When the line was written (UTC), or null where the source does not record it (<c>output.log</c>).</summary>
        public DateTime? Timestamp { get; }

        /// <summary><c>stdout</c>, <c>stderr</c>, or null where the source does not say.</summary>
        public string? Stream { get; }

        /// <summary>The line as a terminal showed it: carriage-return redraws folded, ANSI escapes removed (kept with <c>-Raw</c>).</summary>
        public string Line { get; }

        public override string ToString() => Line;
    }
}
