using System;
using WandbRunOps.Model;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class RuntimeStatisticsTests
    {
        [Fact]
        public void SampleStandardDeviationAndMedianLikeMeasureObject()
        {
            RuntimeStatistics stats = RuntimeStatistics.OfSeconds(new[] { 60d, 120d, 180d, 600d });
            Assert.Equal(4, stats.Count);
            Assert.Equal(960d, stats.SumSeconds);
            Assert.Equal(240d, stats.AverageSeconds);
            Assert.Equal(60d, stats.MinimumSeconds);
            Assert.Equal(600d, stats.MaximumSeconds);
            Assert.Equal(150d, stats.MedianSeconds);

            // sqrt(((60-240)^2 + (120-240)^2 + (180-240)^2 + (600-240)^2) / 3) = sqrt(180000 / 3)
            Assert.Equal(Math.Sqrt(180000d / 3), stats.StandardDeviationSeconds!.Value, 9);
            Assert.Equal(TimeSpan.FromMinutes(4), stats.Average);
            Assert.Equal(TimeSpan.FromSeconds(150), stats.Median);
        }

        [Fact]
        public void OddCountMedianIsTheMiddleValue() => Assert.Equal(5d, RuntimeStatistics.OfSeconds(new[] { 9d, 1d, 5d }).MedianSeconds);

        [Fact]
        public void OneRunHasZeroDeviation() => Assert.Equal(0d, RuntimeStatistics.OfSeconds(new[] { 42d }).StandardDeviationSeconds);

        [Fact]
        public void NoRunsGiveCountZeroAndNullFigures()
        {
            RuntimeStatistics stats = RuntimeStatistics.OfSeconds(Array.Empty<double>());
            Assert.Equal(0, stats.Count);
            Assert.Null(stats.Average);
            Assert.Null(stats.StandardDeviation);
        }
    }
}
