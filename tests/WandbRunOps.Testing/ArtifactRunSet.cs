using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace WandbRunOps.Testing;

/// <summary>
/// One offline run folder (<c>artf009i</c>) that logged artifacts whose files the SDK staged outside the run folder,
/// as an offline <c>log_artifact</c> leaves them: the manifest entries' <c>local_path</c> point into
/// <c>stagingDir</c>, which this writes too. <c>weights</c> (type model, aliases latest and production): three stored
/// files and one reference entry (<c>data/train.csv</c> → <c>s3://acme-datasets/mnist/train.csv</c>);
/// <c>tampered</c> (type dataset): <c>ok.txt</c> and two entries whose paths leave a destination (<c>../outside.txt</c>,
/// <c>/etc/wandbrunops-absolute.txt</c>). The run used <c>mnist:v3</c>, as <c>fin0001a</c> did.
/// </summary>
public static class ArtifactRunSet
{
    public const string RunId = "artf009i";

    /// <summary>The stored files of <c>weights</c>: path inside the artifact and bytes.</summary>
    public static IReadOnlyList<(string Path, byte[] Bytes)> WeightsFiles { get; } = new[]
    {
        ("weights/model.bin", Enumerable.Range(0, 256 * 1024).Select(i => (byte)(i * 31 % 251)).ToArray()),
        ("config.json", Encoding.UTF8.GetBytes("{\"layers\": 4, \"hidden\": 128}\n")),
        ("labels/classes.txt", Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(0, 10).Select(i => "digit-" + i)) + "\n")),
    };

    /// <summary>Writes the run folder under <paramref name="wandbDir"/> and the staged files under <paramref name="stagingDir"/>; returns the run folder.</summary>
    public static string Write(string wandbDir, string stagingDir, DateTime anchorUtc)
    {
        Directory.CreateDirectory(stagingDir);
        var weights = WeightsFiles.Select(f => Staged(stagingDir, "weights", f.Path, f.Bytes)).ToList();
        weights.Add(new ManifestEntry("data/train.csv", "\"9b2cf535f27731c974343645a3985328\"", 1_048_576, Ref: "s3://acme-datasets/mnist/train.csv"));
        var tampered = new List<ManifestEntry>
        {
            Staged(stagingDir, "tampered", "ok.txt", Encoding.UTF8.GetBytes("fine\n")),
            Staged(stagingDir, "tampered", "../outside.txt", Encoding.UTF8.GetBytes("should never be written\n"), "outside.txt"),
            Staged(stagingDir, "tampered", "/etc/wandbrunops-absolute.txt", Encoding.UTF8.GetBytes("should never be written\n"), "absolute.txt"),
        };
        var plan = new SamplePlan
        {
            Id = RunId, DisplayName = "staged-pine-9", CreatedUtc = anchorUtc.AddHours(-3), Offline = true,
            LearningRate = 0.002, FinalAccuracy = 0.93, FinalLoss = 0.21,
            StepCount = 5, SegmentSeconds = 600, ExitCode = 0,
            Logged =
            [
                Artifact("model", "weights", ["latest", "production"], weights),
                Artifact("dataset", "tampered", ["latest"], tampered),
            ],

            // Trained on the approved dataset version, as fin0001a was: the deploy gate runbook checks this.
            Used = [(SampleSet.ArtifactId(1001), "dataset", "mnist:v3")],
        };
        return RunFolderWriter.Write(wandbDir, SampleRunBuilder.Build(plan));
    }

    private static ManifestEntry Staged(string stagingDir, string artifact, string path, byte[] bytes, string? stagedName = null)
    {
        string local = Path.Combine(stagingDir, artifact, stagedName ?? path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.WriteAllBytes(local, bytes);
        return new ManifestEntry(path, Convert.ToBase64String(MD5.HashData(bytes)), bytes.LongLength, LocalPath: local);
    }

    private static ArtifactSpec Artifact(string type, string name, string[] aliases, IReadOnlyList<ManifestEntry> entries) => new()
    {
        RunId = RunId,
        Project = SampleSet.Project,
        Type = type,
        Name = name,
        Digest = SampleRunBuilder.Hex("artifact:" + RunId + ":" + name, 32),
        Aliases = aliases,
        Entries = entries,
        ClientId = SampleRunBuilder.Hex("client:" + RunId + ":" + name, 32),
    };
}
