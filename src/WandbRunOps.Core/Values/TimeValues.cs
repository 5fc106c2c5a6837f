using System;
using System.Globalization;

namespace WandbRunOps.Values
{
    /// <summary>Conversions of the time encodings W&amp;B uses into UTC <see cref="DateTime"/>s.</summary>
    public static class TimeValues
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly double MaxSeconds = (DateTime.MaxValue - Epoch).TotalSeconds;
        private const long EpochTicks = 621355968000000000;

        /// <summary>A protobuf Timestamp (every console record has one): whole ticks, the same as adding the seconds then the ticks.</summary>
        public static DateTime? FromUnixSeconds(long seconds, int nanos = 0)
        {
            if (seconds <= 0 || seconds > MaxSeconds)
            {
                return null;
            }

            // The whole seconds first, then the ticks, each checked as AddSeconds and AddTicks checked them (seconds *
            // TicksPerSecond cannot overflow in range), without AddSeconds' arithmetic in doubles.
            return new DateTime(EpochTicks + (seconds * TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddTicks(nanos / 100);
        }

        /// <summary>Epoch seconds as a float (history <c>_timestamp</c>).</summary>
        public static DateTime? FromUnixSeconds(double seconds)
        {
            if (double.IsNaN(seconds) || seconds <= 0 || seconds > MaxSeconds)
            {
                return null;
            }

            return Epoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }

        /// <summary>
        /// An ISO 8601 time. W&amp;B writes UTC without a zone designator (<c>2023-11-05T17:46:35</c>), so a time without
        /// one is UTC; one with <c>Z</c> or an offset is converted.
        /// </summary>
        public static DateTime? ParseIso(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (DateTime.TryParse(
                    text,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal,
                    out DateTime parsed))
            {
                return DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
            }

            return null;
        }
    }
}
