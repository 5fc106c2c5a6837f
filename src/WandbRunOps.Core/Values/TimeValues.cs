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

        /// <summary>
        /// A protobuf Timestamp (every console record has one): whole ticks, the same as adding the seconds then the
        /// ticks; null when either leaves DateTime's range (a damaged record's time is unknown, never an exception).
        /// </summary>
        public static DateTime? FromUnixSeconds(long seconds, int nanos = 0)
        {
            if (seconds <= 0 || seconds > MaxSeconds)
            {
                return null;
            }

            // seconds * TicksPerSecond cannot overflow in range, and nanos / 100 moves it by at most 22 seconds.
            long ticks = EpochTicks + (seconds * TimeSpan.TicksPerSecond) + (nanos / 100);
            return ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks ? null : new DateTime(ticks, DateTimeKind.Utc);
        }

        /// <summary>Epoch seconds as a float (history <c>_timestamp</c>).</summary>
        public static DateTime? FromUnixSeconds(double seconds)
        {
            if (double.IsNaN(seconds) || seconds <= 0 || seconds > MaxSeconds)
            {
                return null;
            }

            // In doubles the last representable second can round past DateTime's end: that time is unknown too.
            double ticks = seconds * TimeSpan.TicksPerSecond;
            return ticks >= (DateTime.MaxValue - Epoch).Ticks ? null : Epoch.AddTicks((long)ticks);
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
