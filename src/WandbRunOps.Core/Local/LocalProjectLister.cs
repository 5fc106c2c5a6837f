using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Local
{
    /// <summary>
    /// The projects of local runs: the runs under the paths grouped by the entity and project their run records name,
    /// with the first run's start as the project's creation and the newest heartbeat as its last activity. Offline runs
    /// name no entity (a sync files them under the syncing user's), so runs are grouped by project name and the project's
    /// entity is the one its online runs name. Runs that name no project are W&amp;B's "uncategorized" project.
    /// </summary>
    internal sealed class LocalProjectLister : IProjectLister
    {
        /// <summary>Where W&amp;B files runs that name no project.</summary>
        public const string Uncategorized = "uncategorized";

        private readonly LocalRunSource _runs;

        public LocalProjectLister(LocalRunSource runs) => _runs = runs;

        public IEnumerable<WandbProject> GetProjects(IReadOnlyList<Wildcard> names, Action<WandbException> onError, CancellationToken cancellation)
        {
            var projects = _runs.GetRuns(new RunSelector(null, null), new RunListOptions(), onError, cancellation)
                .GroupBy(run => string.IsNullOrEmpty(run.Project) ? Uncategorized : run.Project!, StringComparer.Ordinal);
            foreach (IGrouping<string, WandbRun> runs in projects.Where(g => names.Count == 0 || names.Any(n => n.IsMatch(g.Key))))
            {
                yield return new WandbProject
                {
                    Entity = runs.Select(r => r.Entity).FirstOrDefault(e => !string.IsNullOrEmpty(e)),
                    Name = runs.Key,
                    RunCount = runs.Count(),
                    CreatedAt = runs.Min(r => r.CreatedAt),
                    LastActiveAt = runs.Max(r => r.HeartbeatAt),
                    Source = RunSource.Local,
                    Path = string.Join(", ", _runs.Paths),
                };
            }
        }
    }
}
