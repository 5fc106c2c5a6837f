using System;

namespace WandbRunOps.Model
{
    /// <summary>
    /// A W&amp;B project (Get-WandbProject): over the API as the server lists it; locally the runs under a path that name
    /// the project, with its times taken from those runs.
    /// </summary>
    public sealed class WandbProject
    {
        public string? Entity { get; set; }

        public string Name { get; set; } = string.Empty;

        /// <summary>How many runs the project has (locally: how many run folders under the path name it).</summary>
        public long RunCount { get; set; }

        /// <summary>When the project was created (locally: its first run's start), UTC.</summary>
        public DateTime? CreatedAt { get; set; }

        /// <summary>When the project last saw activity (locally: its newest run's heartbeat), UTC.</summary>
        public DateTime? LastActiveAt { get; set; }

        public RunSource Source { get; set; }

        /// <summary>The wandb folder the project's runs were found in (local), else null.</summary>
        public string? Path { get; set; }

        /// <summary>entity/name, as W&amp;B paths are written; the name alone when the entity is unknown (offline runs).</summary>
        public override string ToString() => Entity is null ? Name : Entity + "/" + Name;
    }
}
