using System;
using System.Management.Automation;
using WandbRunOps.Diagnostics;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// One progress activity of a cmdlet, shown only for work that lasts (<see cref="ProgressGate"/> decides when);
    /// <see cref="Complete"/> closes the bar only when one was shown, so quick work leaves no progress record at all.
    /// </summary>
    internal sealed class ProgressDisplay
    {
        private readonly Action<ProgressRecord> _write;
        private readonly int _activityId;
        private readonly string _activity;
        private readonly ProgressGate _gate = new ProgressGate();

        /// <param name="write">The cmdlet's WriteProgress.</param>
        /// <param name="activityId">The activity's id, the same on every call.</param>
        /// <param name="activity">The activity's title.</param>
        public ProgressDisplay(Action<ProgressRecord> write, int activityId, string activity)
        {
            _write = write;
            _activityId = activityId;
            _activity = activity;
        }

        /// <summary>Reports where the work stands, when the gate lets it through.</summary>
        /// <param name="status">What is done, e.g. "12 of 40 runs".</param>
        /// <param name="percent">0-100, or -1 when unknown.</param>
        /// <param name="spansPages">True when the work is known to span more than one page.</param>
        public void Update(string status, int percent = -1, bool spansPages = false)
        {
            if (_gate.Pass(spansPages))
            {
                _write(new ProgressRecord(_activityId, _activity, status) { PercentComplete = percent });
            }
        }

        /// <summary>Ends the activity, when it was shown.</summary>
        public void Complete()
        {
            if (_gate.Close())
            {
                _write(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }
}
