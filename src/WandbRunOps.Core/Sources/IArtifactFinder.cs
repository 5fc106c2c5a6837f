using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// Artifacts from their own side (Get-WandbArtifact): by <c>name:alias</c> or <c>name:vN</c> (one version), <c>name</c>
    /// (every version of the collection) or wildcards (matching collections), optionally of some types. Over the API
    /// from the project; locally from the artifact records of the runs under the paths.
    /// </summary>
    public interface IArtifactFinder
    {
        /// <summary>
        /// The artifacts <paramref name="names"/> take (all of them when empty) whose type is one of <paramref name="types"/>
        /// (any when empty); a name without wildcards that names nothing is reported (WandbArtifactNotFound).
        /// </summary>
        IEnumerable<WandbArtifact> Find(IReadOnlyList<string> names, IReadOnlyList<string> types, Action<WandbException> onError, CancellationToken cancellation);
    }
}
