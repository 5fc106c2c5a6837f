using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Errors;

namespace WandbRunOps.Changes
{
    /// <summary>
    /// Runs a bulk change a few runs at a time and reports in input order. Each item is planned (a fresh read), then
    /// confirmed on the caller's thread (where PowerShell's ShouldProcess must run, in input order), then applied.
    /// At most <c>width</c> reads and changes are in flight at once; a failed item becomes its outcome and the rest go on.
    /// The caller calls <see cref="Add"/> and <see cref="Drain"/> from one thread only.
    /// </summary>
    public sealed class ChangePipeline<TPlan, TResult>
        where TPlan : class
    {
        private readonly int _width;
        private readonly Func<TPlan, bool> _confirm;
        private readonly CancellationToken _cancellation;
        private readonly bool _stopAtFirstError;
        private readonly Action? _whileWaiting;
        private readonly List<Item> _items = new List<Item>();

        /// <summary>How often <c>whileWaiting</c> is called while the caller waits for work in flight.</summary>
        private static readonly TimeSpan WaitTick = TimeSpan.FromMilliseconds(250);

        // stopAtFirstError (-ErrorAction Stop): an item is confirmed, and so changed, only once every earlier item is
        // done without error, so nothing after the first failure is changed. Reads still go ahead, a few at a time.
        // whileWaiting: called on the caller's thread every quarter second while it waits for work in flight (to pass on
        // messages and progress of long transfers).
        public ChangePipeline(int width, Func<TPlan, bool> confirm, CancellationToken cancellation, bool stopAtFirstError = false, Action? whileWaiting = null)
        {
            if (width < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(width));
            }

            _width = width;
            _confirm = confirm;
            _cancellation = cancellation;
            _stopAtFirstError = stopAtFirstError;
            _whileWaiting = whileWaiting;
        }

        /// <summary>
        /// Starts planning one item (or records <paramref name="refusal"/> for an item refused before any request),
        /// then returns the outcomes that are ready to report, oldest first, waiting while the window is full.
        /// </summary>
        public IEnumerable<ChangeOutcome<TPlan, TResult>> Add(
            object input,
            Func<CancellationToken, Task<TPlan>>? plan,
            Func<TPlan, CancellationToken, Task<TResult>> apply,
            WandbException? refusal = null)
        {
            var item = new Item(input, apply);
            if (refusal is not null || plan is null)
            {
                item.Error = refusal ?? throw new ArgumentNullException(nameof(plan));
            }
            else
            {
                item.Planning = Start(plan);
            }

            _items.Add(item);
            return Advance(untilInFlightBelow: _width);
        }

        /// <summary>True while items are still to be reported (with stopAtFirstError, Drain returns at a failure before the rest).</summary>
        public bool HasPending => _items.Count > 0;

        /// <summary>Waits for every item and returns the remaining outcomes in input order (up to a failure, with stopAtFirstError).</summary>
        public IEnumerable<ChangeOutcome<TPlan, TResult>> Drain() => Advance(untilInFlightBelow: 1);

        private List<ChangeOutcome<TPlan, TResult>> Advance(int untilInFlightBelow)
        {
            var ready = new List<ChangeOutcome<TPlan, TResult>>();
            while (true)
            {
                ConfirmPlanned();
                while (_items.Count > 0 && _items[0].Done)
                {
                    ready.Add(_items[0].Outcome());
                    _items.RemoveAt(0);
                }

                if (_stopAtFirstError && ready.Any(o => o.Error is not null))
                {
                    return ready; // the caller reports the failure (and stops) before any later item is confirmed
                }

                // Every unfinished item holds a place, also one planned and waiting for an earlier item's confirmation:
                // it starts its change the moment that confirmation comes.
                int unfinished = _items.Count(i => !i.Done);
                if (unfinished < untilInFlightBelow && (untilInFlightBelow > 1 || _items.Count == 0))
                {
                    return ready;
                }

                Task[] running = _items.Select(i => i.Running).OfType<Task>().ToArray();

                if (running.Length == 0)
                {
                    // Only items waiting for confirmation remain, and they were just confirmed: loop once more.
                    continue;
                }

                while (Task.WaitAny(running, _whileWaiting is null ? Timeout.Infinite : (int)WaitTick.TotalMilliseconds, _cancellation) < 0)
                {
                    _whileWaiting!();
                }

                _cancellation.ThrowIfCancellationRequested();
            }
        }

        /// <summary>Confirms, in input order, each planned item whose earlier items are all confirmed, and starts its change.</summary>
        private void ConfirmPlanned()
        {
            bool earlierUnsettled = false;
            foreach (Item item in _items)
            {
                if (item.Confirmed || item.Error is not null)
                {
                    earlierUnsettled |= !item.Done || item.Error is not null || item.Failed;
                    continue;
                }

                if (!item.Planning!.IsCompleted)
                {
                    return; // a later item must not be asked about before an earlier one
                }

                if (item.Planning.IsFaulted || item.Planning.IsCanceled)
                {
                    item.Confirmed = true;
                    item.Error = Unwrap(item.Planning);
                    earlierUnsettled = true;
                    continue;
                }

                if (_stopAtFirstError && earlierUnsettled)
                {
                    return; // its change waits until every earlier one is known to have succeeded
                }

                item.Confirmed = true;

                item.Plan = item.Planning.Result;
                if (_confirm(item.Plan))
                {
                    item.Applying = Start(token => item.Apply(item.Plan, token));

                    // In flight now: with stopAtFirstError, no later item may start before it is known to have succeeded.
                    earlierUnsettled = true;
                }
                else
                {
                    item.Declined = true;
                }
            }
        }

        private Task<T> Start<T>(Func<CancellationToken, Task<T>> work) => Task.Run(() => work(_cancellation), _cancellation);

        private WandbException Unwrap(Task task)
        {
            _cancellation.ThrowIfCancellationRequested();
            Exception? e = task.Exception?.GetBaseException();
            return e as WandbException
                ?? new WandbException(WandbErrorKind.ProtocolError, "The change failed: " + (e?.Message ?? "it was cancelled") + ".", null, e);
        }

        private sealed class Item
        {
            public Item(object input, Func<TPlan, CancellationToken, Task<TResult>> apply)
            {
                Input = input;
                Apply = apply;
            }

            public object Input { get; }

            public Func<TPlan, CancellationToken, Task<TResult>> Apply { get; }

            public Task<TPlan>? Planning { get; set; }

            public TPlan? Plan { get; set; }

            public bool Confirmed { get; set; }

            public bool Declined { get; set; }

            public Task<TResult>? Applying { get; set; }

            public WandbException? Error { get; set; }

            public Task? Running =>
                Planning is not null && !Planning.IsCompleted ? Planning
                : Applying is not null && !Applying.IsCompleted ? Applying
                : null;

            public bool Done => Error is not null || Declined || (Applying is not null && Applying.IsCompleted);

            /// <summary>Its change was made and failed (its error is set only when it is reported).</summary>
            public bool Failed => Applying is not null && (Applying.IsFaulted || Applying.IsCanceled);

            public ChangeOutcome<TPlan, TResult> Outcome()
            {
                if (Error is null && Applying is not null && (Applying.IsFaulted || Applying.IsCanceled))
                {
                    Exception? e = Applying.Exception?.GetBaseException();
                    Error = e as WandbException ?? new WandbException(WandbErrorKind.ProtocolError, "The change failed: " + (e?.Message ?? "it was cancelled") + ".", null, e);
                }

                return new ChangeOutcome<TPlan, TResult>(
                    Input,
                    Plan,
                    Error is null && Applying is not null ? Applying.Result : default,
                    Error,
                    Declined);
            }
        }
    }

    /// <summary>What became of one item of a bulk change: applied (with its result), declined (-WhatIf, "No"), or failed.</summary>
    /// <param name="Input">The input object the outcome is for.</param>
    /// <param name="Plan">The plan, once the run was read.</param>
    /// <param name="Result">What the change returned (the run as the source now has it), when it was applied.</param>
    /// <param name="Error">Why the run was not changed.</param>
    /// <param name="Declined">Whether -WhatIf or an answer of No declined it.</param>
    public sealed record ChangeOutcome<TPlan, TResult>(object Input, TPlan? Plan, TResult? Result, WandbException? Error, bool Declined)
    {
        public bool Applied => Error is null && !Declined;
    }
}
