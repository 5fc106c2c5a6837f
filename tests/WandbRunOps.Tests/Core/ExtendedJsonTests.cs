using System;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class ExtendedJsonTests
    {
        [Fact]
        public void BareNaNAndInfinitiesBecomeDoubles()
        {
            var map = Assert.IsType<WandbMap>(ExtendedJson.Parse("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": [NaN, 1]}"));
            Assert.True(double.IsNaN((double)map["a"]!));
            Assert.Equal(double.PositiveInfinity, map["b"]);
            Assert.Equal(double.NegativeInfinity, map["c"]);
            var list = Assert.IsType<object?[]>(map["d"]);
            Assert.True(double.IsNaN((double)list[0]!));
            Assert.Equal(1L, list[1]);
        }

        [Theory]
        [InlineData("42", 42L)]
        [InlineData("-7", -7L)]
        [InlineData("9223372036854775807", long.MaxValue)]
        public void IntegersThatFitAreLongs(string text, long expected) => Assert.Equal(expected, ExtendedJson.Parse(text));

        [Theory]
        [InlineData("1.5", 1.5)]
        [InlineData("1.755528211298517e+09", 1.755528211298517e+09)]
        [InlineData("1e-06", 1e-06)]
        [InlineData("1.0", 1.0)]
        [InlineData("99999999999999999999", 1e20)]
        public void OtherNumbersAreDoubles(string text, double expected) => Assert.Equal(expected, Assert.IsType<double>(ExtendedJson.Parse(text)));

        [Fact]
        public void StringsUnescapeIncludingUnicode()
        {
            Assert.Equal("a\"b\\c/d\n\té😀", ExtendedJson.Parse("\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\""));
            Assert.Equal("plain", ExtendedJson.Parse("\"plain\""));
        }

        [Fact]
        public void ObjectsKeepKeyOrderAndTheLastDuplicateWins()
        {
            var map = Assert.IsType<WandbMap>(ExtendedJson.Parse("{\"z\":1,\"a\":{\"n\":true,\"m\":null},\"z\":3}"));
            Assert.Equal(new[] { "z", "a" }, map.Keys);
            Assert.Equal(3L, map["z"]);
            var nested = Assert.IsType<WandbMap>(map["a"]);
            Assert.Equal(true, nested["n"]);
            Assert.True(nested.ContainsKey("m"));
            Assert.Null(nested["m"]);
        }

        [Theory]
        [InlineData("", "unexpected end")]
        [InlineData("{\"a\":1", "unterminated object")]
        [InlineData("[1 2]", "expected ',' or ']'")]
        [InlineData("{a:1}", "expected a quoted key")]
        [InlineData("\"open", "unterminated string")]
        [InlineData("1 2", "unexpected text after the value")]
        [InlineData("nul", "expected 'null'")]
        [InlineData("-", "bad number")]
        [InlineData("\"\\x\"", "bad escape")]
        public void BadTextIsAFormatErrorWithItsOffset(string text, string reason)
        {
            var error = Assert.Throws<FormatException>(() => ExtendedJson.Parse(text));
            Assert.Contains("offset", error.Message);
            Assert.Contains(reason, error.Message);
        }

        [Fact]
        public void DeepNestingIsRefusedNotAStackOverflow()
        {
            string deep = new string('[', 100_000) + new string(']', 100_000);
            var error = Assert.Throws<FormatException>(() => ExtendedJson.Parse(deep));
            Assert.Contains("nesting deeper than", error.Message);
            Assert.IsType<object?[]>(ExtendedJson.Parse(new string('[', 200) + new string(']', 200)));
        }

        [Fact]
        public void Utf8BytesWithABomParse()
        {
            byte[] bytes = { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' };
            Assert.IsType<WandbMap>(ExtendedJson.Parse(bytes, 0, bytes.Length));
        }

        [Fact]
        public void MapsPrintLikeHashtables()
        {
            var map = (WandbMap)ExtendedJson.Parse("{\"lr\":0.01,\"opt\":{\"name\":\"adam\"},\"layers\":[1,2]}")!;
            Assert.Equal("@{lr=0.01; opt=@{name=adam}; layers=1 2}", map.ToString());
        }

        [Fact]
        public void MapLookupsFallBackToCaseInsensitive()
        {
            var map = (WandbMap)ExtendedJson.Parse("{\"lr\":1,\"LR\":2,\"Momentum\":3}")!;
            Assert.Equal(1L, map["lr"]);
            Assert.Equal(2L, map["LR"]);
            Assert.Equal(3L, map["momentum"]);
            Assert.False(map.ContainsKey("missing"));
        }
    }
}
