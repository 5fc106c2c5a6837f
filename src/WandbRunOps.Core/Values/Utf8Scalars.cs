using System;
using System.Buffers.Text;
using System.Text;

namespace WandbRunOps.Values
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
        /// The common shape — <c>-?digits[.digits][(e|E)[+-]digits]</c> — is read in one pass: an integer of up to 18
        /// digits directly, a decimal of up to 19 significant digits by <see cref="DecimalToDouble"/>; anything else, or
        /// a decimal that conversion is unsure of, by the framework's UTF-8 parser.
        /// </summary>
        private static bool TryNumber(ReadOnlySpan<byte> text, out object? value)
        {
            value = null;
            if (!(text[0] == (byte)'-' || IsDigit(text[0])))
            {
                return false;
            }

            bool negative = text[0] == (byte)'-';
            if (ScanCommonShape(text, out ulong mantissa, out int digits, out int exponent, out bool integral))
            {
                if (integral && digits <= 18)
                {
                    value = negative ? -(long)mantissa : (long)mantissa;
                    return true;
                }

                if (!integral && digits <= 19 && DecimalToDouble.TryConvert(mantissa, exponent, negative, out double converted))
                {
                    value = converted;
                    return true;
                }
            }

            return TryNumberSlowly(text, out value);
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

        /// <summary>
        /// True when the whole text is <c>-?digits[.digits][(e|E)[+-]digits]</c>: then its significant digits (as far as
        /// 19 fit), their count and the decimal exponent that scales them, and whether it was a plain integer.
        /// </summary>
        private static bool ScanCommonShape(ReadOnlySpan<byte> text, out ulong mantissa, out int digits, out int exponent, out bool integral)
        {
            mantissa = 0;
            digits = 0;
            exponent = 0;
            integral = true;
            int i = text[0] == (byte)'-' ? 1 : 0;
            int start = i;
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                Accumulate(text[i], ref mantissa, ref digits);
            }

            if (i == start)
            {
                return false;
            }

            int scale = 0;
            if (i < text.Length && text[i] == (byte)'.')
            {
                integral = false;
                i++;
                int fractionStart = i;
                for (; i < text.Length && IsDigit(text[i]); i++)
                {
                    Accumulate(text[i], ref mantissa, ref digits);
                    scale--;
                }

                if (i == fractionStart)
                {
                    return false;
                }
            }

            if (i < text.Length && (text[i] == (byte)'e' || text[i] == (byte)'E'))
            {
                integral = false;
                i++;
                bool negativeExponent = i < text.Length && text[i] == (byte)'-';
                if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
                {
                    i++;
                }

                int exponentStart = i;
                for (; i < text.Length && IsDigit(text[i]) && exponent < 100_000; i++)
                {
                    exponent = (exponent * 10) + (text[i] - (byte)'0');
                }

                if (i == exponentStart)
                {
                    return false;
                }

                exponent = negativeExponent ? -exponent : exponent;
            }

            exponent += scale;
            return i == text.Length;
        }

        /// <summary>Adds a digit to the mantissa; leading zeros are not significant digits.</summary>
        private static void Accumulate(byte digit, ref ulong mantissa, ref int digits)
        {
            if (digits < 19)
            {
                mantissa = (mantissa * 10) + (ulong)(digit - (byte)'0');
            }

            if (mantissa != 0)
            {
                digits++;
            }
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
