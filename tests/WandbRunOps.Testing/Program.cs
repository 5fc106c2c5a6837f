using System;
using System.IO;
using System.Linq;

namespace WandbRunOps.Testing;

/// <summary>
/// Command line: <c>write-samples &lt;wandbDir&gt; [--now]</c> regenerates the sample runs; <c>end-run &lt;log&gt;
/// &lt;exitCode&gt;</c> appends an exit record to a run's .wandb log, as the SDK does when the run ends (tests of
/// Wait-WandbRun end a live run this way).
/// </summary>
internal static class Program
{
    private const string Usage = "usage: WandbRunOps.Testing write-samples <wandbDir> [--now]\n"
        + "  Writes the sample run folders (anchor 2026-11-20T12:00:00Z, or the current second with --now).\n"
        + "       WandbRunOps.Testing end-run <log.wandb> <exitCode>\n"
        + "  Appends an exit record to a run's log.\n"
        + "       WandbRunOps.Testing write-artifact-run <wandbDir> <stagingDir>\n"
        + "  Writes run artf009i, whose logged artifacts' files are staged under <stagingDir>.";

    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "end-run" && int.TryParse(args[2], out int exitCode))
        {
            EndRun(args[1], exitCode);
            return 0;
        }

        if (args.Length == 3 && args[0] == "write-artifact-run")
        {
            Console.WriteLine(ArtifactRunSet.Write(Path.GetFullPath(args[1]), Path.GetFullPath(args[2]), TruncateToSecond(DateTime.UtcNow)));
            return 0;
        }

        if (args.Length is < 2 or > 3 || args[0] != "write-samples" || (args.Length == 3 && args[2] != "--now"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        string wandbDir = Path.GetFullPath(args[1]);
        DateTime anchor = args.Length == 3 ? TruncateToSecond(DateTime.UtcNow) : SampleSet.SnapshotAnchor;

        DeleteOwnedRunFolders(wandbDir);
        foreach (string dir in SampleSet.Write(wandbDir, anchor))
        {
            Console.WriteLine(Path.GetRelativePath(Environment.CurrentDirectory, dir));
        }
        Console.WriteLine($"anchor {anchor:yyyy-MM-ddTHH:mm:ssZ}, {SampleSet.RunIds.Count} runs in {wandbDir}");
        return 0;
    }

    private static void EndRun(string log, int exitCode) => WandbLogWriter.Append(log, Records.Exit(exitCode, runtimeSeconds: 60));

    private static DateTime TruncateToSecond(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    // Only run folders of the sample ids go, so a wandb/ dir with other runs in it is left alone.
    private static void DeleteOwnedRunFolders(string wandbDir)
    {
        if (!Directory.Exists(wandbDir)) return;
        foreach (string dir in Directory.GetDirectories(wandbDir))
        {
            string name = Path.GetFileName(dir);
            bool runFolder = name.StartsWith("run-", StringComparison.Ordinal) || name.StartsWith("offline-run-", StringComparison.Ordinal);
            if (runFolder && SampleSet.RunIds.Any(id => name.EndsWith("-" + id, StringComparison.Ordinal)))
                Directory.Delete(dir, recursive: true);
        }
    }
}
