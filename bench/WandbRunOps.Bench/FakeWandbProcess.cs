using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace WandbRunOps.Bench;

/// <summary>
/// The loopback W&amp;B server in its own process, so the memory scenario measures the client alone (an in-process
/// server would hold the whole dataset in the measured working set), and the bulk tagging scenario's client does not
/// compete with the server's work in one process.
/// </summary>
internal sealed class FakeWandbProcess : IDisposable
{
    private readonly Process _process;

    private FakeWandbProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>
    /// Starts the server on a free 127.0.0.1 port over a saved dataset, with <paramref name="latency"/> added to each
    /// GraphQL request, and waits for its "Listening on" line.
    /// </summary>
    public static FakeWandbProcess Start(string datasetPath, TimeSpan timeout, TimeSpan latency = default)
    {
        string server = Path.Combine(AppContext.BaseDirectory, "WandbRunOps.FakeWandb.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { server, "--port", "0", "--data", datasetPath, "--latency-ms", ((int)latency.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start " + server);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task<string?> line = Task.Run(async () =>
        {
            string? text;
            while ((text = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                if (text.StartsWith("Listening on ", StringComparison.Ordinal))
                {
                    return text.Substring("Listening on ".Length).Trim();
                }
            }

            return null;
        });
        if (!line.Wait(timeout) || line.Result is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The loopback server did not start: " + (stderr.IsCompleted ? stderr.Result : "no answer within " + timeout));
        }

        // Keep draining its output so the pipe never fills.
        _ = process.StandardOutput.ReadToEndAsync();
        return new FakeWandbProcess(process, new Uri(line.Result));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
