using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Artifacts;
using WandbRunOps.Diagnostics;
using WandbRunOps.Files;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 12: `Save-WandbArtifact` of one API artifact version through the cmdlet's own path (the manifest and file
/// listing, then ChangePipeline with FileSaver: check the destination, download each file to a temporary name, verify
/// against its manifest digest, rename), eight files in flight as the cmdlet runs it, against one at a time (width 1),
/// and against the loopback transfer floor measured in the same run: the same listing, then plain GETs of the same
/// direct URLs, eight at once, bodies read and dropped (no hashing, no disk). The server runs in its own process with
/// latency on every request, file downloads included. Every saved file's bytes are checked against the served ones.
/// </summary>
internal static class ArtifactSaveScenario
{
    public static void Measure(BenchTable table, string folder, int files, TimeSpan latency)
    {
        string dataset = Path.Combine(folder, "dataset.json");
        Directory.CreateDirectory(folder);
        FakeWandb.FakeDataset data = ApiData.Synthetic(1);
        FakeWandb.FakeRun producer = data.Projects[0].Runs[0];
        var artifact = new FakeWandb.FakeArtifact
        {
            Id = FakeWandb.WandbEncoding.StorageId("Artifact", 4242), Name = "weights", ProjectEntity = data.Projects[0].Entity, ProjectName = data.Projects[0].Name,
            VersionIndex = 0, Type = "model", Aliases = new List<string> { "production" }, Digest = "bench", CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        Dictionary<string, byte[]> served = FileSaveBench.RandomFiles(10, files, i => "shards/part-" + i.ToString("D4") + ".bin");
        foreach (KeyValuePair<string, byte[]> file in served)
        {
            artifact.Files.Add(FakeWandb.FakeArtifactFile.FromBytes(file.Key, file.Value));
        }

        artifact.FileCount = files;
        producer.Logged.Add(artifact);
        data.Save(dataset);
        using FakeWandbProcess server = FileSaveBench.StartServer(dataset, latency);
        IRunSource source = RunSources.Api(new GraphQLClient(server.BaseUrl, new ApiCredential(ApiData.Key, ApiKeySource.Parameter)), artifact.ProjectEntity, artifact.ProjectName, ReadDiagnostics.None);
        WandbArtifact version = source.ArtifactsByName.Find(new[] { "weights:production" }, Array.Empty<string>(), e => throw e, CancellationToken.None).Single();
        string label = "12 Save-WandbArtifact (" + files.ToString("N0") + " files of " + FileSaveBench.FileBytes / 1024 + " KiB, " + latency.TotalMilliseconds + " ms latency)";

        const int cmdletWidth = FileSaveBench.CmdletWidth;
        SaveAll(source, version, Path.Combine(folder, "warm-up"), cmdletWidth, served);
        var passes = new List<(string What, double Seconds)>();
        for (int round = 1; round <= 2; round++)
        {
            passes.Add(("floor", Timing.Seconds(() => Transfer(source, version, FileSaveBench.CmdletWidth))));
            foreach (int width in new[] { cmdletWidth, 1 })
            {
                string destination = Path.Combine(folder, "w" + width + "-r" + round);
                passes.Add(("w" + width, Timing.Seconds(() => SaveAll(source, version, destination, width, served))));
            }
        }

        double Best(string what) => passes.Where(p => p.What == what).Min(p => p.Seconds);
        string Times(string what) => string.Join(" / ", passes.Where(p => p.What == what).Select(p => p.Seconds.ToString("N2") + " s"));
        double one = Best("w1"), cmdlet = Best("w" + cmdletWidth), floor = Best("floor");
        table.Add(label, "one file at a time (width 1)", one, "s", "best of " + Times("w1") + "; " + (files / one).ToString("N0") + " files/s");
        table.Add(label, "Save-WandbArtifact's path (width " + cmdletWidth + ")", cmdlet, "s",
            "best of " + Times("w" + cmdletWidth) + "; " + (files / cmdlet).ToString("N0") + " files/s; " + (one / cmdlet).ToString("N2") + "x faster than width 1 (goal ≥ 4x)");
        table.Add(label, "loopback transfer floor (listing + plain GETs, width " + cmdletWidth + ")", floor, "s",
            "best of " + Times("floor") + "; the cmdlet's path reaches " + (floor / cmdlet).ToString("P0") + " of it (goal ≥ 70%); every saved file verified against the served bytes");
    }

    /// <summary>What Save-WandbArtifact does with a version: list its files, then plan, confirm and save each, a few at a time.</summary>
    private static void SaveAll(IRunSource source, WandbArtifact version, string destination, int width, Dictionary<string, byte[]> served) =>
        FileSaveBench.SaveAll(
            source.ArtifactFiles.List(version, CancellationToken.None).Where(f => !f.Entry.IsReference).Select(file => (file.Entry.Path, FileToSave.Of(file))),
            destination, width, served, served.Count);

    /// <summary>The floor: the same listing, then each direct URL fetched with a plain GET, <paramref name="width"/> at once, the body read and dropped.</summary>
    private static void Transfer(IRunSource source, WandbArtifact version, int width)
    {
        IReadOnlyList<ArtifactFile> files = source.ArtifactFiles.List(version, CancellationToken.None);
        using var http = new HttpClient();
        using var gate = new SemaphoreSlim(width);
        Task.WaitAll(files.Where(f => !f.Entry.IsReference).Select(async f =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                byte[] body = await http.GetByteArrayAsync(f.DirectUrl).ConfigureAwait(false);
                if (body.LongLength != f.Entry.Size)
                {
                    throw new InvalidOperationException("The floor's GET of " + f.Entry.Path + " gave " + body.Length + " bytes.");
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToArray());
    }
}
