using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Changes;
using WandbRunOps.Diagnostics;
using WandbRunOps.Files;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 9: `Save-RunFile` of one API run's files through the cmdlet's own path (the run's files listed, then
/// ChangePipeline with FileSaver: check the destination, download from each direct URL to a temporary name,
/// verify, rename), eight files in flight as the cmdlet runs it, against one at a time (width 1), in the same run. The
/// loopback server runs in its own process with latency on every request, file downloads included. Each pass saves
/// into a fresh folder; the bench then checks every saved file's bytes against the served ones (it throws when not).
/// </summary>
internal static class RunFileSaveScenario
{
    /// <summary>How many files Save-RunFile checks and transfers at once (FileTransfers.InFlight, which both save cmdlets use).</summary>
    private const int CmdletWidth = 8;

    private const int FileBytes = 16 * 1024;

    public static void Measure(BenchTable table, string folder, int files, TimeSpan latency)
    {
        string dataset = Path.Combine(folder, "dataset.json");
        Directory.CreateDirectory(folder);
        FakeWandb.FakeDataset data = ApiData.Synthetic(1);
        var served = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var random = new Random(9);
        for (int i = 0; i < files; i++)
        {
            var bytes = new byte[FileBytes];
            random.NextBytes(bytes);
            string name = "media/images/sample_" + i.ToString("D4") + ".png";
            served[name] = bytes;
            data.Projects[0].Runs[0].Files.Add(FakeWandb.FakeRunFile.FromBytes(name, bytes, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        }

        data.Save(dataset);
        using FakeWandbProcess server = FakeWandbProcess.Start(dataset, TimeSpan.FromMinutes(2), latency);
        using (var admin = new HttpClient { BaseAddress = server.BaseUrl })
        {
            using HttpResponseMessage set = admin.PostAsync("/_fake/latency", new StringContent("{\"ms\":" + latency.TotalMilliseconds + ",\"files\":true}", System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            set.EnsureSuccessStatusCode();
        }

        IRunSource source = RunSources.Api(new GraphQLClient(server.BaseUrl, new ApiCredential(ApiData.Key, ApiKeySource.Parameter)), "bench", "bench", ReadDiagnostics.None);
        var run = new WandbRun { Id = "r0000000", Entity = "bench", Project = "bench", Source = RunSource.Api };
        string label = "9 Save-RunFile (" + files.ToString("N0") + " API files of " + FileBytes / 1024 + " KiB, " + latency.TotalMilliseconds + " ms latency)";

        SaveAll(source, run, Path.Combine(folder, "warm-up"), CmdletWidth, served, limit: 20);
        var passes = new List<(int Width, double Seconds)>();
        for (int round = 1; round <= 2; round++)
        {
            foreach (int width in new[] { CmdletWidth, 1 })
            {
                string destination = Path.Combine(folder, "w" + width + "-r" + round);
                passes.Add((width, Timing.Seconds(() => SaveAll(source, run, destination, width, served))));
            }
        }

        double one = passes.Where(p => p.Width == 1).Min(p => p.Seconds);
        double cmdlet = passes.Where(p => p.Width == CmdletWidth).Min(p => p.Seconds);
        string Times(int width) => string.Join(" / ", passes.Where(p => p.Width == width).Select(p => p.Seconds.ToString("N2") + " s"));
        double floor = (files * latency.TotalSeconds / CmdletWidth) + latency.TotalSeconds;
        table.Add(label, "one file at a time (width 1)", one, "s", "best of " + Times(1) + "; " + (files / one).ToString("N0") + " files/s");
        table.Add(label, "Save-RunFile's path (width " + CmdletWidth + ")", cmdlet, "s",
            "best of " + Times(CmdletWidth) + "; " + (files / cmdlet).ToString("N0") + " files/s; " + (one / cmdlet).ToString("N2") + "x faster than width 1 (goal ≥ 3x)");
        table.Add(label, "floor (latency × files / " + CmdletWidth + " + the listing)", floor, "s",
            "same bytes: every file of every pass verified against what the server served; width " + CmdletWidth + " / floor = " + (cmdlet / floor).ToString("N2"));
    }

    /// <summary>What Save-RunFile does with a run: list its files, then plan, confirm and save each, a few at a time.</summary>
    private static void SaveAll(IRunSource source, WandbRun run, string destination, int width, Dictionary<string, byte[]> served, int limit = int.MaxValue)
    {
        var saver = new FileSaver(destination, force: false);
        var pipeline = new ChangePipeline<FileSavePlan, FileInfo>(width, plan => plan.Action != FileSaveAction.Skip, CancellationToken.None);
        var outcomes = new List<ChangeOutcome<FileSavePlan, FileInfo>>();
        foreach (WandbRunFile file in source.Files.List(run, FileNameFilter.All, CancellationToken.None).Take(limit))
        {
            IRunFileReader reader = FileSaver.ReaderOf(file)!;
            outcomes.AddRange(pipeline.Add(file, token => Task.Run(() => saver.Plan(FileToSave.Of(file, reader), token), token), (plan, token) => saver.ApplyAsync(plan, null, token)));
        }

        outcomes.AddRange(pipeline.Drain());
        ChangeOutcome<FileSavePlan, FileInfo>? failed = outcomes.FirstOrDefault(o => !o.Applied);
        if (failed is not null || outcomes.Count != Math.Min(limit, served.Count))
        {
            throw new InvalidOperationException("Saving with width " + width + " did not save every file: " + (failed?.Error?.Message ?? outcomes.Count + " outcomes"));
        }

        foreach (ChangeOutcome<FileSavePlan, FileInfo> outcome in outcomes)
        {
            string name = ((WandbRunFile)outcome.Input).Name;
            if (!MD5.HashData(File.ReadAllBytes(outcome.Result!.FullName)).AsSpan().SequenceEqual(MD5.HashData(served[name])))
            {
                throw new InvalidOperationException("Saving with width " + width + " wrote other bytes for " + name + ".");
            }
        }
    }
}
