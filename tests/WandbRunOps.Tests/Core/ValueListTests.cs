using System;
using System.Collections;
using System.Linq;
using WandbRunOps.Json;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class ValueListTests
    {
        [Fact]
        public void JsonArraysAreReadOnlyListsWhoseTextIsTheItemsJoinedByCommas()
        {
            var map = (WandbMap)ExtendedJson.Parse("{\"betas\":[0.9,0.999],\"opt\":{\"name\":\"adam\",\"betas\":[0.9,0.999]}}")!;
            var betas = Assert.IsType<ValueList<object?>>(map["betas"]);
            Assert.Equal(new object?[] { 0.9, 0.999 }, betas);
            Assert.Equal("0.9, 0.999", betas.ToString());
            Assert.Equal("@{name=adam; betas=0.9, 0.999}", map["opt"]!.ToString());
            Assert.True(((IList)betas).IsReadOnly);
            Assert.Throws<NotSupportedException>(() => ((IList)betas).Add(1.0));
        }

        [Fact]
        public void NumbersKeepEveryDigit()
        {
            Assert.Equal("0.0001", ValueText.Format(0.0001));
            Assert.Equal("1759286328.251324", ValueText.Format(1759286328.251324));
            Assert.Equal("NaN, Infinity", ValueText.Format(new ValueList<object?>(new object?[] { double.NaN, double.PositiveInfinity })));
        }

        [Fact]
        public void AnArrayBecomesAListAndAnEmptyOneTheEmptyList()
        {
            ValueList<string> tags = new[] { "sweep", "best" };
            Assert.Equal("sweep, best", tags.ToString());
            Assert.Equal(2, tags.Length);
            Assert.True(tags.Contains("best"));
            ValueList<string> none = Array.Empty<string>();
            Assert.Same(ValueList<string>.Empty, none);
            Assert.Equal(string.Empty, none.ToString());
        }

        [Fact]
        public void MapsAnswerContainsAndEnumerateEntriesThatReadKeyEqualsValue()
        {
            var map = (WandbMap)ExtendedJson.Parse("{\"lr\":0.001,\"betas\":[0.9,0.999]}")!;
            Assert.True(map.Contains("lr"));
            Assert.True(map.Contains("LR"));
            Assert.False(map.Contains("momentum"));
            // What PowerShell's formatter enumerates (the non-generic interface): entries that read key=value.
            var entries = new System.Collections.Generic.List<string>();
            IEnumerator items = ((IEnumerable)map).GetEnumerator();
            while (items.MoveNext())
            {
                entries.Add(Assert.IsType<MapEntry>(items.Current).ToString());
            }

            Assert.Equal(new[] { "lr=0.001", "betas=0.9, 0.999" }, entries);

            // The typed enumerator and the dictionary enumerator are unchanged.
            Assert.Equal(new[] { "lr", "betas" }, map.Select(p => p.Key));
            Assert.Equal(new object[] { "lr", "betas" }, ((IDictionary)map).Keys.Cast<object>());
        }
    }
}
