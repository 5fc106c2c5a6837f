using System;
using System.Security.Cryptography.X509Certificates;

namespace WandbRunOps.FakeWandb;

public sealed class FakeServerOptions
{
    /// <summary>Added to every /graphql request (the initial value of <see cref="FaultPlan.Latency"/>).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Upper bound on <c>first</c> for the runs and artifacts connections.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Port to listen on, on 127.0.0.1 only; 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>When set, the server listens with HTTPS using this certificate (e.g. a self-signed one, to test that clients refuse it).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>
    /// The host the files' direct URLs name (default 127.0.0.1, the server's own). "localhost" reaches the same server
    /// under another host name, as signed storage URLs live on a host other than the API's: a client must not send
    /// the key there.
    /// </summary>
    public string? DirectUrlHost { get; set; }
}

/// <summary>
/// One /graphql request as the server saw it. <paramref name="StatusCode"/> is 0 when no response was sent
/// (reset, or the client went away); <paramref name="ResponseBytes"/> counts the bytes written to the wire
/// (after gzip when it was applied). <paramref name="ConnectionId"/> names the TCP connection the request came on, so a
/// test can see whether a client reused a connection.
/// </summary>
public sealed record RecordedRequest(
    DateTime ReceivedUtc,
    string? OperationName,
    string Query,
    string VariablesJson,
    string? Authorization,
    string? UserAgent,
    int StatusCode,
    long ResponseBytes,
    bool AcceptGzip,
    string? ConnectionId = null)
{
    /// <summary>True for a GraphQL mutation (what a change sends); reads are queries.</summary>
    public bool IsMutation => IsMutationText(Query);

    internal static bool IsMutationText(string query) =>
        System.Text.RegularExpressions.Regex.IsMatch(query, @"^\s*(?:#[^\n]*\n\s*)*mutation\b");
}
