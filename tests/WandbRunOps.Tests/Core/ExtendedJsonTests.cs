using System;
using WandbRunOps.Json;
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
            var list = Assert.IsType<ValueList<object?>>(map["d"]);
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
            Assert.IsType<ValueList<object?>>(ExtendedJson.Parse(new string('[', 200) + new string(']', 200)));
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
            Assert.Equal("@{lr=0.01; opt=@{name=adam}; layers=1, 2}", map.ToString());
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

        [Fact]
        public void WritingIsTheInverseOfReadingIncludingNonFiniteNumbers()
        {
            const string text = "{\"loss\":NaN,\"best\":Infinity,\"worst\":-Infinity,\"lr\":0.001,\"steps\":9007199254740993,\"tags\":[\"a\",null,true],\"nested\":{\"k\":-2.5E-10}}";
            object? parsed = ExtendedJson.Parse(text);
            Assert.Equal(text, ExtendedJson.Serialize(parsed));
        }

        [Fact]
        public void StringsAreEscapedForJsonButNonAsciiTextStaysReadable()
        {
            Assert.Equal("\"quote \\\" back \\\\ tab \\t nul \\u0000 é 学习 <b>&\"", ExtendedJson.Quote("quote \" back \\ tab \t nul \0 é 学习 <b>&"));
            Assert.Equal("a\u0001\"b", ExtendedJson.Parse(ExtendedJson.Quote("a\u0001\"b")));
        }

        [Fact]
        public void ClrNumbersDatesAndOtherValuesBecomeJson()
        {
            var map = new WandbMap
            {
                { "int", 3 }, { "byte", (byte)7 }, { "ulong", ulong.MaxValue }, { "decimal", 1.25m },
                { "big", System.Numerics.BigInteger.Parse("123456789012345678901234567890") },
                { "when", new DateTime(2026, 11, 20, 8, 30, 0, DateTimeKind.Utc) }, { "span", TimeSpan.FromSeconds(90) },
            };
            Assert.Equal("{\"int\":3,\"byte\":7,\"ulong\":18446744073709551615,\"decimal\":1.25,\"big\":123456789012345678901234567890," +
                "\"when\":\"2026-11-20T08:30:00Z\",\"span\":\"00:01:30\"}", ExtendedJson.Serialize(map));
        }

        [Fact]
        public void ALoneSurrogateBecomesTheReplacementCharacterNotACrash()
        {
            // PowerShell strings can hold half a surrogate pair; it has no UTF-8 form, so it is written as U+FFFD,
            // the same as any UTF-8 encoder would do.
            string json = ExtendedJson.Serialize(new WandbMap { { "name", "bad \ud800 text" } });
            Assert.Equal("{\"name\":\"bad \\uFFFD text\"}", json);
            Assert.Equal("bad \ufffd text", ((WandbMap)ExtendedJson.Parse(json)!)["name"]);
        }

        [Fact]
        public void WritingTooDeepANestingIsRefused()
        {
            object? value = 1L;
            for (int i = 0; i < ExtendedJson.MaxDepth + 2; i++)
            {
                value = new object?[] { value };
            }

            Assert.Throws<FormatException>(() => ExtendedJson.Serialize(value));
        }

        /// <summary>Both ways in: the UTF-8 fast path must give what the text parser gives, value for value, error for error.</summary>
        private static void AssertBothPathsAgree(string text)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            bool textOk = ExtendedJson.TryParse(text, out object? fromText, out string? textError);
            bool bytesOk = ExtendedJson.TryParse(bytes, 0, bytes.Length, out object? fromBytes, out string? bytesError);
            Assert.True(textOk == bytesOk, text + ": text " + (textError ?? "ok") + ", bytes " + (bytesError ?? "ok"));
            if (textOk)
            {
                Assert.Equal(fromText?.GetType(), fromBytes?.GetType());
                Assert.Equal(ExtendedJson.Serialize(fromText), ExtendedJson.Serialize(fromBytes));
                if (fromText is double a)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(a), BitConverter.DoubleToInt64Bits((double)fromBytes!));
                }
            }
            else
            {
                Assert.Equal(textError, bytesError);
            }
        }

        [Theory]
        [InlineData("0")]
        [InlineData("-0")]
        [InlineData("007")]
        [InlineData("42")]
        [InlineData(" 42 ")]
        [InlineData("\t-17\r\n")]
        [InlineData("9223372036854775807")]
        [InlineData("9223372036854775808")]
        [InlineData("-9223372036854775809")]
        [InlineData("99999999999999999999999")]
        [InlineData("0.1")]
        [InlineData("-2.5E-10")]
        [InlineData("1e5")]
        [InlineData("1E+308")]
        [InlineData("1e309")]
        [InlineData("4.9e-324")]
        [InlineData("1.")]
        [InlineData("-.5")]
        [InlineData(".5")]
        [InlineData("+5")]
        [InlineData("1e")]
        [InlineData("1-2")]
        [InlineData("--1")]
        [InlineData("-")]
        [InlineData("1.5.2")]
        [InlineData("0x10")]
        [InlineData("12abc")]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("-Infinity")]
        [InlineData("-Inf")]
        [InlineData("nan")]
        [InlineData("true")]
        [InlineData("false")]
        [InlineData("null")]
        [InlineData("nul")]
        [InlineData("truex")]
        [InlineData("\"plain\"")]
        [InlineData("\"café 学习\"")]
        [InlineData("\"with \\\"escape\\\" inside\"")]
        [InlineData("\"a\" \"b\"")]
        [InlineData("\"unterminated")]
        [InlineData("\"\"")]
        [InlineData("\"")]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("\u00a042")]
        [InlineData("[1,2]")]
        [InlineData("{\"a\":1}")]
        public void TheUtf8FastPathAgreesWithTheTextParser(string text) => AssertBothPathsAgree(text);

        [Fact]
        public void TheUtf8FastPathAgreesOnRandomDoublesBitForBit()
        {
            var random = new Random(20261123);
            var buffer = new byte[8];
            for (int i = 0; i < 20_000; i++)
            {
                random.NextBytes(buffer);
                double value = BitConverter.ToDouble(buffer, 0);
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    continue;
                }

                string format = (i % 4) switch { 0 => "R", 1 => "E16", 2 => "G17", _ => "F6" };
                AssertBothPathsAgree(value.ToString(format, System.Globalization.CultureInfo.InvariantCulture));
                AssertBothPathsAgree((random.NextDouble() * Math.Pow(10, random.Next(-12, 12))).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        [Theory]
        [InlineData("9007199254740993.0")]
        [InlineData("9007199254740995.0")]
        [InlineData("1e23")]
        [InlineData("8.98846567431158e307")]
        [InlineData("1.7976931348623157e308")]
        [InlineData("1.7976931348623159e308")]
        [InlineData("2.2250738585072014E-308")]
        [InlineData("2.2250738585072011E-308")]
        [InlineData("4.9406564584124654E-324")]
        [InlineData("0.30000000000000004")]
        [InlineData("-0.0")]
        [InlineData("0e10")]
        [InlineData("123456789012345678.9")]
        [InlineData("1234567890123456789.5")]
        [InlineData("0.000000000000000000000000000001")]
        [InlineData("7.2057594037927933e16")]
        public void HardDecimalsConvertExactlyAsTheFrameworkDoes(string text) => AssertBothPathsAgree(text);

        [Fact]
        public void RandomDecimalTextsConvertExactlyAsTheFrameworkDoes()
        {
            // Up to 20 significant digits, exponents across the whole double range (subnormals and overflow included).
            var random = new Random(4242);
            var text = new System.Text.StringBuilder();
            for (int i = 0; i < 50_000; i++)
            {
                text.Clear();
                if (random.Next(2) == 0)
                {
                    text.Append('-');
                }

                int digits = random.Next(1, 21);
                for (int d = 0; d < digits; d++)
                {
                    text.Append((char)('0' + random.Next(10)));
                }

                text.Insert(text.Length - random.Next(0, digits), '.');
                if (text[text.Length - 1] == '.')
                {
                    text.Append('0');
                }

                if (random.Next(3) > 0)
                {
                    text.Append('e').Append(random.Next(-345, 312));
                }

                AssertBothPathsAgree(text.ToString());
            }
        }
    }
}
