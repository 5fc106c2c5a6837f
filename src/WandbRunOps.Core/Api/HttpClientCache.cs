using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace WandbRunOps.Api
{
    /// <summary>
    /// One shared HttpClient per base URL and proxy, for the life of the process: sockets and TLS sessions are reused
    /// across commands and runspaces, and clients are never created per call. Timeouts are per request (a
    /// cancellation token), so the shared client itself never times out.
    /// </summary>
    internal static class HttpClientCache
    {
        // Lazy: GetOrAdd can run its factory twice when runspaces race for a new server; only one client is ever made.
        private static readonly ConcurrentDictionary<string, Lazy<HttpClient>> Clients = new ConcurrentDictionary<string, Lazy<HttpClient>>(StringComparer.OrdinalIgnoreCase);

        public static HttpClient For(Uri baseUrl, Uri? proxy) =>
            Clients.GetOrAdd(baseUrl.GetLeftPart(UriPartial.Authority) + "|" + proxy, _ => new Lazy<HttpClient>(() => Create(proxy), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

        private static HttpClient Create(Uri? proxy)
        {
            var handler = new HttpClientHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
            };
            if (proxy is not null)
            {
                handler.Proxy = new WebProxy(proxy);
                handler.UseProxy = true;
            }

            return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        }
    }
}
