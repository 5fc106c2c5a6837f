using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using WandbRunOps.Api;
using WandbRunOps.Changes;
using WandbRunOps.Diagnostics;
using WandbRunOps.Model;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 8: `Set-WandbRun -AddTag` over many API runs, through the cmdlet's own path (ChangePipeline with
/// ApiRunChanger: a fresh read of each run, then its upsertBucket), four runs in flight as the cmdlet runs it, against
/// one request at a time (width 1) in the same run, two passes of each. The loopback server runs in its own process,
/// with latency on each request, so its work does not compete with the client's in one process. Each pass adds its own
/// tag; the bench then checks on the server that every run holds each tag exactly once, and that each pass read each
/// run once and sent it one mutation (it throws when not: a wrong result is a failure, not a figure).
/// </summary>
internal static class BulkTaggingScenario
{
    /// <summary>How many runs Set-WandbRun reads or changes at once (RunChangeCmdlet.ChangesInFlight).</summary>
    private const int CmdletWidth = 4;

    public static void Measure(BenchTable table, string folder, int runs, TimeSpan latency)
    {
        string dataset = Path.Combine(folder, "dataset.json");
        Directory.CreateDirectory(folder);
        ApiData.Synthetic(runs).Save(dataset);
        using FakeWandbProcess server = FakeWandbProcess.Start(dataset, TimeSpan.FromMinutes(2), latency);
        using var admin = new HttpClient { BaseAddress = server.BaseUrl };
        var changer = new ApiRunChanger(new GraphQLClient(server.BaseUrl, new ApiCredential(ApiData.Key, ApiKeySource.Parameter)), ReadDiagnostics.None);
        List<string> ids = ServerRuns(admin).Keys.OrderBy(id => id, StringComparer.Ordinal).ToList();
        string label = "8 bulk tagging (" + runs.ToString("N0") + " API runs, " + latency.TotalMilliseconds + " ms latency)";

        // One untimed pass over 100 runs, so that neither width pays for compiling the path, in the client or the server.
        TagAll(changer, ids.Take(100).ToList(), "warm-up", CmdletWidth);

        // Two rounds, the widths alternating and the cmdlet's first, so that warming up (the server's JIT too) and a
        // burst of load on a shared machine do not fall on one width only; the best pass of each width counts.
        var passes = new List<(int Width, string Tag, double Seconds, Traffic Traffic)>();
        for (int round = 1; round <= 2; round++)
        {
            foreach (int width in new[] { CmdletWidth, 1 })
            {
                string tag = "bulk-w" + width + "-r" + round;
                (double seconds, Traffic traffic) = TimedPass(admin, changer, ids, tag, width);
                passes.Add((width, tag, seconds, traffic));
            }
        }

        // The same results: every run holds each pass's tag exactly once, after the tags it had, in the order added;
        // each pass read each run once and sent it one mutation.
        Dictionary<string, List<string>> tags = ServerRuns(admin);
        string[] expected = passes.Select(p => p.Tag).ToArray();
        int wrong = ids.Count(id => !tags[id].Where(t => t != "warm-up").SequenceEqual(expected));
        if (wrong > 0 || passes.Any(p => p.Traffic.Mutations != runs || p.Traffic.Reads != runs))
        {
            throw new InvalidOperationException(
                "Bulk tagging gave wrong results: " + wrong + " of " + runs + " runs do not hold each pass's tag once; reads and mutations per pass: " +
                string.Join(", ", passes.Select(p => "width " + p.Width + ": " + p.Traffic.Reads + "/" + p.Traffic.Mutations)) + " for " + runs + " runs.");
        }

        double oneSeconds = passes.Where(p => p.Width == 1).Min(p => p.Seconds);
        double cmdletSeconds = passes.Where(p => p.Width == CmdletWidth).Min(p => p.Seconds);
        string Times(int width) => string.Join(" / ", passes.Where(p => p.Width == width).Select(p => p.Seconds.ToString("N2") + " s"));
        double floor = 2 * runs * latency.TotalSeconds / CmdletWidth;
        table.Add(label, "one request at a time (width 1)", oneSeconds, "s",
            "best of " + Times(1) + "; each pass " + runs + " reads + " + runs + " upsertBucket; " + (runs / oneSeconds).ToString("N0") + " runs/s");
        table.Add(label, "Set-WandbRun's path (width " + CmdletWidth + ")", cmdletSeconds, "s",
            "best of " + Times(CmdletWidth) + "; " + (runs / cmdletSeconds).ToString("N0") + " runs/s; " +
            (oneSeconds / cmdletSeconds).ToString("N2") + "x faster than width 1 (goal ≥ 3x)");
        table.Add(label, "floor (2 requests a run × latency / " + CmdletWidth + ")", floor, "s",
            "same results: every run tagged once by each of the 4 passes, one read and one mutation per run a pass; width " + CmdletWidth + " / floor = " + (cmdletSeconds / floor).ToString("N2"));
    }

    private static (double Seconds, Traffic Traffic) TimedPass(HttpClient admin, ApiRunChanger changer, List<string> ids, string tag, int width)
    {
        Send(admin, HttpMethod.Delete, "/_fake/requests");
        double seconds = Timing.Seconds(() => TagAll(changer, ids, tag, width));
        return (seconds, Requests(admin));
    }

    /// <summary>What Set-WandbRun -AddTag does with each input run: plan on a fresh read, confirm, apply; outcomes in input order.</summary>
    private static void TagAll(ApiRunChanger changer, List<string> ids, string tag, int width)
    {
        var request = new RunChangeRequest { AddTags = new[] { tag } };
        request.Validate();
        var pipeline = new ChangePipeline<RunChangePlan, WandbRun?>(width, plan => !plan.IsEmpty, CancellationToken.None);
        var outcomes = new List<ChangeOutcome<RunChangePlan, WandbRun?>>();
        foreach (string id in ids)
        {
            outcomes.AddRange(pipeline.Add(
                id,
                async token => RunChangePlan.For(await changer.ReadAsync("bench", "bench", id, token).ConfigureAwait(false), request),
                async (plan, token) => await changer.ApplyAsync(plan, token).ConfigureAwait(false)));
        }

        outcomes.AddRange(pipeline.Drain());
        ChangeOutcome<RunChangePlan, WandbRun?>? failed = outcomes.FirstOrDefault(o => !o.Applied);
        if (failed is not null || !outcomes.Select(o => (string)o.Input).SequenceEqual(ids))
        {
            throw new InvalidOperationException("Tagging with width " + width + " did not change every run in input order: " + (failed?.Error?.Message ?? "outcomes out of order"));
        }
    }

    private readonly record struct Traffic(int Reads, int Mutations);

    private static Traffic Requests(HttpClient admin)
    {
        using JsonDocument log = JsonDocument.Parse(Send(admin, HttpMethod.Get, "/_fake/requests"));
        int reads = 0, mutations = 0;
        foreach (JsonElement request in log.RootElement.EnumerateArray())
        {
            if (request.GetProperty("isMutation").GetBoolean())
            {
                mutations++;
            }
            else if (request.GetProperty("operationName").GetString() == "RunForChange")
            {
                reads++;
            }
        }

        return new Traffic(reads, mutations);
    }

    /// <summary>Each run's tags as the server holds them (its dataset, read through the admin endpoint, not the module).</summary>
    private static Dictionary<string, List<string>> ServerRuns(HttpClient admin)
    {
        using JsonDocument data = JsonDocument.Parse(Send(admin, HttpMethod.Get, "/_fake/data"));
        var runs = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (JsonElement project in data.RootElement.GetProperty("projects").EnumerateArray())
        {
            foreach (JsonElement run in project.GetProperty("runs").EnumerateArray())
            {
                runs[run.GetProperty("id").GetString()!] = run.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
            }
        }

        return runs;
    }

    private static string Send(HttpClient admin, HttpMethod method, string path)
    {
        using HttpResponseMessage response = admin.Send(new HttpRequestMessage(method, path));
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return reader.ReadToEnd();
    }
}
