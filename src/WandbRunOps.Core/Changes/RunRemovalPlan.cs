using System.Collections.Generic;

namespace WandbRunOps.Changes
{
    /// <summary>What Remove-WandbRun was asked to allow beyond the safe default.</summary>
    public sealed class RunRemovalOptions
    {
        /// <summary>-DeleteArtifacts (API): delete the artifacts the run logged, too. Off by default, as in W&amp;B's clients.</summary>
        public bool DeleteArtifacts { get; set; }

        /// <summary>-IncludeUnsynced (local): remove an offline run that was never synced, whose data exists nowhere else.</summary>
        public bool IncludeUnsynced { get; set; }
    }

    /// <summary>One run's removal as planned: how -WhatIf and -Confirm name it and what goes, and what the source needs to do it.</summary>
    /// <param name="Label">The run as messages name it: <c>entity/project/id (name)</c>, or the id and name locally.</param>
    /// <param name="Target">The error target: <c>entity/project/id</c>, or the run's folder.</param>
    /// <param name="Description">What goes: <c>delete run</c> (and its logged artifacts), or the folders and their size.</param>
    public sealed record RunRemovalPlan(string Label, string Target, string Description)
    {
        /// <summary>API: the fresh read the delete is addressed to.</summary>
        public RunSnapshot? Snapshot { get; set; }

        /// <summary>Local: every folder of the run (a resumed run has several).</summary>
        public IReadOnlyList<string> Folders { get; set; } = new string[0];

        public bool DeleteArtifacts { get; set; }
    }
}
