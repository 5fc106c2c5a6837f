using System;
using System.Diagnostics;

namespace WandbRunOps.Diagnostics
{
    /// <summary>
    /// When a progress update is worth showing: only for work that lasts. Nothing for the first <see cref="Delay"/> (a
    /// quick read never flashes a bar, and a job's output carries no progress), then at most one update per
    /// <see cref="Interval"/>; work known to span more than one page shows every page at once.
    /// </summary>
    public sealed class ProgressGate
    {
        /// <summary>Work shorter than this shows no progress at all.</summary>
        public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

        /// <summary>At most four updates a second.</summary>
        public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

        private readonly Func<TimeSpan> _elapsed;
        private TimeSpan _lastShown;

        /// <param name="elapsed">Time since the work began; a stopwatch started now unless given.</param>
        public ProgressGate(Func<TimeSpan>? elapsed = null)
        {
            if (elapsed is null)
            {
                Stopwatch clock = Stopwatch.StartNew();
                elapsed = () => clock.Elapsed;
            }

            _elapsed = elapsed;
        }

        /// <summary>True once an update was let through (so the activity must be completed).</summary>
        public bool Shown { get; private set; }

        /// <summary>True when this update should be shown; the caller then writes it.</summary>
        /// <param name="spansPages">True when the work is known to span more than one page: shown without delay or throttle.</param>
        public bool Pass(bool spansPages = false)
        {
            TimeSpan now = _elapsed();
            if (!spansPages && (now < Delay || (Shown && now - _lastShown < Interval)))
            {
                return false;
            }

            Shown = true;
            _lastShown = now;
            return true;
        }

        /// <summary>True when the activity was shown and must now be completed (once).</summary>
        public bool Close()
        {
            bool shown = Shown;
            Shown = false;
            return shown;
        }
    }
}
