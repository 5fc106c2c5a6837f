using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Api;
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
    public static void Measure(BenchTable table, string folder, int files, TimeSpan latency)
    {
        string dataset = Path.Combine(folder, "dataset.json");
        Directory.CreateDirectory(folder);
        FakeWandb.FakeDataset data = ApiData.Synthetic(1);
        Dictionary<string, byte[]> served = FileSaveBench.RandomFiles(9, files, i => "media/images/sample_" + i.ToString("D4") + ".png");
        foreach (KeyValuePair<string, byte[]> file in served)
        {
            data.Projects[0].Runs[0].Files.Add(FakeWandb.FakeRunFile.FromBytes(file.Key, file.Value, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        }

        data.Save(dataset);
        using FakeWandbProcess server = FileSaveBench.StartServer(dataset, latency);
        IRunSource source = RunSources.Api(new GraphQLClient(server.BaseUrl, new ApiCredential(ApiData.Key, ApiKeySource.Parameter)), "bench", "bench", ReadDiagnostics.None);
        var run = new WandbRun { Id = "r0000000", Entity = "bench", Project = "bench", Source = RunSource.Api };
        string label = "9 Save-RunFile (" + files.ToString("N0") + " API files of " + FileSaveBench.FileBytes / 1024 + " KiB, " + latency.TotalMilliseconds + " ms latency)";
        const int cmdletWidth = FileSaveBench.CmdletWidth;

        SaveAll(source, run, Path.Combine(folder, "warm-up"), cmdletWidth, served, limit: 20);
        var passes = new List<(int Width, double Seconds)>();
        for (int round = 1; round <= 2; round++)
        {
            foreach (int width in new[] { cmdletWidth, 1 })
            {
                string destination = Path.Combine(folder, "w" + width + "-r" + round);
                passes.Add((width, Timing.Seconds(() => SaveAll(source, run, destination, width, served))));
            }
        }

        double one = passes.Where(p => p.Width == 1).Min(p => p.Seconds);
        double cmdlet = passes.Where(p => p.Width == cmdletWidth).Min(p => p.Seconds);
        string Times(int width) => string.Join(" / ", passes.Where(p => p.Width == width).Select(p => p.Seconds.ToString("N2") + " s"));
        double floor = (files * latency.TotalSeconds / cmdletWidth) + latency.TotalSeconds;
        table.Add(label, "one file at a time (width 1)", one, "s", "best of " + Times(1) + "; " + (files / one).ToString("N0") + " files/s");
        table.Add(label, "Save-RunFile's path (width " + cmdletWidth + ")", cmdlet, "s",
            "best of " + Times(cmdletWidth) + "; " + (files / cmdlet).ToString("N0") + " files/s; " + (one / cmdlet).ToString("N2") + "x faster than width 1 (goal ≥ 3x)");
        table.Add(label, "floor (latency × files / " + cmdletWidth + " + the listing)", floor, "s",
            "same bytes: every file of every pass verified against what the server served; width " + cmdletWidth + " / floor = " + (cmdlet / floor).ToString("N2"));
    }

    /// <summary>What Save-RunFile does with a run: list its files, then plan, confirm and save each, a few at a time.</summary>
    private static void SaveAll(IRunSource source, WandbRun run, string destination, int width, Dictionary<string, byte[]> served, int limit = int.MaxValue) =>
        FileSaveBench.SaveAll(
            source.Files.List(run, FileNameFilter.All, CancellationToken.None).Take(limit).Select(file => (file.Name, FileToSave.Of(file, FileSaver.ReaderOf(file)!))),
            destination, width, served, Math.Min(limit, served.Count));
}
