using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Waiting
{
    /// <summary>
    /// Waits for runs to leave Running and Pending (Wait-WandbRun). Each poll reads the runs again through their
    /// origin's <see cref="IRunRefresher"/>, one group per source (one request per poll for any number of API runs of a
    /// project), and each run is yielded, as freshly read, once it has ended. Sources are polled on their own clocks:
    /// local folders every second by default (an exit is noticed within two seconds), the API every
    /// <see cref="DefaultApiPollInterval"/> and never more often than <see cref="ApiPollFloor"/>, backing off when the
    /// server rate-limits or cannot be reached. Sleeping is a wait on the cancellation token, so Ctrl+C ends it at once.
    /// </summary>
    public sealed class RunWaiter
    {
        /// <summary>How often local run folders are read again unless -PollIntervalSec says otherwise.</summary>
        public static readonly TimeSpan DefaultLocalPollInterval = TimeSpan.FromSeconds(1);

        /// <summary>How often W&amp;B is asked unless -PollIntervalSec says otherwise.</summary>
        public static readonly TimeSpan DefaultApiPollInterval = TimeSpan.FromSeconds(10);

        /// <summary>
        /// The shortest interval between two polls of W&amp;B: a script waiting in a loop must not hammer a shared server
        /// (W&amp;B rate-limits per key; docs/protocol.md, section 4.2, "Waiting for runs"). A shorter -PollIntervalSec is raised to it.
        /// </summary>
        public static readonly TimeSpan ApiPollFloor = TimeSpan.FromSeconds(5);

        /// <summary>The longest a backed-off interval grows to.</summary>
        public static readonly TimeSpan MaximumPollInterval = TimeSpan.FromMinutes(5);

        private readonly TimeSpan? _requestedInterval;
        private readonly TimeSpan? _timeout;
        private readonly ReadDiagnostics _diagnostics;
        private readonly Func<TimeSpan> _elapsed;
        private readonly Action<TimeSpan, CancellationToken> _sleep;

        /// <param name="pollInterval">-PollIntervalSec, or null for each source's default.</param>
        /// <param name="timeout">-TimeoutSec, or null to wait until every run has ended.</param>
        /// <param name="diagnostics">Where each poll is explained (verbose) and failed polls are reported (warnings).</param>
        /// <param name="elapsed">Time since the wait began (tests pass a fake clock).</param>
        /// <param name="sleep">Waits that long unless cancelled (tests pass one that advances the fake clock).</param>
        public RunWaiter(TimeSpan? pollInterval, TimeSpan? timeout, ReadDiagnostics diagnostics, Func<TimeSpan>? elapsed = null, Action<TimeSpan, CancellationToken>? sleep = null)
        {
            _requestedInterval = pollInterval;
            _timeout = timeout;
            _diagnostics = diagnostics;
            if (elapsed is null)
            {
                Stopwatch clock = Stopwatch.StartNew();
                elapsed = () => clock.Elapsed;
            }

            _elapsed = elapsed;
            _sleep = sleep ?? ((delay, cancellation) => cancellation.WaitHandle.WaitOne(delay));
        }

        /// <summary>True while a run has not ended: Running or Pending.</summary>
        public static bool IsActive(RunState state) => state == RunState.Running || state == RunState.Pending;

        /// <summary>The interval between polls of runs of this kind: the request or the default, and never under the API's floor.</summary>
        public TimeSpan IntervalFor(RunSource source)
        {
            if (source == RunSource.Local)
            {
                return _requestedInterval ?? DefaultLocalPollInterval;
            }

            TimeSpan interval = _requestedInterval ?? DefaultApiPollInterval;
            return interval < ApiPollFloor ? ApiPollFloor : interval;
        }

        /// <summary>
        /// The runs, each yielded once it has ended (freshly read) or, when the time-out passes first, as it stands
        /// with a WandbWaitTimeout reported for it. A run that is gone meanwhile is reported and not yielded.
        /// </summary>
        /// <param name="runs">Each run with the origin that reads it again.</param>
        /// <param name="onError">Where per-run errors go (run gone, time-out).</param>
        /// <param name="progress">Told the number of runs still waited on after each poll.</param>
        /// <param name="cancellation">Ctrl+C: ends the wait at once with <see cref="OperationCanceledException"/>.</param>
        public IEnumerable<RunWaitResult> Wait(IEnumerable<KeyValuePair<WandbRun, IRunOrigin>> runs, Action<WandbException> onError, Action<int>? progress, CancellationToken cancellation)
        {
            List<PollGroup> groups = runs
                .GroupBy(r => r.Value.TargetFor(string.Empty) + "\n" + r.Key.Source, StringComparer.Ordinal)
                .Select(g => new PollGroup(g.First().Value, g.Select(r => r.Key), IntervalFor(g.First().Key.Source)))
                .ToList();

            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                TimeSpan now = _elapsed();
                foreach (PollGroup group in groups.Where(g => g.Pending.Count > 0 && g.NextPoll <= now))
                {
                    foreach (WandbRun ended in Poll(group, onError, cancellation))
                    {
                        yield return new RunWaitResult(ended, false);
                    }

                    group.NextPoll = _elapsed() + group.Interval;
                }

                int pending = groups.Sum(g => g.Pending.Count);
                progress?.Invoke(pending);
                if (pending == 0)
                {
                    yield break;
                }

                now = _elapsed();
                if (_timeout is TimeSpan limit && now >= limit)
                {
                    foreach (PollGroup group in groups)
                    {
                        foreach (WandbRun run in group.Pending)
                        {
                            onError(new WandbException(
                                WandbErrorKind.WaitTimeout,
                                "Run " + Label(group, run) + " was still " + run.State + " when the wait's " + limit.TotalSeconds + "-second time-out passed (last heartbeat " + run.HeartbeatAt.ToString("u") + ").",
                                Target(group, run)));
                            yield return new RunWaitResult(run, true);
                        }
                    }

                    yield break;
                }

                TimeSpan next = groups.Where(g => g.Pending.Count > 0).Min(g => g.NextPoll);
                if (_timeout is TimeSpan end && end < next)
                {
                    next = end;
                }

                TimeSpan delay = next - now;
                if (delay > TimeSpan.Zero)
                {
                    _sleep(delay, cancellation);
                }
            }
        }

        /// <summary>Reads one group's pending runs again and takes out those that ended (returned) or are gone (reported).</summary>
        private IEnumerable<WandbRun> Poll(PollGroup group, Action<WandbException> onError, CancellationToken cancellation)
        {
            var fresh = new Dictionary<string, WandbRun>(StringComparer.Ordinal);
            WandbException? transient = null;
            var failures = new List<WandbException>();
            void Failed(WandbException e)
            {
                if (e.Kind == WandbErrorKind.RateLimited || e.Kind == WandbErrorKind.ConnectionFailed)
                {
                    transient = e;
                }
                else
                {
                    failures.Add(e);
                }
            }

            try
            {
                foreach (WandbRun run in group.Origin.Refresh.Refresh(group.Pending.ToList(), Failed, cancellation))
                {
                    fresh[run.Id] = run;
                }
            }
            catch (WandbException e)
            {
                // The source failed as a whole (the default entity could not be asked for, say): the same rules apply.
                Failed(e);
            }

            if (transient is not null)
            {
                // A busy or briefly unreachable server does not end a wait that may last hours: ask again later, less often.
                group.Interval = Min(MaximumPollInterval, group.Interval + group.Interval);
                _diagnostics.Warning("Checking " + group.Pending.Count + " run(s) failed (" + transient.Message + "); trying again in " + Seconds(group.Interval) + ".");
            }
            else
            {
                group.Interval = group.BaseInterval;
            }

            foreach (WandbException failure in failures)
            {
                onError(failure);
            }

            var ended = new List<WandbRun>();
            foreach (WandbRun run in group.Pending.ToList())
            {
                if (fresh.TryGetValue(run.Id, out WandbRun? now))
                {
                    if (IsActive(now.State))
                    {
                        group.Replace(run, now);
                    }
                    else
                    {
                        group.Pending.Remove(run);
                        ended.Add(now);
                    }
                }
                else if (transient is null)
                {
                    // Not read again and no transient failure: gone, and its error was reported above.
                    group.Pending.Remove(run);
                }
            }

            int running = group.Pending.Count;
            _diagnostics.Verbose(
                "Checked " + (running + ended.Count) + " run(s) of " + Where(group) + ": " + ended.Count + " ended, " + running + " still running"
                + (running > 0 ? "; next check in " + Seconds(group.Interval) + "." : "."));
            return ended;
        }

        private static string Where(PollGroup group)
        {
            string target = group.Origin.TargetFor(string.Empty).TrimEnd('/');
            return target.Length == 0 ? "local folders" : target;
        }

        private static string Label(PollGroup group, WandbRun run) =>
            group.Origin.TargetFor(run.Id) + (string.IsNullOrEmpty(run.Name) ? string.Empty : " (" + run.Name + ")");

        private static string Target(PollGroup group, WandbRun run) => run.Source == RunSource.Local && run.Path is not null ? run.Path : group.Origin.TargetFor(run.Id);

        private static string Seconds(TimeSpan interval) => interval.TotalSeconds + " s";

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        /// <summary>The runs of one origin, polled together on their own schedule.</summary>
        private sealed class PollGroup
        {
            public PollGroup(IRunOrigin origin, IEnumerable<WandbRun> runs, TimeSpan interval)
            {
                Origin = origin;
                Pending = runs.ToList();
                BaseInterval = interval;
                Interval = interval;
            }

            public IRunOrigin Origin { get; }

            public List<WandbRun> Pending { get; }

            public TimeSpan BaseInterval { get; }

            public TimeSpan Interval { get; set; }

            /// <summary>Zero at first: every group is read at once, so runs that already ended come out without a wait.</summary>
            public TimeSpan NextPoll { get; set; }

            public void Replace(WandbRun old, WandbRun fresh) => Pending[Pending.IndexOf(old)] = fresh;
        }
    }
}
