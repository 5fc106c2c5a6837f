using System.Linq;
using WandbRunOps.Json;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class ValueTreeTests
    {
        [Fact]
        public void PathsBuildNestedMapsAndNeverSplitDots()
        {
            var root = new WandbMap();
            ValueTree.SetPath(root, new[] { "a.b", "c" }, 1L);
            ValueTree.SetPath(root, new[] { "a.b", "d" }, 2L);
            ValueTree.SetPath(root, new[] { "top" }, 3L);
            var child = Assert.IsType<WandbMap>(root["a.b"]);
            Assert.Equal(new[] { "c", "d" }, child.Keys);
            ValueTree.RemovePath(root, new[] { "a.b", "c" });
            Assert.Equal(new[] { "d" }, child.Keys);
            ValueTree.RemovePath(root, new[] { "missing", "x" });
            Assert.Equal(new[] { "a.b", "top" }, root.Keys);
        }

        [Fact]
        public void SettingBelowAScalarReplacesItWithAMap()
        {
            var root = new WandbMap { { "x", 5L } };
            ValueTree.SetPath(root, new[] { "x", "y" }, true);
            Assert.Equal(true, ((WandbMap)root["x"]!)["y"]);
        }

        [Fact]
        public void MergeKeepsOlderKeysAndLetsNewerWin()
        {
            var older = (WandbMap)ExtendedJson.Parse("{\"epochs\":5,\"opt\":{\"lr\":0.1,\"m\":0.9}}")!;
            var newer = (WandbMap)ExtendedJson.Parse("{\"epochs\":10,\"opt\":{\"lr\":0.2}}")!;
            ValueTree.MergeInto(older, newer);
            Assert.Equal("@{epochs=10; opt=@{lr=0.2; m=0.9}}", older.ToString());
        }

        [Fact]
        public void FlattenGivesDottedLeaves()
        {
            var map = (WandbMap)ExtendedJson.Parse("{\"a\":{\"b\":{\"c\":1},\"e\":{}},\"f\":[1]}")!;
            Assert.Equal(new[] { "a.b.c", "a.e", "f" }, ValueTree.Flatten(map).Select(p => p.Key));
        }
    }
}
