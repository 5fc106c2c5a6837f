using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// A raw TCP front of a <see cref="FakeWandbServer"/> for answers Kestrel cannot send: a garbled status line, a header
/// that is not a header, broken chunked framing. Each request takes the next queued entry: a raw answer is written as
/// is and the connection closed; no entry (or a null one, "pass") forwards the request to the server on a connection
/// of its own (<c>Connection: close</c>) and copies its answer back. Loopback only.
/// </summary>
public sealed class RawFaultFront : IDisposable
{
    /// <summary>A 200 whose chunk size line is not hexadecimal.</summary>
    public static readonly byte[] BrokenChunkedFraming = Ascii(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "5\r\n{\"dat\r\nZZ-not-a-size\r\na\":{}}\r\n0\r\n\r\n");

    /// <summary>A status line that is not HTTP.</summary>
    public static readonly byte[] GarbledStatusLine = Ascii("HTTX/9.9 2OO Fine\r\nContent-Length: 2\r\n\r\n{}");

    /// <summary>A 200 with a header line without a colon and a Content-Length that is not a number.</summary>
    public static readonly byte[] GarbledHeaders = Ascii(
        "HTTP/1.1 200 OK\r\nthis line is not a header\r\nContent-Length: lots\r\nContent-Type: application/json\r\n\r\n{}");

    private readonly TcpListener _listener;
    private readonly Uri _backend;
    private readonly Queue<byte[]?> _queue = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _served;

    private RawFaultFront(Uri backend)
    {
        _backend = backend;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUrl = "http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        _ = AcceptAsync();
    }

    public string BaseUrl { get; }

    /// <summary>How many raw answers were written.</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>How many entries are still queued.</summary>
    public int Pending
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    public static RawFaultFront Start(string backendBaseUrl) => new RawFaultFront(new Uri(backendBaseUrl));

    /// <summary>The next <paramref name="times"/> requests get <paramref name="answer"/>; null forwards them.</summary>
    public void Enqueue(byte[]? answer, int times = 1)
    {
        lock (_queue)
        {
            for (int i = 0; i < times; i++)
            {
                _queue.Enqueue(answer);
            }
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        _stopping.Dispose();
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException || e is SocketException || e is ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                byte[]? request = await ReadRequestAsync(stream, _stopping.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                byte[]? answer;
                lock (_queue)
                {
                    answer = _queue.Count > 0 ? _queue.Dequeue() : null;
                }

                if (answer is not null)
                {
                    Interlocked.Increment(ref _served);
                    await stream.WriteAsync(answer, _stopping.Token).ConfigureAwait(false);
                    client.Client.Shutdown(SocketShutdown.Send);
                    return;
                }

                using var backend = new TcpClient();
                await backend.ConnectAsync(_backend.Host, _backend.Port, _stopping.Token).ConfigureAwait(false);
                NetworkStream forward = backend.GetStream();
                await forward.WriteAsync(request, _stopping.Token).ConfigureAwait(false);
                await forward.CopyToAsync(stream, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is OperationCanceledException || e is ObjectDisposedException)
            {
                // The client or the server went away: nothing to answer.
            }
        }
    }

    /// <summary>One request (headers and Content-Length body) with <c>Connection: close</c> added, or null at the end of the stream.</summary>
    private static async Task<byte[]?> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var head = new MemoryStream();
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (head.Length > 65536 || await stream.ReadAsync(one, ct).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.WriteByte(one[0]);
        }

        string headers = Encoding.ASCII.GetString(head.GetBuffer(), 0, (int)head.Length);
        int length = 0;
        var kept = new StringBuilder();
        foreach (string line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line.AsSpan("Content-Length:".Length).Trim(), CultureInfo.InvariantCulture);
            }

            if (line.Length > 0 && !line.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))
            {
                kept.Append(line).Append("\r\n");
            }
        }

        kept.Append("Connection: close\r\n\r\n");
        byte[] body = new byte[length];
        await stream.ReadExactlyAsync(body, ct).ConfigureAwait(false);
        byte[] start = Encoding.ASCII.GetBytes(kept.ToString());
        var request = new byte[start.Length + body.Length];
        start.CopyTo(request, 0);
        body.CopyTo(request, start.Length);
        return request;
    }

    private static bool EndsWithBlankLine(MemoryStream head)
    {
        byte[] b = head.GetBuffer();
        int n = (int)head.Length;
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }
}
