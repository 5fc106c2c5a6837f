using System;
using System.Buffers.Text;
using System.Text;
using csFastFloat;

namespace WandbRunOps.Json
{
    /// <summary>
    /// The fast path of <see cref="ExtendedJson.Parse(byte[], int, int)"/>: a JSON text that is one number, literal or
    /// escape-free string, read from its UTF-8 bytes without making a string of the whole text first. It accepts exactly
    /// what the text parser accepts and gives the same value (integers that fit a long are longs, other numbers
    /// doubles); whatever it is not sure of it declines, and the text parser decides.
    /// </summary>
    internal static class Utf8Scalars
    {
        private static readonly byte[] True = Encoding.ASCII.GetBytes("true");
        private static readonly byte[] False = Encoding.ASCII.GetBytes("false");
        private static readonly byte[] Null = Encoding.ASCII.GetBytes("null");
        private static readonly byte[] NaN = Encoding.ASCII.GetBytes("NaN");
        private static readonly byte[] Infinity = Encoding.ASCII.GetBytes("Infinity");
        private static readonly byte[] NegativeInfinity = Encoding.ASCII.GetBytes("-Infinity");

        /// <summary>
        /// <see cref="TryParse"/> for a text that is a bare number — first byte a digit, or '-' and a digit; last byte a
        /// digit — which is how history values arrive: no whitespace to trim and no literal to tell apart, so it goes
        /// straight to the number rule, which gives the value <see cref="TryParse"/> would. False (and nothing parsed)
        /// for any other text, and for a number the rule declines: the caller then takes the general path.
        /// </summary>
        public static unsafe bool TryBareNumber(byte[] utf8, int offset, int count, out object? value)
        {
            value = null;
            if (count == 0 || !IsDigit(utf8[offset + count - 1]))
            {
                return false;
            }

            fixed (byte* text = &utf8[offset])
            {
                byte first = *text;
                return (IsDigit(first) || (first == (byte)'-' && count > 1 && IsDigit(text[1])))
                    && TryNumber(text, count, out value);
            }
        }

        public static bool TryParse(byte[] utf8, int offset, int count, out object? value)
        {
            value = null;
            int end = offset + count;
            while (offset < end && IsWhitespace(utf8[offset]))
            {
                offset++;
            }

            while (end > offset && IsWhitespace(utf8[end - 1]))
            {
                end--;
            }

            if (offset == end)
            {
                return false;
            }

            var text = new ReadOnlySpan<byte>(utf8, offset, end - offset);
            switch (text[0])
            {
                case (byte)'"':
                    return TryString(utf8, offset, end, out value);
                case (byte)'t':
                    return Literal(text, True, true, out value);
                case (byte)'f':
                    return Literal(text, False, false, out value);
                case (byte)'n':
                    return Literal(text, Null, null, out value);
                case (byte)'N':
                    return Literal(text, NaN, double.NaN, out value);
                case (byte)'I':
                    return Literal(text, Infinity, double.PositiveInfinity, out value);
                case (byte)'-' when text.Length > 1 && text[1] == (byte)'I':
                    return Literal(text, NegativeInfinity, double.NegativeInfinity, out value);
                default:
                    return TryNumber(text, out value);
            }
        }

        /// <summary>
        /// The text parser's number rule: an optional '-', then digits and '.', 'e', 'E', '+', '-', at least one digit.
        /// The common shapes are read here: <c>-?digits</c> of up to 18 significant digits as a long, directly; a
        /// decimal <c>-?digits(.digits|e|E)…</c> by csFastFloat (Lemire's fast_float, correctly rounded: bit for bit
        /// what the framework's parser gives, and faster — docs/performance.md, scenario 7) when it reads the whole text
        /// to a finite double. Anything else, and a decimal beyond the double range, goes to the framework's UTF-8
        /// parser, and what that declines to the text parser.
        /// </summary>
        private static unsafe bool TryNumber(ReadOnlySpan<byte> text, out object? value)
        {
            fixed (byte* first = text)
            {
                return TryNumber(first, text.Length, out value);
            }
        }

        /// <summary>
        /// <see cref="TryNumber(ReadOnlySpan{byte}, out object?)"/> over <paramref name="length"/> (at least 1) bytes:
        /// pointers, because this runs once per history value and span indexing and the span entry into csFastFloat
        /// cost measurably more than the scan itself (docs/performance.md, "Per-value cost, round four").
        /// </summary>
        private static unsafe bool TryNumber(byte* text, int length, out object? value)
        {
            value = null;
            byte* end = text + length;
            bool negative = *text == (byte)'-';
            byte* start = negative ? text + 1 : text;
            byte* p = start;
            ulong mantissa = 0;
            int digits = 0;
            for (; p < end; p++)
            {
                uint digit = (uint)(*p - (byte)'0');
                if (digit > 9)
                {
                    break;
                }

                // Leading zeros are not significant digits; past 19 the mantissa stops (the text then has more than 18).
                if (digits < 19)
                {
                    mantissa = (mantissa * 10) + digit;
                }

                if (mantissa != 0)
                {
                    digits++;
                }
            }

            if (p == start)
            {
                return negative && TryNumberSlowly(new ReadOnlySpan<byte>(text, length), out value);
            }

            if (p == end)
            {
                if (digits <= 18)
                {
                    value = negative ? -(long)mantissa : (long)mantissa;
                    return true;
                }

                return TryNumberSlowly(new ReadOnlySpan<byte>(text, length), out value);
            }

            // fast_float also reads "1." and "1.e5", which the common shape leaves to the framework as before.
            bool fraction = *p == (byte)'.' && p + 1 < end && IsDigit(p[1]);
            bool exponent = *p == (byte)'e' || *p == (byte)'E';
            if ((fraction || exponent)
                && FastDoubleParser.TryParseDouble(text, end, out int used, out double converted)
                && used == length
                && !double.IsInfinity(converted))
            {
                value = converted;
                return true;
            }

            return TryNumberSlowly(new ReadOnlySpan<byte>(text, length), out value);
        }

        private static bool TryNumberSlowly(ReadOnlySpan<byte> text, out object? value)
        {
            value = null;
            int i = text[0] == (byte)'-' ? 1 : 0;
            bool integral = true;
            bool anyDigit = false;
            for (int j = i; j < text.Length; j++)
            {
                byte c = text[j];
                if (IsDigit(c))
                {
                    anyDigit = true;
                }
                else if (c == (byte)'.' || c == (byte)'e' || c == (byte)'E' || c == (byte)'+' || c == (byte)'-')
                {
                    integral = false;
                }
                else
                {
                    return false;
                }
            }

            if (!anyDigit)
            {
                return false;
            }

            if (integral && Utf8Parser.TryParse(text, out long whole, out int used) && used == text.Length)
            {
                value = whole;
                return true;
            }

            if (!integral && Utf8Parser.TryParse(text, out double real, out used) && used == text.Length)
            {
                value = real;
                return true;
            }

            // Integers beyond a long, and anything unusual: the text parser's own rule decides.
            return false;
        }

        private static bool IsDigit(byte c) => c >= (byte)'0' && c <= (byte)'9';

        /// <summary>A quoted string without escapes, decoded as it stands.</summary>
        private static bool TryString(byte[] utf8, int offset, int end, out object? value)
        {
            value = null;
            if (end - offset < 2 || utf8[end - 1] != (byte)'"')
            {
                return false;
            }

            for (int i = offset + 1; i < end - 1; i++)
            {
                byte c = utf8[i];
                if (c == (byte)'"' || c == (byte)'\\')
                {
                    return false;
                }
            }

            value = Encoding.UTF8.GetString(utf8, offset + 1, end - offset - 2);
            return true;
        }

        private static bool Literal(ReadOnlySpan<byte> text, byte[] literal, object? result, out object? value)
        {
            value = result;
            return text.SequenceEqual(literal);
        }

        // Exactly the text parser's whitespace.
        private static bool IsWhitespace(byte c) => c == (byte)' ' || c == (byte)'\t' || c == (byte)'\n' || c == (byte)'\r';
    }
}
