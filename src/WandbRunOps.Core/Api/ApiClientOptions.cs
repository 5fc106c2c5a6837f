using System;
using WandbRunOps.Errors;

namespace WandbRunOps.Api
{
    /// <summary>Transport settings of one client: per-request timeout, proxy, retries.</summary>
    public sealed class ApiClientOptions
    {
        /// <summary>The largest answer the client reads: 256 MiB. No real W&amp;B page comes near it (a page of runs is
        /// kilobytes to a few megabytes), and a larger one (an endless or absurd body) is refused without reading it all.</summary>
        public const long DefaultMaxResponseBytes = 256L * 1024 * 1024;

        /// <summary>How long one attempt may take, from sending the request to the last byte of the answer.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The largest answer body (after decompression) an attempt reads before failing with WandbProtocolError.</summary>
        public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

        /// <summary>An HTTP proxy, or null for the system's default.</summary>
        public Uri? Proxy { get; set; }

        /// <summary>
        /// Refuses a proxy that is not an absolute http(s) address (ftp://x, 'not a url', ''), which HttpClient would
        /// otherwise reject only at the first request with an uncatalogued error, or silently ignore.
        /// </summary>
        public static void CheckProxy(Uri? proxy)
        {
            if (proxy is not null && !(proxy.IsAbsoluteUri && (proxy.Scheme == Uri.UriSchemeHttp || proxy.Scheme == Uri.UriSchemeHttps) && proxy.Host.Length > 0))
            {
                throw new WandbException(
                    WandbErrorKind.InvalidArgument, "-Proxy '" + proxy.OriginalString + "' is not an http(s) proxy address, such as http://proxy.mycorp.com:3128.", proxy.OriginalString);
            }
        }

        public RetryPolicy Retry { get; set; } = RetryPolicy.Default;

        /// <summary>Sent as User-Agent (W&amp;B gates some behaviour on its public client's agent).</summary>
        public string UserAgent { get; set; } = "W&B Public Client WandbRunOps/" + typeof(ApiClientOptions).Assembly.GetName().Version;
    }
}
