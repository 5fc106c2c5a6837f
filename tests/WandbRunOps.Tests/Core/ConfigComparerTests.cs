using System.Linq;
using WandbRunOps.Comparison;
using WandbRunOps.Json;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class ConfigComparerTests
    {
        private static WandbMap Map(string json) => (WandbMap)ExtendedJson.Parse(json)!;

        [Fact]
        public void ReportsChangedMissingAndAddedKeysByDottedPath()
        {
            WandbMap reference = Map("{\"lr\":0.01,\"opt\":{\"name\":\"adam\",\"beta\":0.9},\"only_ref\":1,\"_wandb\":{\"x\":1}}");
            WandbMap difference = Map("{\"lr\":0.02,\"opt\":{\"name\":\"adam\",\"beta\":0.99},\"only_diff\":true,\"_wandb\":{\"x\":2}}");
            var rows = ConfigComparer.Compare(reference, difference, "r1", "r2", includeEqual: false, includeInternal: false).ToList();
            Assert.Equal(new[] { "lr <>", "opt.beta <>", "only_ref <=", "only_diff =>" }, rows.Select(r => r.Key + " " + r.SideIndicator));
            Assert.Equal(0.01, rows[0].ReferenceValue);
            Assert.Equal(0.02, rows[0].DifferenceValue);
            Assert.All(rows, r => Assert.Equal(("r1", "r2"), (r.ReferenceRunId, r.DifferenceRunId)));
        }

        [Fact]
        public void IncludeEqualAndInternal()
        {
            WandbMap reference = Map("{\"a\":1,\"_wandb\":{\"x\":1}}");
            WandbMap difference = Map("{\"a\":1.0,\"_wandb\":{\"x\":2}}");
            var rows = ConfigComparer.Compare(reference, difference, "r1", "r2", includeEqual: true, includeInternal: true).ToList();
            Assert.Equal(new[] { "a ==", "_wandb.x <>" }, rows.Select(r => r.Key + " " + r.SideIndicator));
        }

        [Fact]
        public void ArraysCompareElementByElementAndNaNEqualsNaN()
        {
            Assert.True(ConfigComparer.ValuesEqual(new object?[] { 1L, "a" }, new object?[] { 1.0, "a" }));
            Assert.False(ConfigComparer.ValuesEqual(new object?[] { 1L, 2L }, new object?[] { 2L, 1L }));
            Assert.False(ConfigComparer.ValuesEqual(new object?[] { 1L }, new object?[] { 1L, 1L }));
            Assert.True(ConfigComparer.ValuesEqual(double.NaN, double.NaN));
            Assert.False(ConfigComparer.ValuesEqual("1", 1L));
            Assert.False(ConfigComparer.ValuesEqual(null, 0L));
        }
    }
}
