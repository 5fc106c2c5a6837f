using System;

namespace WandbRunOps.Api
{
    /// <summary>Transport settings of one client: per-request timeout, proxy, retries.</summary>
    public sealed class ApiClientOptions
    {
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>An HTTP proxy, or null for the system's default.</summary>
        public Uri? Proxy { get; set; }

        public RetryPolicy Retry { get; set; } = RetryPolicy.Default;

        /// <summary>Sent as User-Agent (W&amp;B gates some behaviour on its public client's agent).</summary>
        public string UserAgent { get; set; } = "W&B Public Client WandbRunOps/" + typeof(ApiClientOptions).Assembly.GetName().Version;
    }
}
