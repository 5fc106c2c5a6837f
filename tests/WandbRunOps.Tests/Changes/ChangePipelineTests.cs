using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Errors;
using Xunit;

namespace WandbRunOps.Tests.Changes
{
    public sealed class ChangePipelineTests
    {
        private int _inFlight;
        private int _maxInFlight;
        private readonly ConcurrentQueue<int> _applied = new ConcurrentQueue<int>();

        private async Task<T> Tracked<T>(T value, int delayMs)
        {
            int now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, now);
            try
            {
                await Task.Delay(delayMs);
                return value;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }

        [Fact]
        public void ReportsInInputOrderConfirmsInInputOrderAndKeepsAtMostTheWidthInFlight()
        {
            var confirmed = new List<int>();
            var pipeline = new ChangePipeline<string, int>(4, plan => { confirmed.Add(int.Parse(plan)); return true; }, CancellationToken.None);
            var outcomes = new List<ChangeOutcome<string, int>>();
            var random = new Random(7);
            for (int i = 0; i < 20; i++)
            {
                int n = i;
                int readDelay = random.Next(1, 40);
                int applyDelay = random.Next(1, 40);
                outcomes.AddRange(pipeline.Add(
                    n,
                    _ => Tracked(n.ToString(), readDelay),
                    async (plan, _) => { int r = await Tracked(n, applyDelay); _applied.Enqueue(r); return r * 10; }));
            }

            outcomes.AddRange(pipeline.Drain());
            Assert.Equal(Enumerable.Range(0, 20), outcomes.Select(o => (int)o.Input));
            Assert.Equal(Enumerable.Range(0, 20).Select(n => n * 10), outcomes.Select(o => o.Result));
            Assert.Equal(Enumerable.Range(0, 20), confirmed);
            Assert.InRange(_maxInFlight, 2, 4);
            Assert.Equal(20, _applied.Count);
        }

        [Fact]
        public void ADeclinedItemIsNeverAppliedAndAFailedOneDoesNotStopTheOthers()
        {
            var pipeline = new ChangePipeline<string, int>(2, plan => plan != "1", CancellationToken.None);
            var outcomes = new List<ChangeOutcome<string, int>>();
            for (int i = 0; i < 4; i++)
            {
                int n = i;
                outcomes.AddRange(pipeline.Add(
                    n,
                    n == 2 ? _ => Task.FromException<string>(new WandbException(WandbErrorKind.RunNotFound, "gone", "e/p/r2")) : _ => Task.FromResult(n.ToString()),
                    (plan, _) => { _applied.Enqueue(n); return n == 3 ? Task.FromException<int>(new WandbException(WandbErrorKind.PermissionDenied, "no", "e/p/r3")) : Task.FromResult(n); }));
            }

            outcomes.AddRange(pipeline.Drain());
            Assert.Equal(new[] { "applied", "declined", "WandbRunNotFound", "WandbPermissionDenied" },
                outcomes.Select(o => o.Applied ? "applied" : o.Declined ? "declined" : o.Error!.ErrorId));
            Assert.Equal(new[] { 0, 3 }, _applied.OrderBy(x => x));
        }

        [Fact]
        public void StoppingAtTheFirstErrorStartsNoChangeWhileAnEarlierOneIsInFlight()
        {
            // Every read is quick; item 0's change fails slowly. Under -ErrorAction Stop, items 1-3 must wait for it
            // (they were once confirmed in the same pass as item 0, so their changes ran before its failure was known).
            var confirmed = new List<int>();
            var pipeline = new ChangePipeline<string, int>(4, plan => { confirmed.Add(int.Parse(plan)); return true; }, CancellationToken.None, stopAtFirstError: true);
            var outcomes = new List<ChangeOutcome<string, int>>();
            for (int i = 0; i < 4; i++)
            {
                int n = i;
                outcomes.AddRange(pipeline.Add(
                    n,
                    _ => Task.FromResult(n.ToString()),
                    async (plan, _) =>
                    {
                        _applied.Enqueue(n);
                        await Task.Delay(n == 0 ? 200 : 1);
                        return n == 0 ? throw new WandbException(WandbErrorKind.PermissionDenied, "refused", "e/p/r0") : n;
                    }));
                if (outcomes.Any(o => o.Error is not null))
                {
                    break; // what WriteError does under -ErrorAction Stop
                }
            }

            if (!outcomes.Any(o => o.Error is not null))
            {
                outcomes.AddRange(pipeline.Drain());
            }

            Assert.Equal(0, outcomes.First(o => o.Error is not null).Input);
            Assert.Equal(new[] { 0 }, confirmed);
            Assert.Equal(new[] { 0 }, _applied);
        }

        [Fact]
        public void StoppingAtTheFirstErrorChangesNothingAfterIt()
        {
            // Item 1's read fails at once while the others read quickly: under -ErrorAction Stop none after it is
            // confirmed or changed (the caller's report of item 1 ends the command), though their reads go ahead.
            var confirmed = new List<int>();
            var pipeline = new ChangePipeline<string, int>(4, plan => { confirmed.Add(int.Parse(plan)); return true; }, CancellationToken.None, stopAtFirstError: true);
            var outcomes = new List<ChangeOutcome<string, int>>();
            for (int i = 0; i < 4; i++)
            {
                int n = i;
                outcomes.AddRange(pipeline.Add(
                    n,
                    n == 1 ? _ => Task.FromException<string>(new WandbException(WandbErrorKind.RunNotFound, "gone", "e/p/r1")) : _ => Tracked(n.ToString(), n == 0 ? 100 : 1),
                    async (plan, _) => { _applied.Enqueue(n); return await Tracked(n, 1); }));
                if (outcomes.Any(o => o.Error is not null))
                {
                    break; // what WriteError does under -ErrorAction Stop
                }
            }

            if (!outcomes.Any(o => o.Error is not null))
            {
                outcomes.AddRange(pipeline.Drain());
            }

            ChangeOutcome<string, int> failed = outcomes.First(o => o.Error is not null);
            Assert.Equal(1, failed.Input);
            Assert.Equal(new[] { 0 }, confirmed);
            Assert.Equal(new[] { 0 }, _applied);

            // A caller that goes on after the failure (-ErrorAction Inquire, answered "Yes") gets the rest.
            Assert.True(pipeline.HasPending);
            while (pipeline.HasPending)
            {
                outcomes.AddRange(pipeline.Drain());
            }

            Assert.Equal(new object[] { 0, 1, 2, 3 }, outcomes.Select(o => o.Input));
            Assert.Equal(new[] { 0, 2, 3 }, _applied.OrderBy(x => x));
        }

        [Fact]
        public void WithoutStoppingAtTheFirstErrorLaterItemsGoOnPastAFailedOne()
        {
            var pipeline = new ChangePipeline<string, int>(4, _ => true, CancellationToken.None);
            var outcomes = new List<ChangeOutcome<string, int>>();
            for (int i = 0; i < 4; i++)
            {
                int n = i;
                outcomes.AddRange(pipeline.Add(
                    n,
                    n == 1 ? _ => Task.FromException<string>(new WandbException(WandbErrorKind.RunNotFound, "gone", "e/p/r1")) : _ => Tracked(n.ToString(), n == 0 ? 100 : 1),
                    async (plan, _) => { _applied.Enqueue(n); return await Tracked(n, 1); }));
            }

            outcomes.AddRange(pipeline.Drain());
            Assert.Equal(new[] { 0, 2, 3 }, _applied.OrderBy(x => x));
            Assert.Equal("WandbRunNotFound", outcomes[1].Error!.ErrorId);
        }

        [Fact]
        public void AnItemRefusedBeforeAnyRequestIsReportedInItsPlace()
        {
            var pipeline = new ChangePipeline<string, int>(4, _ => true, CancellationToken.None);
            var outcomes = new List<ChangeOutcome<string, int>>();
            outcomes.AddRange(pipeline.Add(0, _ => Tracked("0", 30), (_, _) => Task.FromResult(0)));
            outcomes.AddRange(pipeline.Add(1, null, (_, _) => Task.FromResult(1), new WandbException(WandbErrorKind.InvalidArgument, "local", "r1")));
            outcomes.AddRange(pipeline.Drain());
            Assert.Equal(new object[] { 0, 1 }, outcomes.Select(o => o.Input));
            Assert.True(outcomes[0].Applied);
            Assert.Equal("WandbInvalidArgument", outcomes[1].Error!.ErrorId);
        }

        [Fact]
        public void CancellingStopsTheWaitAtOnce()
        {
            using var stop = new CancellationTokenSource();
            var pipeline = new ChangePipeline<string, int>(1, _ => true, stop.Token);
            stop.CancelAfter(50);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // A window of one waits in Add for the item that never ends; Ctrl+C must end that wait.
            Assert.ThrowsAny<OperationCanceledException>(() => pipeline.Add(0, token => Task.Delay(Timeout.Infinite, token).ContinueWith(_ => "0", TaskScheduler.Default), (_, _) => Task.FromResult(0)).ToList());
            Assert.True(clock.ElapsedMilliseconds < 2000, clock.ElapsedMilliseconds + " ms");
        }
    }
}
