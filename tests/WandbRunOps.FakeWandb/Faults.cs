using System;
using System.Collections.Generic;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// Faults injected into the next /graphql requests, consumed one per request in the order enqueued.
/// Thread-safe. The admin endpoints (/_fake/...) never consume faults.
/// </summary>
public sealed class FaultPlan
{
    private readonly object _gate = new();
    private readonly List<(Fault Fault, FaultTarget? Target)> _queue = new();
    private TimeSpan _latency;

    /// <summary>
    /// The next <paramref name="times"/> /graphql requests get <paramref name="fault"/>; with a
    /// <paramref name="target"/>, only requests it matches (say, mutations of one run), so the reads around them pass.
    /// </summary>
    public void Enqueue(Fault fault, int times = 1, FaultTarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        lock (_gate)
        {
            for (int i = 0; i < times; i++)
            {
                _queue.Add((fault, target));
            }
        }
    }

    /// <summary>Drops every queued fault (the latency is kept).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
        }
    }

    /// <summary>How many faults are still queued.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Delay added to every /graphql request; changeable while the server runs.</summary>
    public TimeSpan Latency
    {
        get
        {
            lock (_gate)
            {
                return _latency;
            }
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate)
            {
                _latency = value;
            }
        }
    }

    /// <summary>The first queued fault whose target matches this request (an untargeted one matches any), removed.</summary>
    internal Fault? TryDequeue(string? operationName, string query, string variablesJson)
    {
        lock (_gate)
        {
            for (int i = 0; i < _queue.Count; i++)
            {
                if (_queue[i].Target is not FaultTarget target || target.Matches(operationName, query, variablesJson))
                {
                    Fault fault = _queue[i].Fault;
                    _queue.RemoveAt(i);
                    return fault;
                }
            }

            return null;
        }
    }
}

/// <summary>
/// Which requests a fault waits for: mutations only, one operation, and/or requests whose variables contain a text
/// (a run's storage id, say). Unset parts match anything.
/// </summary>
public sealed record FaultTarget(bool MutationsOnly = false, string? OperationName = null, string? VariablesContain = null)
{
    internal bool Matches(string? operationName, string query, string variablesJson) =>
        (!MutationsOnly || RecordedRequest.IsMutationText(query)) &&
        (OperationName is null || string.Equals(OperationName, operationName, StringComparison.Ordinal)) &&
        (VariablesContain is null || variablesJson.Contains(VariablesContain, StringComparison.Ordinal));
}

/// <summary>
/// Base of the injectable faults. In a <see cref="StatusFault"/> body and a <see cref="GraphQLErrorFault"/> message,
/// <see cref="EchoAuthorization"/> is replaced by the request's Authorization header and <see cref="EchoCredentials"/>
/// by its decoded Basic credentials (<c>api:KEY</c>), as a careless proxy or debug page repeats the request back.
/// </summary>
public abstract record Fault
{
    public const string EchoAuthorization = "{authorization}";
    public const string EchoCredentials = "{credentials}";
}

/// <summary>Answer with <paramref name="Status"/> and <paramref name="Body"/> (e.g. 429 with Retry-After "2" or an HTTP date; 500/502/503; 401).</summary>
public sealed record StatusFault(
    int Status,
    string Body = "{\"errors\":[{\"message\":\"internal error\"}]}",
    string ContentType = "application/json",
    string? RetryAfter = null) : Fault;

/// <summary>An HTML error page as a proxy in front of the server would send it (text/html).</summary>
public sealed record HtmlErrorFault(int Status) : Fault;

/// <summary>Abort the connection without any response.</summary>
public sealed record ResetFault : Fault;

/// <summary>Carry the request out (a change is applied) and then abort the connection: the answer is lost on the way back.</summary>
public sealed record LostAnswerFault : Fault;

/// <summary>Answer 200 with the real JSON body, but send only its first half (Content-Length announces all of it), then abort.</summary>
public sealed record TruncatedBodyFault : Fault;

/// <summary>Answer 200 with a complete HTTP response whose JSON body is cut in half (Content-Length matches the short body).</summary>
public sealed record TruncatedJsonFault : Fault;

/// <summary>Answer 200 with the real body, sending its first half at once and the rest only after <paramref name="Stall"/>.</summary>
public sealed record StalledBodyFault(TimeSpan Stall) : Fault;

/// <summary>Hold this request for <paramref name="Delay"/> before answering it normally; a client that gives up frees it.</summary>
public sealed record DelayFault(TimeSpan Delay) : Fault;

/// <summary>HTTP 200 with errors[]; with <paramref name="WithPartialData"/> the real data is sent alongside the error.</summary>
public sealed record GraphQLErrorFault(string Message, bool WithPartialData) : Fault;

/// <summary>Answer 200 with a JSON start and then blank space for ever (chunked, no Content-Length), as fast as the client reads.</summary>
public sealed record EndlessBodyFault : Fault;

/// <summary>Answer 200 announcing <paramref name="ContentLength"/> bytes (1 TiB by default) and send blank space until the client goes away.</summary>
public sealed record HugeContentLengthFault(long ContentLength = 1L << 40) : Fault;

/// <summary>Answer 200 and then one byte every <paramref name="Interval"/> for ever: data keeps arriving, the answer never ends.</summary>
public sealed record DripBodyFault(TimeSpan Interval) : Fault;

/// <summary>Answer 200 with <c>Content-Encoding: gzip</c> over the plain JSON body (bytes that are not gzip).</summary>
public sealed record InvalidGzipFault : Fault;
