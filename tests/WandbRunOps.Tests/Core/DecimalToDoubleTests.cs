using System;
using System.Globalization;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>The Eisel–Lemire conversion behind the history decoder's number parsing, against the framework's parser.</summary>
    public class DecimalToDoubleTests
    {
        [Fact]
        public void RandomMantissasAndExponentsMatchTheFrameworkBitForBitAndAlmostAllAreDecidedHere()
        {
            var random = new Random(20261123);
            var buffer = new byte[8];
            int decided = 0;
            int normal = 0;
            const int cases = 200_000;
            for (int i = 0; i < cases; i++)
            {
                random.NextBytes(buffer);
                ulong w = BitConverter.ToUInt64(buffer, 0) % 10_000_000_000_000_000_000UL;
                int q = random.Next(-300, 300);
                bool negative = (i & 1) == 1;
                double expected = double.Parse((negative ? "-" : string.Empty) + w.ToString(CultureInfo.InvariantCulture) + "e" + q.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                if (!double.IsInfinity(expected) && (expected == 0 || Math.Abs(expected) >= 2.2250738585072014E-308))
                {
                    normal++;
                }

                if (DecimalToDouble.TryConvert(w, q, negative, out double actual))
                {
                    decided++;
                    Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), w + "e" + q + ": expected " + expected.ToString("R", CultureInfo.InvariantCulture) + ", got " + actual.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            // Overflow and subnormals are left to the framework; of the rest, undecided cases must be rare for the fast
            // path to be worth having.
            Assert.True(decided > normal * 0.999, decided + " decided of " + normal + " normal results (" + cases + " cases)");
        }

        [Theory]
        [InlineData(0UL, 0, false, 0.0)]
        [InlineData(1UL, 0, false, 1.0)]
        [InlineData(5UL, -1, true, -0.5)]
        [InlineData(17976931348623157UL, 292, false, double.MaxValue)]
        [InlineData(22250738585072014UL, -324, false, 2.2250738585072014E-308)]
        public void KnownValues(ulong w, int q, bool negative, double expected)
        {
            Assert.True(DecimalToDouble.TryConvert(w, q, negative, out double actual));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        }

        [Theory]
        [InlineData(49406564584124654UL, -340)]
        [InlineData(1UL, 400)]
        [InlineData(1UL, -400)]
        public void SubnormalAndOutOfRangeAreLeftToTheFramework(ulong w, int q) =>
            Assert.False(DecimalToDouble.TryConvert(w, q, false, out _));
    }
}
