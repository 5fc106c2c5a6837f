using System;
using System.Collections.Generic;
using System.Linq;

namespace WandbRunOps.Local
{
    /// <summary>The folders of one run id: one, or several when the run was resumed (each resume writes a new folder).</summary>
    public sealed class RunFolderGroup
    {
        public RunFolderGroup(string runId, IEnumerable<RunFolder> folders)
        {
            RunId = runId;
            Folders = folders.OrderBy(f => f.FolderTime ?? DateTime.MinValue).ThenBy(f => f.Path, StringComparer.Ordinal).ToArray();
        }

        public string RunId { get; }

        /// <summary>Oldest first.</summary>
        public IReadOnlyList<RunFolder> Folders { get; }

        public DateTime? FolderTime => Folders[0].FolderTime;
    }
}
