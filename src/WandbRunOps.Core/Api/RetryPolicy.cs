using System;

namespace WandbRunOps.Api
{
    /// <summary>
    /// How failed requests are retried: 429, 5xx (but 501) and connection failures, with exponential backoff and
    /// jitter (<c>min(max, base × 2^attempt × (1 + 0.25·random))</c>, as wandb-core does), honouring Retry-After, and
    /// giving up after <see cref="MaxAttempts"/> attempts or once the waits would pass <see cref="MaxTotalWait"/>.
    /// </summary>
    public sealed class RetryPolicy
    {
        public static RetryPolicy Default => new RetryPolicy();

        public int MaxAttempts { get; set; } = 8;

        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The longest the waits between attempts may add up to before the request fails.</summary>
        public TimeSpan MaxTotalWait { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>The random part of the backoff, in [0, 1); replaceable so tests are deterministic.</summary>
        public Func<double> Random { get; set; } = SharedRandom;

        /// <summary>The wait before attempt number <paramref name="attempt"/> + 1 (attempt counts from 1).</summary>
        public TimeSpan Backoff(int attempt)
        {
            double factor = Math.Pow(2, Math.Min(attempt - 1, 30)) * (1 + (0.25 * Random()));
            double seconds = Math.Min(MaxDelay.TotalSeconds, BaseDelay.TotalSeconds * factor);
            return TimeSpan.FromSeconds(seconds);
        }

        /// <summary>True for the statuses worth retrying: 429 and server errors other than 501; never 400/401/403/404.</summary>
        public static bool IsRetryable(int status) =>
            status == 429 || status == 408 || (status >= 500 && status != 501);

        private static readonly object Gate = new object();
        private static readonly System.Random Generator = new System.Random();

        private static double SharedRandom()
        {
            lock (Gate)
            {
                return Generator.NextDouble();
            }
        }
    }
}
