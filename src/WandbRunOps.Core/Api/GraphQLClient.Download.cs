using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Errors;
using WandbRunOps.Files;

namespace WandbRunOps.Api
{
    public sealed partial class GraphQLClient
    {
        /// <summary>How many redirects one download follows.</summary>
        private const int MaxRedirects = 5;

        /// <summary>
        /// Downloads a run file's bytes from its direct URL into <paramref name="target"/> on the one HTTP path: the shared
        /// client of that host (proxy, pooled connections), retries with backoff for 429/5xx/connection failures and a
        /// body cut short (the target is rewound for each attempt), <see cref="ApiClientOptions.Timeout"/> as the longest
        /// wait for the next bytes (a large file may take longer than that in all), and never more than
        /// <paramref name="expectedSize"/> bytes read when the server said how large the file is.
        /// </summary>
        /// <remarks>
        /// The key goes only to the API's own host (same scheme, host and port as the base URL), as W&amp;B's clients
        /// limit it; direct URLs elsewhere (signed storage URLs) are fetched without it (see docs/protocol.md).
        /// 401/403 are <see cref="WandbErrorKind.PermissionDenied"/> and 404 is <see cref="WandbErrorKind.PathNotFound"/>,
        /// not retried; <paramref name="target"/> (the file shown in errors) is the failing item.
        /// </remarks>
        public async Task<FileCopyResult> DownloadAsync(Uri url, Stream target, long? expectedSize, Action<long>? progress, string what, object? targetName, CancellationToken cancellation)
        {
            RetryPolicy retry = Options.Retry;
            var clock = Stopwatch.StartNew();
            TimeSpan waited = TimeSpan.Zero;
            Uri start = url;
            int redirects = 0;
            for (int attempt = 1; ; attempt++)
            {
                HttpClient http = HttpClientCache.For(url, Options.Proxy);
                bool sendKey = SameOrigin(url, BaseUrl);
                string shown = Shown(url);
                Failure failure;
                target.Position = 0;
                target.SetLength(0);
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                idle.CancelAfter(Options.Timeout);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    if (sendKey)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Credential.BasicAuthorization);
                    }

                    request.Headers.UserAgent.ParseAdd(Options.UserAgent);
                    using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
                    int status = (int)response.StatusCode;
                    if (status >= 200 && status < 300)
                    {
                        long limit = expectedSize ?? Math.Min(Options.MaxResponseBytes, MaxBuffer);
                        using Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                        FileCopyResult copied = await Md5Stream.CopyAsync(
                            body,
                            target,
                            limit,
                            progress,
                            (stream, buffer, token) =>
                            {
                                idle.CancelAfter(Options.Timeout); // a time-out between bytes, not for the whole file
                                return ReadAsync(stream, buffer, response, idle.Token);
                            },
                            idle.Token).ConfigureAwait(false);
                        if (copied.Bytes > limit)
                        {
                            throw new WandbException(
                                WandbErrorKind.DigestMismatch,
                                what + ": " + shown + " sent more than the " + limit.ToString(CultureInfo.InvariantCulture) + " bytes the file has; the download was stopped there and nothing was kept.",
                                targetName);
                        }

                        return copied;
                    }

                    if (status >= 300 && status < 400 && response.Headers.Location is Uri location)
                    {
                        // A server may send a file on to its storage: followed here (the shared clients follow no
                        // redirect by themselves), each hop judged anew for the key, and never from https to http.
                        Uri next = location.IsAbsoluteUri ? location : new Uri(url, location);
                        if (++redirects > MaxRedirects || (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp) || (url.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps))
                        {
                            throw new WandbException(WandbErrorKind.ProtocolError, what + ": " + Shown(start) + " redirected to " + Shown(next) + (redirects > MaxRedirects ? " after " + MaxRedirects + " redirects" : string.Empty) + "; not followed.", targetName);
                        }

                        url = next;
                        attempt--;
                        continue;
                    }

                    string said = Credential.Redact(await ReadErrorTextAsync(response, idle.Token).ConfigureAwait(false));
                    if (status == 401 || status == 403)
                    {
                        throw new WandbException(WandbErrorKind.PermissionDenied, what + ": " + shown + " refused the download (HTTP " + status + (said.Length == 0 ? string.Empty : ": " + said) + "). A direct URL is signed and expires: list the file again (Get-RunFile) and retry.", targetName);
                    }

                    if (status == 404)
                    {
                        throw new WandbException(WandbErrorKind.PathNotFound, what + ": " + shown + " has no such file (HTTP 404" + (said.Length == 0 ? string.Empty : ": " + said) + ").", targetName);
                    }

                    if (!RetryPolicy.IsRetryable(status))
                    {
                        throw new WandbException(WandbErrorKind.ProtocolError, what + ": " + shown + " answered HTTP " + status + (said.Length == 0 ? string.Empty : ": " + said) + ".", targetName);
                    }

                    failure = new Failure(status == 429 ? WandbErrorKind.RateLimited : WandbErrorKind.ConnectionFailed, "HTTP " + status, RetryAfterOf(response));
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    failure = new Failure(WandbErrorKind.ConnectionFailed, "no bytes for " + Seconds(Options.Timeout), null);
                }
                catch (HttpRequestException e) when (CertificateFailure(e) is System.Security.Authentication.AuthenticationException tls)
                {
                    throw new WandbException(WandbErrorKind.ConnectionFailed, what + ": the TLS connection to " + shown + " failed: the server's certificate was not accepted (" + tls.Message + ").", targetName);
                }
                catch (Exception e) when (e is HttpRequestException || (e is IOException && !(e is FileNotFoundException)))
                {
                    // A body cut short (the connection closed before Content-Length bytes) lands here and is retried.
                    failure = new Failure(WandbErrorKind.ConnectionFailed, "the connection failed (" + Innermost(e) + ")", null);
                }

                TimeSpan delay = failure.RetryAfter ?? retry.Backoff(attempt);
                if (attempt >= retry.MaxAttempts || waited + delay > retry.MaxTotalWait)
                {
                    throw new WandbException(
                        failure.Kind,
                        Credential.Redact(what + ": the download from " + Shown(url) + " failed after " + attempt + " attempt" + (attempt == 1 ? string.Empty : "s") + " over " + Seconds(clock.Elapsed) + "; last: " + failure.Message + "."),
                        targetName);
                }

                await Task.Delay(delay, cancellation).ConfigureAwait(false);
                waited += delay;
            }
        }

        /// <summary>
        /// A direct URL from the server's answer, checked before anything is fetched from it: an http(s) address, and not
        /// plain http on another host when the API itself is https (<paramref name="what"/> names the file in errors).
        /// </summary>
        public Uri DirectUrl(string direct, string what, object? targetName)
        {
            if (!Uri.TryCreate(direct, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw new WandbException(WandbErrorKind.ProtocolError, "The server gave " + what + " a direct URL that is not an http(s) address.", targetName);
            }

            if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && BaseUrl.Scheme == Uri.UriSchemeHttps)
            {
                throw new WandbException(WandbErrorKind.InsecureConnection, "The server gave " + what + " a plain http:// direct URL on " + url.Host + "; it is not fetched from an https server's answer.", targetName);
            }

            return url;
        }

        /// <summary>Whether the key may go to <paramref name="url"/>: the API's own scheme, host and port (W&amp;B's clients limit it so).</summary>
        internal static bool SameOrigin(Uri url, Uri baseUrl) =>
            string.Equals(url.Scheme, baseUrl.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(url.Host, baseUrl.Host, StringComparison.OrdinalIgnoreCase) &&
            url.Port == baseUrl.Port;

        /// <summary>A URL as errors show it: without its query, which holds a signed URL's signature.</summary>
        private static string Shown(Uri url) => url.GetLeftPart(UriPartial.Path);

        private static async Task<string> ReadErrorTextAsync(HttpResponseMessage response, CancellationToken cancellation)
        {
            try
            {
                string text = await ReadBodyAsync(response, 64 * 1024, cancellation).ConfigureAwait(false);
                text = text.Trim();
                return text.Length <= 200 ? text : text.Substring(0, 200) + "…";
            }
            catch (Exception e) when (e is IOException || e is HttpRequestException || e is AnswerTooLargeException)
            {
                return string.Empty; // the status says enough; a long or broken error page is not worth more
            }
        }
    }
}
