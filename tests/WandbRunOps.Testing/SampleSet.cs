using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace WandbRunOps.Testing;

/// <summary>
/// The deterministic sample runs behind samples/wandb and the README tour: one project
/// (acme-ml/mnist-sweep) with finished, failed, crashed, running, resumed and offline runs.
/// All times derive from the anchor, so the same anchor gives byte-identical files.
/// </summary>
public static class SampleSet
{
    public static readonly DateTime SnapshotAnchor = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
    public const string Project = "mnist-sweep";
    public const string Entity = "acme-ml";

    /// <summary>Run ids this set owns (write-samples deletes only folders with these ids).</summary>
    public static IReadOnlyList<string> RunIds { get; } = new[]
    {
        "fin0001a", "fin0002b", "fin0003c", "fail004d", "crsh005e", "live006f", "resu007g", "offl008h",
    };

    /// <summary>Writes every sample run folder under <paramref name="wandbDir"/>; returns the folder paths.</summary>
    public static IReadOnlyList<string> Write(string wandbDir, DateTime anchorUtc)
    {
        if (anchorUtc.Kind != DateTimeKind.Utc) throw new ArgumentException("The anchor must be a UTC DateTime.", nameof(anchorUtc));
        Directory.CreateDirectory(wandbDir);
        return Plans(anchorUtc).Select(p => RunFolderWriter.Write(wandbDir, SampleRunBuilder.Build(p))).ToList();
    }

    internal static IEnumerable<SamplePlan> Plans(DateTime a)
    {
        yield return new SamplePlan
        {
            Id = "fin0001a", DisplayName = "brisk-river-1", CreatedUtc = a.AddDays(-6),
            LearningRate = 0.001, FinalAccuracy = 0.91, FinalLoss = 0.31,
            Group = "baseline", Tags = ["baseline"],
            StepCount = 10, SegmentSeconds = 1800, ExitCode = 0,
            Logged = [Model("fin0001a", "latest")],
            Used = [(ArtifactId(1001), "dataset", "mnist:v3")],
        };
        yield return new SamplePlan
        {
            Id = "fin0002b", DisplayName = "calm-forest-2", CreatedUtc = a.AddDays(-4), User = "ben",
            LearningRate = 0.01, FinalAccuracy = 0.95, FinalLoss = 0.18,
            Tags = ["sweep", "best"], SweepId = "swp01",
            StepCount = 10, SegmentSeconds = 4500, ExitCode = 0,
            Logged = [Model("fin0002b", "latest", "best")],
            Used = [(ArtifactId(1002), "dataset", "mnist:latest")],
        };
        yield return new SamplePlan
        {
            Id = "fin0003c", DisplayName = "dry-meadow-3", CreatedUtc = a.AddDays(-3),
            LearningRate = 0.05, FinalAccuracy = 0.88, FinalLoss = 0.42,
            Tags = ["sweep"], SweepId = "swp01",
            StepCount = 10, SegmentSeconds = 900, ExitCode = 0,
            Logged = [Artifact("fin0003c", "plot", "confusion", null, ["latest"], [("confusion.table.json", 18_432)])],
            Used = [(ArtifactId(1001), "dataset", "mnist:v3")],
        };
        yield return new SamplePlan
        {
            Id = "fail004d", DisplayName = "wild-storm-4", CreatedUtc = a.AddDays(-2), User = "ben",
            LearningRate = 0.1, FinalAccuracy = double.NaN, FinalLoss = double.PositiveInfinity,
            Tags = ["sweep"], SweepId = "swp01",
            StepCount = 5, SegmentSeconds = 300, ExitCode = 1,
        };
        yield return new SamplePlan
        {
            Id = "crsh005e", DisplayName = "lost-cloud-5", CreatedUtc = a.AddDays(-1), PythonEra = true,
            LearningRate = 0.02, FinalAccuracy = 0.8, FinalLoss = 0.55,
            StepCount = 8, SegmentSeconds = 1200,
        };
        yield return new SamplePlan
        {
            Id = "live006f", DisplayName = "eager-sun-6", CreatedUtc = a.AddMinutes(-10), Live = true,
            LearningRate = 0.005, LogLastWriteUtc = a,
        };
        // Resumed: the same id in two folders; the second continues steps and runtime.
        yield return new SamplePlan
        {
            Id = "resu007g", DisplayName = "second-wind-7", CreatedUtc = a.AddDays(-5),
            LearningRate = 0.003, Epochs = 5, FinalAccuracy = 0.7, FinalLoss = 0.6,
            StepCount = 5, SegmentSeconds = 1500,
        };
        yield return new SamplePlan
        {
            Id = "resu007g", DisplayName = "second-wind-7", CreatedUtc = a.AddDays(-5).AddHours(2),
            LearningRate = 0.003, Epochs = 10, FinalAccuracy = 0.89, FinalLoss = 0.27,
            Resumed = true, FirstStep = 5, PriorRuntime = 1500,
            StepCount = 5, SegmentSeconds = 1500, ExitCode = 0,
        };
        yield return new SamplePlan
        {
            Id = "offl008h", DisplayName = "quiet-lake-8", CreatedUtc = a.AddDays(-1), Offline = true,
            LearningRate = 0.001, FinalAccuracy = 0.9, FinalLoss = 0.3,
            StepCount = 10, SegmentSeconds = 600, ExitCode = 0, RemoveArchitecture = true,
            Logged = [Artifact("offl008h", "dataset", "mnist-prepared", "{\"rows\":60000}", ["latest"],
                [("train.npz", 47_040_016), ("test.npz", 7_840_016)], offline: true)],
        };
    }

    /// <summary>Server artifact id as UseArtifactRecord stores it: base64 of "Artifact:&lt;n&gt;".</summary>
    public static string ArtifactId(int n) => Convert.ToBase64String(Encoding.ASCII.GetBytes("Artifact:" + n));

    private static ArtifactSpec Model(string runId, params string[] aliases) =>
        Artifact(runId, "model", "model", "{\"framework\":\"torch\"}", aliases, [("model.pt", 4_718_592), ("config.json", 412)]);

    private static ArtifactSpec Artifact(string runId, string type, string name, string? metadataJson, string[] aliases,
        (string path, long size)[] files, bool offline = false) => new()
    {
        RunId = runId,
        Project = Project,
        Entity = offline ? null : Entity,
        Type = type,
        Name = name,
        Digest = SampleRunBuilder.Hex("artifact:" + runId + ":" + name, 32),
        MetadataJson = metadataJson,
        Aliases = aliases,
        Entries = files.Select(f => new ManifestEntry(f.path, SampleRunBuilder.B64Digest(runId + "/" + f.path), f.size)).ToList(),
        ClientId = SampleRunBuilder.Hex("client:" + runId + ":" + name, 32),
    };
}
