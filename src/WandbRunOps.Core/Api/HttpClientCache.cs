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
        private static readonly ConcurrentDictionary<string, HttpClient> Clients = new ConcurrentDictionary<string, HttpClient>(StringComparer.OrdinalIgnoreCase);

        public static HttpClient For(Uri baseUrl, Uri? proxy) =>
            Clients.GetOrAdd(baseUrl.GetLeftPart(UriPartial.Authority) + "|" + proxy, _ => Create(proxy));

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
