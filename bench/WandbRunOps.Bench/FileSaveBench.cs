using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Files;

namespace WandbRunOps.Bench;

/// <summary>
/// What scenarios 9 and 12 (Save-RunFile, Save-WandbArtifact) share: random files to serve, the loopback server in its
/// own process with latency on downloads too, and a save through the cmdlets' path (ChangePipeline with FileSaver)
/// that throws unless every file was saved with the bytes the server served.
/// </summary>
internal static class FileSaveBench
{
    /// <summary>How many files the save cmdlets check and transfer at once (FileTransfers.InFlight).</summary>
    public const int CmdletWidth = 8;

    public const int FileBytes = 16 * 1024;

    /// <summary><paramref name="count"/> files of random bytes from a fixed seed, by the name <paramref name="nameOf"/> gives the i-th.</summary>
    public static Dictionary<string, byte[]> RandomFiles(int seed, int count, Func<int, string> nameOf)
    {
        var served = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var bytes = new byte[FileBytes];
            random.NextBytes(bytes);
            served[nameOf(i)] = bytes;
        }

        return served;
    }

    /// <summary>The loopback server over <paramref name="dataset"/> in its own process, with <paramref name="latency"/> on every request, file downloads included.</summary>
    public static FakeWandbProcess StartServer(string dataset, TimeSpan latency)
    {
        FakeWandbProcess server = FakeWandbProcess.Start(dataset, TimeSpan.FromMinutes(2), latency);
        using var admin = new HttpClient { BaseAddress = server.BaseUrl };
        using HttpResponseMessage set = admin.PostAsync("/_fake/latency", new StringContent("{\"ms\":" + latency.TotalMilliseconds + ",\"files\":true}", System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        set.EnsureSuccessStatusCode();
        return server;
    }

    /// <summary>
    /// What the save cmdlets do with their files: plan, confirm and save each into <paramref name="destination"/>,
    /// <paramref name="width"/> at a time; then every saved file is compared with the bytes served under its name.
    /// </summary>
    public static void SaveAll(IEnumerable<(string Name, FileToSave Item)> files, string destination, int width, Dictionary<string, byte[]> served, int expected)
    {
        var saver = new FileSaver(destination, force: false);
        var pipeline = new ChangePipeline<FileSavePlan, FileInfo>(width, plan => plan.Action != FileSaveAction.Skip, CancellationToken.None);
        var outcomes = new List<ChangeOutcome<FileSavePlan, FileInfo>>();
        foreach ((string name, FileToSave item) in files)
        {
            outcomes.AddRange(pipeline.Add(name, token => Task.Run(() => saver.Plan(item, token), token), (plan, token) => saver.ApplyAsync(plan, null, token)));
        }

        outcomes.AddRange(pipeline.Drain());
        ChangeOutcome<FileSavePlan, FileInfo>? failed = outcomes.FirstOrDefault(o => !o.Applied);
        if (failed is not null || outcomes.Count != expected)
        {
            throw new InvalidOperationException("Saving with width " + width + " did not save every file: " + (failed?.Error?.Message ?? outcomes.Count + " outcomes"));
        }

        foreach (ChangeOutcome<FileSavePlan, FileInfo> outcome in outcomes)
        {
            string name = (string)outcome.Input;
            if (!MD5.HashData(File.ReadAllBytes(outcome.Result!.FullName)).AsSpan().SequenceEqual(MD5.HashData(served[name])))
            {
                throw new InvalidOperationException("Saving with width " + width + " wrote other bytes for " + name + ".");
            }
        }
    }
}
