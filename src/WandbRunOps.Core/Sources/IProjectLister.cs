using System;
using System.Collections.Generic;
using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// What Get-WandbProject asks of a source: an entity's projects over the API (made by <see cref="RunSources.ApiProjects"/>),
    /// or the projects the runs under local paths name (<see cref="RunSources.LocalProjects"/>).
    /// </summary>
    public interface IProjectLister
    {
        /// <summary>The projects whose name one of <paramref name="names"/> matches (all of them when empty).</summary>
        IEnumerable<WandbProject> GetProjects(IReadOnlyList<Wildcard> names, Action<WandbException> onError, CancellationToken cancellation);
    }
}
