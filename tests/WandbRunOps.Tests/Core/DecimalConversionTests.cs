using System;
using System.Globalization;
using System.Reflection;
using System.Text;
using WandbRunOps.Json;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>
    /// The history decoder's decimal conversion (csFastFloat behind <see cref="Utf8Scalars"/>) against the framework's
    /// parser, bit for bit. The conversion is a dependency now; these tests stay so that a change of package or version
    /// that rounds one value differently fails here.
    /// </summary>
    public class DecimalConversionTests
    {
        private static bool TryConvert(string text, out double value)
        {
            byte[] utf8 = Encoding.ASCII.GetBytes(text);
            value = 0;
            if (!Utf8Scalars.TryParse(utf8, 0, utf8.Length, out object? parsed))
            {
                return false;
            }

            value = Assert.IsType<double>(parsed);
            return true;
        }

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
                string text = (negative ? "-" : string.Empty) + w.ToString(CultureInfo.InvariantCulture) + "e" + q.ToString(CultureInfo.InvariantCulture);
                double expected = double.Parse(text, CultureInfo.InvariantCulture);
                if (!double.IsInfinity(expected))
                {
                    normal++;
                }

                if (TryConvert(text, out double actual))
                {
                    decided++;
                    Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), text + ": expected " + expected.ToString("R", CultureInfo.InvariantCulture) + ", got " + actual.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            // Every finite result, subnormals included, is decided on the fast path.
            Assert.True(decided >= normal, decided + " decided of " + normal + " finite results (" + cases + " cases)");
        }

        [Fact]
        public void RandomPlainDecimalsMatchTheFrameworkBitForBit()
        {
            // Plain decimals as history rows hold them, and around the limits of Clinger's exact path (19 digits, digits
            // up to 2^53, 22 after the point), which csFastFloat takes for many of them.
            var random = new Random(18);
            var buffer = new byte[8];
            for (int i = 0; i < 300_000; i++)
            {
                int length = random.Next(1, 24);
                random.NextBytes(buffer);
                string body = (BitConverter.ToUInt64(buffer, 0) % (i % 3 == 0 ? (1UL << 53) + 3 : ulong.MaxValue)).ToString(CultureInfo.InvariantCulture);
                body = (new string('0', random.Next(0, 4)) + body).PadLeft(length, '0');
                body = body.Substring(0, Math.Min(body.Length, Math.Max(length, random.Next(2) == 0 ? body.Length : length)));
                int point = random.Next(1, body.Length + 1);
                string text = (i % 2 == 1 ? "-" : string.Empty) + body.Substring(0, point) + "." + (point == body.Length ? "0" : body.Substring(point));
                double expected = double.Parse(text, CultureInfo.InvariantCulture);
                Assert.True(TryConvert(text, out double actual), text);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), text + ": expected " + expected.ToString("R", CultureInfo.InvariantCulture) + ", got " + actual.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        [Theory]
        [InlineData("0.0", 0.0)]
        [InlineData("-0.0", -0.0)]
        [InlineData("1e0", 1.0)]
        [InlineData("-5e-1", -0.5)]
        [InlineData("17976931348623157e292", double.MaxValue)]
        [InlineData("22250738585072014e-324", 2.2250738585072014E-308)]
        [InlineData("4.9406564584124654E-324", double.Epsilon)]
        [InlineData("1.755528211298517e+09", 1755528211.298517)]
        [InlineData("9007199254740992.0", 9007199254740992.0)]
        [InlineData("0.9007199254740993", 0.9007199254740993)]
        [InlineData("0.0000000000000000000001", 1e-22)]
        [InlineData("0.00000000000000000000001", 1e-23)]
        [InlineData("-0.017422223058725327", -0.017422223058725327)]
        public void KnownValues(string text, double expected)
        {
            Assert.True(TryConvert(text, out double actual));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        }

        [Fact]
        public void TheTestsCheckTheNetstandardBuildThatTheModuleShips()
        {
            // NuGet would give this net10.0 project csFastFloat's net9.0 build; the module loads its netstandard2.0 one.
            string? framework = typeof(csFastFloat.FastDoubleParser).Assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()?.FrameworkName;
            Assert.Equal(".NETStandard,Version=v2.0", framework);
        }
    }
}
