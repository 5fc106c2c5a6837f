using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Sweeps;
using WandbRunOps.Values;

namespace WandbRunOps.Local
{
    /// <summary>
    /// The sweeps of local runs: the runs under the source's paths grouped by the sweep id their run record names.
    /// Run folders do not record a sweep's configuration, so its method and metric are unknown unless -Metric names
    /// the metric; its state is Running while one of its runs is, else Finished.
    /// </summary>
    internal sealed class LocalSweepReader : ISweepReader
    {
        private readonly LocalRunSource _runs;

        public LocalSweepReader(LocalRunSource runs) => _runs = runs;

        public IEnumerable<WandbSweep> GetSweeps(SweepQuery query, Action<WandbException> onError, CancellationToken cancellation)
        {
            List<Wildcard> patterns = query.Ids.Select(id => new Wildcard(id)).ToList();
            List<IGrouping<string, WandbRun>> sweeps = _runs.GetRuns(new RunSelector(null, null), new RunListOptions(), onError, cancellation)
                .Where(run => !string.IsNullOrEmpty(run.SweepId))
                .GroupBy(run => run.SweepId!, StringComparer.Ordinal)
                .ToList();
            foreach (IGrouping<string, WandbRun> runs in sweeps.Where(g => patterns.Count == 0 || patterns.Any(p => p.IsMatch(g.Key))))
            {
                var sweep = new WandbSweep
                {
                    Id = runs.Key,
                    Name = runs.Key,
                    State = runs.Any(r => r.State == RunState.Running) ? "Running" : "Finished",
                    RunCount = runs.Count(),
                    CreatedAt = runs.Min(r => r.CreatedAt),
                    Entity = runs.Select(r => r.Entity).FirstOrDefault(e => e is not null),
                    Project = runs.Select(r => r.Project).FirstOrDefault(p => p is not null),
                    Source = RunSource.Local,
                };
                SweepMetric.Apply(sweep, query.Metric, query.Goal);
                SweepMetric.ChooseBest(sweep, runs);
                yield return sweep;
            }

            // A literal id that no run names: it is not a sweep of these runs.
            foreach (string id in query.Ids.Where(id => !Wildcard.IsPattern(id)).Select(Wildcard.Unescape))
            {
                if (!sweeps.Any(g => string.Equals(g.Key, id, StringComparison.Ordinal)))
                {
                    onError(new WandbException(WandbErrorKind.SweepNotFound, "No run under " + string.Join(", ", _runs.Paths) + " belongs to sweep '" + id + "'.", id));
                }
            }
        }
    }
}
