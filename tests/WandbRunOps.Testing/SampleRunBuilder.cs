using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace WandbRunOps.Testing;

/// <summary>Turns a <see cref="SamplePlan"/> into a <see cref="RunFolderSpec"/>: the .wandb records plus era-shaped files.</summary>
internal static class SampleRunBuilder
{
    public const string CoreVersion = "0.22.1";
    public const string PythonEraVersion = "0.12.21";
    public const string PythonVersion = "3.11.9";
    public const string PythonEraPythonVersion = "3.9.18";
    public const string Os = "Linux-6.8.0-45-generic-x86_64-with-glibc2.39";
    public const string GitRemote = "https://github.com/acme-ml/mnist-sweep.git";

    public static RunFolderSpec Build(SamplePlan p)
    {
        var records = p.PythonEra ? PythonEraRecords(p) : CoreRecords(p);
        DateTime lastActive = p.Live ? p.CreatedUtc : p.EndUtc;
        return new RunFolderSpec
        {
            RunId = p.Id,
            FolderTime = p.CreatedUtc,
            Offline = p.Offline,
            Era = p.PythonEra ? RunEra.Python : RunEra.Core,
            Records = records,
            // wandb-core offline runs have no metadata files (protocol notes §2.2).
            ConfigFile = p.Offline ? null : ConfigFile(p),
            // A crashed Python-era run is left without a summary file so readers must derive it from history.
            SummaryFile = p.Offline || p.PythonEra || p.Live ? null : SummaryFile(p),
            MetadataFile = p.Offline ? null : MetadataFile(p),
            LastWriteUtc = lastActive,
            LogLastWriteUtc = p.LogLastWriteUtc ?? lastActive,
        };
    }

    // ---- .wandb records ----

    private static List<byte[]> CoreRecords(SamplePlan p)
    {
        var log = new List<byte[]>();
        long num = 0;
        void Add(Func<long, byte[]> make) => log.Add(make(++num));

        Add(n => Records.Header(CoreVersion, n));
        Add(n => Records.Run(RunSpec(p), n));
        if (p.Live)
        {
            // Still warming up: no history yet, one console line at its last activity. Its HeartbeatAt (and so its
            // Runtime) comes from that line; whether it is still running comes from the log's write time.
            Add(n => Records.Telemetry(CoreVersion, n));
            Add(n => Records.Summary(new[] { Item.ByPath(["status"], JsonText.Value("warming-up")) }, Array.Empty<Item>(), n));
            Add(n => Records.Output(p.LogLastWriteUtc ?? p.CreatedUtc, "downloading mnist: 100%", num: n));
            return log;
        }
        Add(n => Records.Environment(EnvSpec(p), n));
        Add(n => Records.Telemetry(CoreVersion, n));
        foreach (var (id, type, name) in p.Used) Add(n => Records.UseArtifact(id, type, name, n));
        if (p.RemoveArchitecture)
        {
            Add(n => Records.Config(new[] { Item.ByKey("architecture", JsonText.Value("cnn-small")) }, new[] { Item.Remove("architecture") }, n));
        }

        int statsAfter = p.FirstStep + p.StepCount / 2;
        foreach (int step in Steps(p))
        {
            List<Item> row = Row(p, step).Select(kv => Item.ByPath([kv.Key], kv.Value)).ToList();
            Add(n => Records.History(step, row, n));
            // wandb-core persists derived summary updates after each history flush.
            Add(n => Records.Summary(row, Array.Empty<Item>(), n));
            if (step == statsAfter) Add(n => Records.Stats(TimeAt(p, step), SystemStats(step), n));
        }

        foreach (ArtifactSpec artifact in p.Logged) Add(n => Records.Artifact(artifact, n));
        Add(n => Records.Summary(new[] { Item.ByPath(["_wandb", "runtime"], Int(p.TotalRuntime)) }, Array.Empty<Item>(), n));
        if (p.ExitCode is int code) Add(n => Records.Exit(code, p.TotalRuntime, n));
        return log;
    }

    /// <summary>0.12-style log: empty header, num unset, key items, output lines, no summary and no exit (crashed).</summary>
    private static List<byte[]> PythonEraRecords(SamplePlan p)
    {
        var log = new List<byte[]>
        {
            Records.Header(null),
            Records.Run(RunSpec(p)),
            Records.Telemetry(PythonEraVersion),
        };
        foreach (int step in Steps(p))
        {
            List<KeyValuePair<string, string>> row = Row(p, step);
            log.Add(Records.Output(TimeAt(p, step), $"epoch {step + 1}: accuracy={Acc(p, step)} loss={Loss(p, step)}"));
            log.Add(Records.History(step, row.Select(kv => Item.ByKey(kv.Key, kv.Value))));
            if (step == p.FirstStep + p.StepCount / 2) log.Add(Records.Stats(TimeAt(p, step), SystemStats(step)));
        }
        if (p.ExitCode is int code) log.Add(Records.Exit(code, p.TotalRuntime));
        return log;
    }

    private static RunSpec RunSpec(SamplePlan p) => new()
    {
        RunId = p.Id,
        Entity = p.Offline ? null : SampleSet.Entity,
        Project = SampleSet.Project,
        Config = ConfigValues(p).Select(kv => Item.ByKey(kv.Key, JsonText.Value(kv.Value))).Prepend(Item.ByKey("_wandb", "{}")).ToList(),
        RunGroup = p.Group,
        JobType = p.JobType,
        DisplayName = p.DisplayName,
        Tags = p.Tags,
        SweepId = p.SweepId,
        Host = "gpu-box-1",
        StartingStep = p.FirstStep,
        StartTime = p.CreatedUtc,
        Resumed = p.Resumed,
        Runtime = p.PriorRuntime,
        GitRemoteUrl = p.Offline ? null : GitRemote,
        GitCommit = p.Offline ? null : Hex("commit:" + p.Id, 40),
    };

    private static EnvSpec EnvSpec(SamplePlan p) => new()
    {
        Os = Os,
        Python = "CPython " + PythonVersion,
        StartedAt = p.CreatedUtc,
        Host = "gpu-box-1",
        Username = p.User,
        Email = Email(p.User),
        Program = "train.py",
        WriterId = WriterId(p),
    };

    // ---- metric rows ----

    private static IEnumerable<int> Steps(SamplePlan p) => Enumerable.Range(p.FirstStep, p.StepCount);

    private static int LastStep(SamplePlan p) => p.FirstStep + p.StepCount - 1;

    /// <summary>Seconds of run time at a step, counting prior (pre-resume) runtime.</summary>
    private static double RuntimeAt(SamplePlan p, int step) =>
        p.PriorRuntime + (double)p.SegmentSeconds * (step - p.FirstStep + 1) / p.StepCount;

    private static DateTime TimeAt(SamplePlan p, int step) => p.CreatedUtc.AddSeconds(RuntimeAt(p, step) - p.PriorRuntime);

    private static double Epoch(DateTime utc) => (utc - DateTime.UnixEpoch).TotalSeconds;

    // Curves that end exactly on the planned final value; a non-finite final appears only at the last step.
    private static double Acc(SamplePlan p, int step) => step == LastStep(p) ? p.FinalAccuracy
        : Math.Round((double.IsFinite(p.FinalAccuracy) ? p.FinalAccuracy : 0.42) - 0.03 * (LastStep(p) - step), 4);

    private static double Loss(SamplePlan p, int step) => step == LastStep(p) ? p.FinalLoss
        : Math.Round((double.IsFinite(p.FinalLoss) ? p.FinalLoss : 2.5) + 0.05 * (LastStep(p) - step), 4);

    private static List<KeyValuePair<string, string>> Row(SamplePlan p, int step) => new()
    {
        new("accuracy", JsonText.Number(Acc(p, step))),
        new("loss", JsonText.Number(Loss(p, step))),
        new("_step", Int(step)),
        new("_runtime", JsonText.Number(RuntimeAt(p, step))),
        new("_timestamp", JsonText.Number(Epoch(TimeAt(p, step)))),
    };

    private static IEnumerable<(string key, string valueJson)> SystemStats(int step) => new[]
    {
        ("cpu", JsonText.Number(20.5 + step)),
        ("memory_percent", JsonText.Number(41.25)),
        ("gpu.0.gpu", JsonText.Number(87.0)),
    };

    // ---- files/ ----

    /// <summary>User config in the order it was passed; "data.augment" is one key, not a path.</summary>
    private static JsonMap ConfigValues(SamplePlan p) => new()
    {
        { "learning_rate", p.LearningRate },
        { "batch_size", 64L },
        { "epochs", p.Epochs },
        { "optimizer", new JsonMap { { "name", "adam" }, { "beta1", 0.9 } } },
        { "architecture", "cnn-small" },
        { "data.augment", true },
    };

    private static JsonMap ConfigFile(SamplePlan p)
    {
        JsonMap config = ConfigValues(p);
        string version = p.PythonEra ? PythonEraVersion : CoreVersion;
        var wandb = p.PythonEra
            ? new JsonMap
            {
                { "cli_version", version },
                { "framework", "torch" },
                { "is_jupyter_run", false },
                { "is_kaggle_kernel", false },
                { "python_version", PythonEraPythonVersion },
                { "start_time", (long)Epoch(p.CreatedUtc) },
            }
            : new JsonMap
            {
                { "cli_version", version },
                { "m", Array.Empty<object?>() },
                { "python_version", PythonVersion },
                { "t", new JsonMap { { "1", new object?[] { 1L, 55L } }, { "2", new object?[] { 1L, 55L } }, { "3", new object?[] { 13L, 16L } },
                                     { "4", PythonVersion }, { "5", version }, { "12", version }, { "13", "linux-x86_64" } } },
            };
        config.Add("_wandb", wandb);
        return config;
    }

    private static JsonMap SummaryFile(SamplePlan p)
    {
        var summary = new JsonMap();
        foreach (var kv in Row(p, LastStep(p))) summary.Add(kv.Key, kv.Key == "_step" ? (object)(long)LastStep(p) : double.Parse(kv.Value, CultureInfo.InvariantCulture));
        summary.Add("_wandb", new JsonMap { { "runtime", (long)p.TotalRuntime } });
        return summary;
    }

    private static JsonMap MetadataFile(SamplePlan p)
    {
        var info = new MetadataInfo
        {
            Host = "gpu-box-1",
            Username = p.User,
            Email = Email(p.User),
            StartedUtc = p.CreatedUtc,
            HeartbeatUtc = p.EndUtc,
            Os = Os,
            Python = p.PythonEra ? PythonEraPythonVersion : PythonVersion,
            Program = "train.py",
            Args = new[] { "--lr", JsonText.Number(p.LearningRate), "--epochs", Int(p.Epochs) },
            Root = "/home/" + p.User + "/mnist-sweep",
            GitRemote = GitRemote,
            GitCommit = Hex("commit:" + p.Id, 40),
            WriterId = WriterId(p),
        };
        return p.PythonEra ? MetadataShapes.PythonEra(info) : MetadataShapes.CoreEra(info);
    }

    // ---- small deterministic helpers ----

    public static string Email(string user) => user + "@acme-ml.example";

    private static string WriterId(SamplePlan p) => Hex("writer:" + p.Id + ":" + p.FirstStep, 32);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Stable pseudo-random hex (digests, commits, ids) so the same anchor gives the same bytes.</summary>
    public static string Hex(string seed, int length)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return Convert.ToHexStringLower(hash)[..length];
    }

    /// <summary>Base64 of an MD5-sized digest, the shape of ArtifactManifestEntry.digest.</summary>
    public static string B64Digest(string seed) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(seed))[..16]);
}
