using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using WandbRunOps.Json;
using WandbRunOps.Local.Log;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>
    /// <see cref="LogItems.ParseValue"/> reads a bare number (<see cref="Utf8Scalars.TryBareNumber"/>) without the
    /// general entry's BOM, whitespace and literal checks. On random value_json texts of every shape — numbers at and
    /// beyond the long and double limits, exponents, leading zeros, signs, whitespace, BOM, literals, strings, arrays,
    /// objects, invalid text — it must give what the general path gives (<see cref="ExtendedJson.TryParse(byte[], int, int, out object?, out string?)"/>,
    /// else the raw text) and what the text parser alone gives (<see cref="ExtendedJson.TryParse(string, out object?, out string?)"/>),
    /// bit for bit, wherever the text sits in its buffer.
    /// </summary>
    public class BareNumberAgreementTests
    {
        private static readonly string[] Fixed =
        {
            "0", "-0", "00", "007", "-007", "1", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
            "-9223372036854775809", "999999999999999999", "1000000000000000000", "-999999999999999999", "99999999999999999999",
            "123456789012345678901234567890", "0.1", "-0.1", "1.5", "1.", "-1.", ".5", "-.5", "1.e5", "1e5", "1E5", "1e+5", "1e-5",
            "1E-05", "1e", "1e+", "-", "--1", "+1", "1-", "1.2.3", "1e5e5", "0x10", "1_000", "1x", "x1", "1 2", " 1", "1 ", "\t-2\n",
            "\r\n3.25\r\n", "\uFEFF1", "\uFEFF 1.5", "1e308", "1e309", "-1e309", "2e-324", "4.9e-324", "1e-400", "1.7976931348623157e308",
            "1.7976931348623159e308", "0.10387638133681765", "-0.08315449064364557", "1767225600.5", "NaN", "Infinity", "-Infinity",
            "-Inf", "nan", "true", "false", "null", "tru", "\"1\"", "\"\"", "\"a\\\"b\"", "[1, 2]", "[]", "{\"a\": 1}", "{}", "", " ",
            "1\u00e9", "\u00e91", "12\u0661", "0.000000000000000000000000000001", "1234567890.12345678901234567890", "-0.0", "0e0",
            "1e0001", "9007199254740993", "9007199254740993.0", "18446744073709551615", "18446744073709551616",
        };

        [Fact]
        public void ListedTextsParseAsTheGeneralPathDoes()
        {
            foreach (string text in Fixed)
            {
                AssertAgrees(text);
            }
        }

        [Fact]
        public void RandomTextsParseAsTheGeneralPathDoes()
        {
            var random = new Random(20261202);
            int bare = 0;
            for (int i = 0; i < 200_000; i++)
            {
                string text = RandomText(random);
                if (AssertAgrees(text))
                {
                    bare++;
                }
            }

            // Most of the random texts are bare numbers: the fast path is what is being compared.
            Assert.True(bare > 100_000, bare + " of 200,000 texts took the bare-number path");
        }

        /// <summary>Compares the two paths on <paramref name="text"/> placed between digits in a larger buffer; true when the bare path decided it.</summary>
        private static bool AssertAgrees(string text)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            var buffer = new byte[utf8.Length + 8];
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (byte)('1' + (i % 9));
            }

            Buffer.BlockCopy(utf8, 0, buffer, 4, utf8.Length);
            var json = new ArraySegment<byte>(buffer, 4, utf8.Length);
            object? expected = ExtendedJson.TryParse(buffer, 4, utf8.Length, out object? parsed, out _) ? parsed : text;
            object? actual = LogItems.ParseValue(json);
            Assert.True(Same(expected, actual), "'" + text + "': expected " + Describe(expected) + ", got " + Describe(actual));

            // And the text parser alone (no byte path at all), which the byte paths must agree with.
            string unmarked = text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text;
            object? byText = ExtendedJson.TryParse(unmarked, out object? textValue, out _) ? textValue : text;
            Assert.True(Same(byText, actual), "'" + text + "': the text parser gives " + Describe(byText) + ", the byte path " + Describe(actual));

            bool decided = Utf8Scalars.TryBareNumber(buffer, 4, utf8.Length, out object? bare);
            if (decided)
            {
                Assert.True(Same(expected, bare), "'" + text + "' on the bare path: expected " + Describe(expected) + ", got " + Describe(bare));
            }

            return decided;
        }

        private static bool Same(object? expected, object? actual) => (expected, actual) switch
        {
            (null, null) => true,
            (double e, double a) => BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a),
            (long e, long a) => e == a,
            (string e, string a) => e == a,
            (null, _) or (_, null) => false,
            _ => expected.GetType() == actual.GetType() && ExtendedJson.Serialize(expected) == ExtendedJson.Serialize(actual),
        };

        private static string Describe(object? value) => value switch
        {
            null => "null",
            double d => "double " + d.ToString("R", CultureInfo.InvariantCulture),
            _ => value.GetType().Name + " " + ExtendedJson.Serialize(value),
        };

        private static string RandomText(Random random)
        {
            var text = new StringBuilder();
            switch (random.Next(10))
            {
                case 0:
                    // An integer of 1 to 21 digits, around the long's limits too.
                    if (random.Next(2) == 0)
                    {
                        text.Append('-');
                    }

                    text.Append(random.Next(4) == 0 ? (random.Next(2) == 0 ? long.MaxValue : long.MinValue).ToString(CultureInfo.InvariantCulture).TrimStart('-') : Digits(random, random.Next(1, 22)));
                    if (random.Next(4) == 0)
                    {
                        // One past, one short, or a digit more.
                        text.Length--;
                        text.Append((char)('0' + random.Next(10)));
                    }

                    break;
                case 1:
                case 2:
                case 3:
                    // What the SDK writes: repr of a double (shortest round trip), sometimes with an exponent.
                    double d = BitConverter.Int64BitsToDouble((long)(random.NextDouble() * long.MaxValue)) * (random.Next(2) == 0 ? 1 : -1);
                    if (double.IsNaN(d) || double.IsInfinity(d))
                    {
                        d = random.NextDouble();
                    }

                    text.Append(d.ToString("R", CultureInfo.InvariantCulture).Replace('E', random.Next(2) == 0 ? 'e' : 'E'));
                    break;
                case 4:
                case 5:
                    // A plain decimal: digits, a point, digits, maybe an exponent.
                    if (random.Next(2) == 0)
                    {
                        text.Append('-');
                    }

                    text.Append(Digits(random, random.Next(0, 20)));
                    if (random.Next(5) > 0)
                    {
                        text.Append('.').Append(Digits(random, random.Next(0, 25)));
                    }

                    if (random.Next(3) == 0)
                    {
                        text.Append(random.Next(2) == 0 ? 'e' : 'E');
                        int sign = random.Next(3);
                        text.Append(sign == 0 ? "+" : sign == 1 ? "-" : string.Empty);
                        text.Append(Digits(random, random.Next(0, 4)));
                    }

                    break;
                case 6:
                    // Characters a number may hold, in any order.
                    const string numberish = "0123456789.eE+-";
                    for (int n = random.Next(1, 8); n > 0; n--)
                    {
                        text.Append(numberish[random.Next(numberish.Length)]);
                    }

                    break;
                case 7:
                    text.Append(new[] { "true", "false", "null", "NaN", "Infinity", "-Infinity", "\"s\"", "[1,2.5]", "{\"a\":1}", "\"\\u00e9\"", "x", "1x", "-x", "\u00e9" }[random.Next(14)]);
                    break;
                default:
                    text.Append((random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString(random.Next(2) == 0 ? "R" : "E" + random.Next(1, 18), CultureInfo.InvariantCulture));
                    break;
            }

            // Whitespace and a BOM, now and then.
            string[] around = { " ", "\t", "\n", "\r", "\u00a0", string.Empty };
            if (random.Next(8) == 0)
            {
                text.Insert(0, around[random.Next(around.Length)]);
            }

            if (random.Next(8) == 0)
            {
                text.Append(around[random.Next(around.Length)]);
            }

            if (random.Next(20) == 0)
            {
                text.Insert(0, '\uFEFF');
            }

            return text.ToString();
        }

        private static string Digits(Random random, int count)
        {
            var digits = new char[count];
            for (int i = 0; i < count; i++)
            {
                digits[i] = (char)('0' + random.Next(10));
            }

            return new string(digits);
        }
    }
}
