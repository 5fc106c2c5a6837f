using System;
using System.Numerics;

namespace WandbRunOps.Values
{
    /// <summary>
    /// The correctly rounded double nearest to w × 10^q, for the history decoder's hot path: W&amp;B logs a value per key
    /// per row, almost all of them 16–17 digit decimals, and the framework parser was the largest cost of decoding.
    /// This is the Eisel–Lemire method (Lemire, "Number Parsing at a Gigabyte per Second", 2021), written here from
    /// the paper: a 128-bit product of w with a table of powers of five decides the rounding in all but rare cases,
    /// which it reports by returning false — the caller then uses the framework's parser. Subnormal and overflowing
    /// results are left to the framework too.
    /// </summary>
    internal static class DecimalToDouble
    {
        private const int SmallestPower = -342;
        private const int LargestPower = 308;

        // For each q, 5^q scaled into [2^127, 2^128): truncated for q ≥ 0, and 2^b / 5^-q + 1 truncated for q < 0,
        // as high and low 64-bit halves. Computed once, exactly, with BigInteger (a few milliseconds, on first use).
        private static readonly ulong[] High = new ulong[LargestPower - SmallestPower + 1];
        private static readonly ulong[] Low = new ulong[LargestPower - SmallestPower + 1];

        static DecimalToDouble()
        {
            for (int q = SmallestPower; q <= LargestPower; q++)
            {
                BigInteger c;
                if (q >= 0)
                {
                    // 5^q with its top bit moved to bit 127 (shifted up, or truncated down).
                    c = BigInteger.Pow(5, q);
                    int shift = 128 - BitLength(c);
                    c = shift >= 0 ? c << shift : c >> -shift;
                }
                else
                {
                    // z = the smallest z with 2^z ≥ 5^-q (5^-q is never a power of two), then 2^b / 5^-q + 1, truncated.
                    BigInteger power5 = BigInteger.Pow(5, -q);
                    int z = BitLength(power5);
                    int b = q >= -27 ? z + 127 : (2 * z) + 128;
                    c = ((BigInteger.One << b) / power5) + 1;
                    int excess = BitLength(c) - 128;
                    if (excess > 0)
                    {
                        c >>= excess;
                    }
                }

                High[q - SmallestPower] = (ulong)(c >> 64);
                Low[q - SmallestPower] = (ulong)(c & ulong.MaxValue);
            }
        }

        /// <summary>The number of bits of a positive integer (netstandard2.0 has no BigInteger.GetBitLength).</summary>
        private static int BitLength(BigInteger value)
        {
            byte[] bytes = value.ToByteArray();
            int top = bytes.Length - 1;
            while (top > 0 && bytes[top] == 0)
            {
                top--;
            }

            int bits = top * 8;
            for (byte b = bytes[top]; b != 0; b >>= 1)
            {
                bits++;
            }

            return bits;
        }

        /// <summary>The double nearest to <paramref name="w"/> × 10^<paramref name="q"/>; false when this method cannot be sure.</summary>
        public static bool TryConvert(ulong w, int q, bool negative, out double value)
        {
            value = 0;
            if (w == 0)
            {
                value = negative ? -0.0 : 0.0;
                return true;
            }

            if (q < SmallestPower || q > LargestPower)
            {
                return false;
            }

            int lz = LeadingZeros(w);
            w <<= lz;
            int index = q - SmallestPower;
            Multiply(w, High[index], out ulong high, out ulong low);

            // Only when the bits below the kept 55 are all ones can the truncated table entry change the result.
            const ulong precisionMask = ulong.MaxValue >> 55;
            if ((high & precisionMask) == precisionMask)
            {
                Multiply(w, Low[index], out ulong secondHigh, out _);
                low += secondHigh;
                if (secondHigh > low)
                {
                    high++;
                }
            }

            // Outside the exponents where the table is exact, an all-ones low half leaves the rounding undecided.
            if (low == ulong.MaxValue && (q < -27 || q > 55))
            {
                return false;
            }

            int upperBit = (int)(high >> 63);
            int shift = upperBit + 64 - 52 - 3;
            ulong mantissa = high >> shift;
            int power2 = Power(q) + upperBit - lz + 1023;
            if (power2 <= 0)
            {
                return false;
            }

            // Halfway between two doubles with an even choice below: round down (ties to even).
            if (low <= 1 && q >= -4 && q <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high)
            {
                mantissa &= ~1UL;
            }

            mantissa += mantissa & 1;
            mantissa >>= 1;
            if (mantissa >= (2UL << 52))
            {
                mantissa = 1UL << 52;
                power2++;
            }

            mantissa &= ~(1UL << 52);
            if (power2 >= 0x7FF)
            {
                return false;
            }

            ulong bits = mantissa | ((ulong)power2 << 52) | (negative ? 1UL << 63 : 0);
            value = BitConverter.Int64BitsToDouble((long)bits);
            return true;
        }

        /// <summary>floor(log2(10^q)) + 63, as the method defines it.</summary>
        private static int Power(int q) => (((152170 + 65536) * q) >> 16) + 63;

        private static int LeadingZeros(ulong value)
        {
            int n = 0;
            if ((value & 0xFFFFFFFF00000000UL) == 0) { n += 32; value <<= 32; }
            if ((value & 0xFFFF000000000000UL) == 0) { n += 16; value <<= 16; }
            if ((value & 0xFF00000000000000UL) == 0) { n += 8; value <<= 8; }
            if ((value & 0xF000000000000000UL) == 0) { n += 4; value <<= 4; }
            if ((value & 0xC000000000000000UL) == 0) { n += 2; value <<= 2; }
            if ((value & 0x8000000000000000UL) == 0) { n += 1; }
            return n;
        }

        /// <summary>The full 128-bit product of two 64-bit numbers (netstandard2.0 has no Math.BigMul for ulong).</summary>
        private static void Multiply(ulong a, ulong b, out ulong high, out ulong low)
        {
            ulong aLow = (uint)a, aHigh = a >> 32, bLow = (uint)b, bHigh = b >> 32;
            ulong lowLow = aLow * bLow;
            ulong highLow = aHigh * bLow;
            ulong lowHigh = aLow * bHigh;
            ulong highHigh = aHigh * bHigh;
            ulong middle = (lowLow >> 32) + (uint)highLow + (uint)lowHigh;
            low = (middle << 32) | (uint)lowLow;
            high = highHigh + (highLow >> 32) + (lowHigh >> 32) + (middle >> 32);
        }
    }
}
