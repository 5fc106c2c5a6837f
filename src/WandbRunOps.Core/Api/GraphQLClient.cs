using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Errors;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// The one HTTP path to W&amp;B: a JSON POST to <c>{base}/graphql</c> with Basic auth (user <c>api</c>), a timeout
    /// per attempt, retries with backoff for 429/5xx/connection failures, and errors that say what happened without
    /// ever showing the key.
    /// </summary>
    public sealed partial class GraphQLClient
    {
        /// <summary>
        /// How long a cancelled read may take to end by itself before the response is closed under it. Short: Stop must
        /// return within a second, and some streams (.NET Framework's; a gzip stream over a stalled body) never look at
        /// the token once a read has started.
        /// </summary>
        private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(200);

        /// <summary>The most one buffer can hold, whatever <see cref="ApiClientOptions.MaxResponseBytes"/> says (1 GiB).</summary>
        private const long MaxBuffer = 1L << 30;

        private readonly HttpClient _http;
        private readonly Uri _endpoint;

        public GraphQLClient(Uri baseUrl, ApiCredential credential, ApiClientOptions? options = null)
        {
            BaseUrl = baseUrl;
            Credential = credential;
            Options = options ?? new ApiClientOptions();
            _endpoint = new Uri(baseUrl.ToString().TrimEnd('/') + "/graphql");
            ApiClientOptions.CheckProxy(Options.Proxy);
            _http = HttpClientCache.For(baseUrl, Options.Proxy);
        }

        public Uri BaseUrl { get; }

        /// <summary>The GraphQL address requests go to: the base URL with one <c>/graphql</c> after it (never <c>//graphql</c>).</summary>
        public Uri Endpoint => _endpoint;

        public ApiCredential Credential { get; }

        public ApiClientOptions Options { get; }

        public Task<GraphQLResponse> QueryAsync(string operationName, string query, WandbMap variables, CancellationToken cancellation) =>
            SendAsync(operationName, query, variables, isChange: false, cancellation);

        /// <summary>
        /// Sends a mutation on the same path as a query (retries, time-outs, limits), with two differences: a 403 is the
        /// server refusing this change (<see cref="WandbErrorKind.PermissionDenied"/>), not the key; and an answer whose
        /// errors[] leave the data empty is returned, so the caller can tell a run that is gone from a refused value.
        /// The caller makes the change safe to repeat, since a lost answer is retried like any other.
        /// </summary>
        public Task<GraphQLResponse> ChangeAsync(string operationName, string mutation, WandbMap variables, CancellationToken cancellation) =>
            SendAsync(operationName, mutation, variables, isChange: true, cancellation);

        private async Task<GraphQLResponse> SendAsync(string operationName, string query, WandbMap variables, bool isChange, CancellationToken cancellation)
        {
            string body = ExtendedJson.Serialize(new WandbMap { { "query", query }, { "variables", variables }, { "operationName", operationName } });
            var log = new List<ApiLogEntry>();
            var clock = Stopwatch.StartNew();
            TimeSpan waited = TimeSpan.Zero;
            RetryPolicy retry = Options.Retry;
            for (int attempt = 1; ; attempt++)
            {
                Failure failure;
                try
                {
                    Answer answer = await SendOnceAsync(body, cancellation).ConfigureAwait(false);
                    log.Add(new ApiLogEntry(true, operationName + " attempt " + attempt + ": HTTP " + answer.Status + ", " + answer.Text.Length + " characters"));
                    if (answer.Status >= 200 && answer.Status < 300)
                    {
                        if (TryReadData(answer.Text, out WandbMap? data, out List<string> errors, out string? problem))
                        {
                            return new GraphQLResponse(data!, errors.Select(Credential.Redact).ToList(), attempt, clock.Elapsed, answer.Text.Length, log);
                        }

                        if (problem is null && isChange && errors.Count > 0)
                        {
                            return new GraphQLResponse(data ?? new WandbMap(), errors.Select(Credential.Redact).ToList(), attempt, clock.Elapsed, answer.Text.Length, log);
                        }

                        if (problem is null)
                        {
                            throw Fail(WandbErrorKind.ProtocolError, operationName + " failed: " + string.Join("; ", errors));
                        }

                        failure = new Failure(WandbErrorKind.ProtocolError, "the answer was not complete JSON (" + problem + ")", null);
                    }
                    else if (answer.Status == 403 && isChange)
                    {
                        throw Fail(WandbErrorKind.PermissionDenied, "W&B at " + BaseUrl + " refused " + operationName + " (HTTP 403: " + Describe(answer) + ").");
                    }
                    else if (answer.Status == 401 || answer.Status == 403)
                    {
                        throw Fail(
                            WandbErrorKind.AuthenticationFailed,
                            "W&B at " + BaseUrl + " rejected the API key from " + Credential.Description + " (HTTP " + answer.Status + ": " + Describe(answer) + ").");
                    }
                    else if (!RetryPolicy.IsRetryable(answer.Status))
                    {
                        throw Fail(WandbErrorKind.ProtocolError, operationName + " failed with HTTP " + answer.Status + ": " + Describe(answer));
                    }
                    else
                    {
                        failure = new Failure(
                            answer.Status == 429 ? WandbErrorKind.RateLimited : WandbErrorKind.ConnectionFailed,
                            "HTTP " + answer.Status + ": " + Describe(answer),
                            answer.RetryAfter);
                    }
                }
                catch (AnswerTooLargeException e)
                {
                    // The same page would be as large the next time: refused at once, not retried.
                    throw Fail(WandbErrorKind.ProtocolError, operationName + " to " + _endpoint + " failed after " + attempt + " attempt" + (attempt == 1 ? string.Empty : "s") + ": " + e.Message + "; not retried.");
                }
                catch (MalformedAnswerException e)
                {
                    failure = new Failure(WandbErrorKind.ProtocolError, e.Message, null);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    failure = new Failure(WandbErrorKind.ConnectionFailed, "no answer within " + Options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s", null);
                }
                catch (HttpRequestException e) when (CertificateFailure(e) is AuthenticationException tls)
                {
                    // A certificate the system does not trust will not become trusted by asking again: no retries.
                    throw Fail(
                        WandbErrorKind.ConnectionFailed,
                        "The TLS connection to " + _endpoint + " failed: the server's certificate was not accepted (" + tls.Message + "). Certificates are always validated; " +
                        "install the server's CA certificate in the system's trust store, or use the host name the certificate was issued for.");
                }
                catch (Exception e) when (e is HttpRequestException || e is IOException)
                {
                    failure = new Failure(WandbErrorKind.ConnectionFailed, "the connection failed (" + Innermost(e) + ")", null);
                }

                TimeSpan delay = failure.RetryAfter ?? retry.Backoff(attempt);
                if (attempt >= retry.MaxAttempts || waited + delay > retry.MaxTotalWait)
                {
                    string why = attempt >= retry.MaxAttempts ? string.Empty : " (the next wait, " + Seconds(delay) + ", would pass the " + Seconds(retry.MaxTotalWait) + " limit)";
                    throw Fail(failure.Kind, operationName + " to " + _endpoint + " failed after " + attempt + " attempt" + (attempt == 1 ? string.Empty : "s") + " over " + Seconds(clock.Elapsed) + why + "; last: " + failure.Message + ".");
                }

                log.Add(new ApiLogEntry(true, operationName + " attempt " + attempt + " failed (" + failure.Message + "); retrying in " + Seconds(delay) + (failure.RetryAfter is null ? string.Empty : " as Retry-After asks")));
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
                waited += delay;
            }
        }

        public GraphQLResponse Query(string operationName, string query, WandbMap variables, CancellationToken cancellation) =>
            QueryAsync(operationName, query, variables, cancellation).GetAwaiter().GetResult();

        private async Task<Answer> SendOnceAsync(string body, CancellationToken cancellation)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(Options.Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Credential.BasicAuthorization);
            request.Headers.UserAgent.ParseAdd(Options.UserAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            try
            {
                using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                string text = await ReadBodyAsync(response, Options.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
                return new Answer((int)response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, RetryAfterOf(response));
            }
            catch (Exception e) when (!timeout.IsCancellationRequested && InvalidEncoding(e) is InvalidDataException bad)
            {
                // Content-Encoding: gzip (or deflate) over bytes that are not: a malformed answer, like cut-off JSON.
                throw new MalformedAnswerException("the answer says it is compressed (Content-Encoding) but its bytes are not valid gzip or deflate (" + bad.Message + ")", e);
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is HttpRequestException) && !(e is IOException) && !(e is AnswerTooLargeException))
            {
                // The HTTP stack can fail on a garbled answer with other exceptions (ArgumentOutOfRangeException from
                // its status-line parser): that is a failed exchange like any other, retried on a fresh attempt.
                throw new HttpRequestException("The answer could not be read (" + e.GetType().Name + ": " + e.Message + ")", e);
            }
        }

        /// <summary>
        /// Reads the whole body. Every read gets the token and is awaited to its end, whatever happens: a read left
        /// running after a cancellation would go on consuming the connection, and once the connection is back in the
        /// pool it would eat the next request's answer (which then fails to parse, or reads as another response).
        /// .NET's handler answers a cancelled read by closing the connection, so it is never reused.
        /// </summary>
        /// <remarks>
        /// Bounded in time and size. The token is checked before every read: a read of data that has already arrived
        /// completes without looking at it, so a body that never stops would otherwise be read past the time-out. A
        /// body larger than <paramref name="limit"/> (announced by Content-Length, or counted after decompression) is
        /// refused without reading further: the buffer never holds more than the limit (its last growth briefly holds
        /// half as much again; the pool rounds a buffer up to a power of two), and an accepted body of n bytes costs
        /// about 3n (the bytes and their text).
        /// </remarks>
        private static async Task<string> ReadBodyAsync(HttpResponseMessage response, long limit, CancellationToken cancellation)
        {
            limit = Math.Min(limit, MaxBuffer);
            long? announced = response.Content.Headers.ContentLength;
            if (announced > limit)
            {
                throw AnswerTooLargeException.Announced(announced.Value, limit);
            }

            using Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);

            // The body gathers in a pooled buffer: a listing reads one page of megabytes after another, and a fresh
            // buffer grown by doubling for each would leave several large-object-heap arrays behind per page.
            byte[] bytes = ArrayPool<byte>.Shared.Rent((int)Math.Min(announced ?? 65536, 1024 * 1024));
            int length = 0;
            try
            {
                var buffer = new byte[16384];
                while (true)
                {
                    cancellation.ThrowIfCancellationRequested();
                    int count = await ReadAsync(stream, buffer, response, cancellation).ConfigureAwait(false);
                    if (count == 0)
                    {
                        break;
                    }

                    long needed = (long)length + count;
                    if (needed > limit)
                    {
                        throw AnswerTooLargeException.Counted(limit);
                    }

                    if (needed > bytes.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, Math.Max(needed, 2L * bytes.Length)));
                        Buffer.BlockCopy(bytes, 0, larger, 0, length);
                        ArrayPool<byte>.Shared.Return(bytes);
                        bytes = larger;
                    }

                    Buffer.BlockCopy(buffer, 0, bytes, length, count);
                    length = (int)needed;
                }

                // Decoded straight from the buffer (a StreamReader would hold the text twice); a UTF-8 BOM is skipped as it did.
                int start = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
                return Encoding.UTF8.GetString(bytes, start, length - start);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }

        /// <summary>The invalid compressed data (from gzip or deflate decoding) behind a failed read, if that is what it was.</summary>
        private static InvalidDataException? InvalidEncoding(Exception e)
        {
            for (Exception? current = e; current is not null; current = current.InnerException)
            {
                if (current is InvalidDataException invalid)
                {
                    return invalid;
                }
            }

            return null;
        }

        /// <summary>One read of the body that never outlives a cancellation.</summary>
        private static async Task<int> ReadAsync(Stream stream, byte[] buffer, HttpResponseMessage response, CancellationToken cancellation)
        {
            Task<int> read = stream.ReadAsync(buffer, 0, buffer.Length, cancellation);
            if (!read.IsCompleted && cancellation.CanBeCanceled)
            {
                Task cancelled = Task.Delay(Timeout.Infinite, cancellation);
                if (await Task.WhenAny(read, cancelled).ConfigureAwait(false) != read &&
                    await Task.WhenAny(read, Task.Delay(AbortGrace)).ConfigureAwait(false) != read)
                {
                    // This stream ignores the token once a read has started (.NET Framework's streams check it only
                    // before): closing the response aborts the read and its connection. The read is still awaited.
                    response.Dispose();
                }
            }

            try
            {
                return await read.ConfigureAwait(false);
            }
            catch (Exception e) when (cancellation.IsCancellationRequested && !(e is OperationCanceledException))
            {
                // A read ended by the cancellation fails with whatever the closed connection gave (IOException,
                // ObjectDisposedException): it is a cancellation, not a connection failure to retry.
                throw new OperationCanceledException("The request was cancelled while its answer was being read.", e, cancellation);
            }
        }

        private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            RetryConditionHeaderValue? header = response.Headers.RetryAfter;
            if (header?.Delta is TimeSpan delta)
            {
                return delta;
            }

            if (header?.Date is DateTimeOffset date)
            {
                TimeSpan until = date - DateTimeOffset.UtcNow;
                return until > TimeSpan.Zero ? until : TimeSpan.Zero;
            }

            return null;
        }

        /// <summary>
        /// The data of a GraphQL body. False with <paramref name="problem"/> set when the text is not complete JSON
        /// (worth retrying); false with it null when the server answered with errors and no data.
        /// </summary>
        private static bool TryReadData(string text, out WandbMap? data, out List<string> errors, out string? problem)
        {
            data = null;
            errors = new List<string>();
            if (!ExtendedJson.TryParse(text, out object? parsed, out problem) || !(parsed is WandbMap body))
            {
                problem ??= "not a JSON object";
                return false;
            }

            problem = null;
            errors = ErrorMessages(body);
            data = body["data"] as WandbMap;

            // A missing project or run is data with nulls and no errors; errors with nothing usable are a failure.
            return data is not null && (errors.Count == 0 || data.Values.Any(v => v is not null));
        }

        private static List<string> ErrorMessages(WandbMap body)
        {
            var messages = new List<string>();
            if (body["errors"] is IReadOnlyList<object?> list)
            {
                foreach (object? error in list)
                {
                    messages.Add(error is WandbMap map ? map["message"] as string ?? ValueText.Format(map) : ValueText.Format(error));
                }
            }

            // Some W&B answers (429s, older servers) use a top-level "error": a string or {"message": …}.
            switch (body["error"])
            {
                case string message:
                    messages.Add(message);
                    break;
                case WandbMap map when map["message"] is string message:
                    messages.Add(message);
                    break;
            }

            return messages;
        }

        /// <summary>What an error answer says, readable even when it is an HTML proxy page.</summary>
        private string Describe(Answer answer)
        {
            string text = Credential.Redact(answer.Text.Trim());
            string said;
            if (ExtendedJson.TryParse(text, out object? parsed, out _) && parsed is WandbMap body && ErrorMessages(body) is { Count: > 0 } messages)
            {
                said = string.Join("; ", messages);
            }
            else if (answer.MediaType == "text/html" || text.StartsWith("<", StringComparison.Ordinal))
            {
                Match title = Regex.Match(text, "<title>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline);
                string plain = title.Success ? title.Groups[1].Value : Regex.Replace(text, "<[^>]*>", " ");
                said = "an HTML page (" + Shorten(Regex.Replace(plain, @"\s+", " ").Trim()) + ") instead of JSON, often a proxy or gateway in front of W&B";
            }
            else
            {
                said = text.Length == 0 ? "an empty answer" : Shorten(text);
            }

            return said;
        }

        private WandbException Fail(WandbErrorKind kind, string message) =>
            new WandbException(kind, Credential.Redact(message), _endpoint.ToString());

        private static string Shorten(string text) => text.Length <= 200 ? text : text.Substring(0, 200) + "…";

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + " s";

        /// <summary>The TLS handshake failure (an untrusted or mismatched certificate) behind a request failure, if that is what it was.</summary>
        private static AuthenticationException? CertificateFailure(Exception e)
        {
            for (Exception? current = e; current is not null; current = current.InnerException)
            {
                if (current is AuthenticationException tls)
                {
                    return tls;
                }
            }

            return null;
        }

        private static string Innermost(Exception e)
        {
            while (e.InnerException is not null)
            {
                e = e.InnerException;
            }

            return e.Message;
        }

        /// <summary>An answer larger than the limit: ends the request without a retry.</summary>
        private sealed class AnswerTooLargeException : Exception
        {
            private AnswerTooLargeException(string message)
                : base(message)
            {
            }

            public static AnswerTooLargeException Announced(long announced, long limit) =>
                new AnswerTooLargeException("the answer announces " + Size(announced) + " (Content-Length), more than the " + Size(limit) + " limit for one answer (no W&B page is near it); nothing of it was read");

            public static AnswerTooLargeException Counted(long limit) =>
                new AnswerTooLargeException("the answer went on past the " + Size(limit) + " limit for one answer (no W&B page is near it); it was not read further");

            private static string Size(long bytes) =>
                bytes >= 1024 * 1024 ? (bytes / (1024.0 * 1024)).ToString("#,0.#", CultureInfo.InvariantCulture) + " MiB" : bytes.ToString("#,0", CultureInfo.InvariantCulture) + " bytes";
        }

        /// <summary>An answer that cannot be decoded as what its headers say (invalid gzip): retried like cut-off JSON.</summary>
        private sealed class MalformedAnswerException : Exception
        {
            public MalformedAnswerException(string message, Exception inner)
                : base(message, inner)
            {
            }
        }

        private readonly record struct Answer(int Status, string Text, string? MediaType, TimeSpan? RetryAfter);

        private readonly record struct Failure(WandbErrorKind Kind, string Message, TimeSpan? RetryAfter);
    }
}
