using System.Collections.Generic;
using WandbRunOps.Values;

namespace WandbRunOps.Changes
{
    /// <summary>
    /// A run as the server has it at the moment a change is planned (a fresh read, never the object piped in): the
    /// storage id changes are addressed to, and the fields a change may touch. <see cref="Config"/> is in the server's
    /// shape, <c>{key: {value, desc}}</c>, so a change can send the whole config back with nothing lost.
    /// </summary>
    /// <param name="StorageId">W&amp;B's base64 <c>Run:…</c> id: what a mutation names, never the 8-character run id.</param>
    /// <param name="Entity">The run's entity.</param>
    /// <param name="Project">The run's project.</param>
    /// <param name="RunId">The run's id (W&amp;B's <c>name</c>).</param>
    /// <param name="DisplayName">The run's display name.</param>
    public sealed record RunSnapshot(string StorageId, string Entity, string Project, string RunId, string? DisplayName)
    {
        /// <summary><c>entity/project/id</c>: how errors name the run.</summary>
        public string Target => Entity + "/" + Project + "/" + RunId;

        public string? State { get; set; }

        public IReadOnlyList<string> Tags { get; set; } = new string[0];

        public string? Notes { get; set; }

        public string? Group { get; set; }

        public string? JobType { get; set; }

        public WandbMap Config { get; set; } = new WandbMap();

        /// <summary>How -WhatIf, -Confirm and messages name the run: <c>entity/project/id (name)</c>.</summary>
        public string Label => DisplayName is null ? Target : Target + " (" + DisplayName + ")";
    }
}
