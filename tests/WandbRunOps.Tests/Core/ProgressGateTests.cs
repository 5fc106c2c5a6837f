using System;
using System.Collections.Generic;
using WandbRunOps.Diagnostics;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>The cmdlets' progress rule, on a clock the test moves: only work that lasts shows a bar.</summary>
    public class ProgressGateTests
    {
        private TimeSpan _now;

        private ProgressGate Gate() => new ProgressGate(() => _now);

        [Fact]
        public void WorkThatEndsWithinTheDelayShowsNothingAndNeedsNoCompletion()
        {
            ProgressGate gate = Gate();
            for (int i = 0; i < 8; i++)
            {
                _now = TimeSpan.FromMilliseconds(100 * i);
                Assert.False(gate.Pass());
            }

            Assert.False(gate.Close());
        }

        [Fact]
        public void LastingWorkShowsAfterTheDelayAtMostFourTimesASecondAndClosesOnce()
        {
            ProgressGate gate = Gate();
            var shown = new List<int>();
            for (int ms = 0; ms <= 3000; ms += 50)
            {
                _now = TimeSpan.FromMilliseconds(ms);
                if (gate.Pass())
                {
                    shown.Add(ms);
                }
            }

            Assert.Equal(new[] { 1000, 1250, 1500, 1750, 2000, 2250, 2500, 2750, 3000 }, shown);
            Assert.True(gate.Close());
            Assert.False(gate.Close());
        }

        [Fact]
        public void WorkSpanningPagesShowsEveryPageAtOnce()
        {
            ProgressGate gate = Gate();
            Assert.True(gate.Pass(spansPages: true));
            Assert.True(gate.Pass(spansPages: true));
            Assert.True(gate.Close());
        }
    }
}
