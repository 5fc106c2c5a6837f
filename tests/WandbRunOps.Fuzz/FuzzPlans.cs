using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace WandbRunOps.Fuzz;

/// <summary>The two fixed plans: the quick slice <c>dotnet test</c> runs, and the systematic part of the long run.</summary>
public static class FuzzPlans
{
    /// <summary>Files up to this size are cut at every offset in the long run.</summary>
    public const int SmallFileBytes = 16 * 1024;

    /// <summary>The real fixtures the quick slice uses: the Python-era and wandb-core-era small logs.</summary>
    public static readonly IReadOnlyList<string> QuickFixtures = new[]
    {
        Path.Combine("sdk-0.12.15-online", "wandb", "run-20220429_201847-2zuxwf70", "run-2zuxwf70.wandb"),
        Path.Combine("sdk-0.21.0-offline", "wandb", "offline-run-20250818_153628-tlqs7r45", "run-tlqs7r45.wandb"),
    };

    public const int QuickSeed = 20240607;

    /// <summary>The quick slice's synthetic logs (the hostile-values one at a reduced size).</summary>
    public static IReadOnlyList<FuzzSource> QuickSynthetic() => new[]
    {
        new FuzzSource("synthetic/multi-block", SyntheticLogs.MultiBlock(rows: 300)),
        new FuzzSource("synthetic/hostile-values", SyntheticLogs.HostileValues(hugeArrayLength: 20_000, hugeStringLength: 200_000)),
    };

    public static IReadOnlyList<FuzzSource> QuickRealFixtures(string fixturesDirectory) =>
        QuickFixtures.Select(f => new FuzzSource(f, File.ReadAllBytes(Path.Combine(fixturesDirectory, f)))).ToList();

    /// <summary>
    /// A few seconds: the undamaged logs, the small ones cut at every 3rd offset, and every mutation kind three times
    /// over each log, all from a fixed seed.
    /// </summary>
    public static void Quick(FuzzSession session, IReadOnlyList<FuzzSource> sources)
    {
        foreach (FuzzSource source in sources)
        {
            session.Pristine(source);
        }

        foreach (FuzzSource source in sources.Where(s => s.Bytes.Length <= SmallFileBytes))
        {
            session.TruncateEveryOffset(source, stride: 3);
        }

        long cases = sources.Count * LogMutations.All.Count * 3;
        session.RandomCases(sources, QuickSeed, index => index < cases);
    }

    /// <summary>The long run's systematic part: every log undamaged, and every small one cut at every offset.</summary>
    public static void Systematic(FuzzSession session, IReadOnlyList<FuzzSource> sources)
    {
        foreach (FuzzSource source in sources)
        {
            session.Pristine(source);
        }

        foreach (FuzzSource source in sources.Where(s => s.Bytes.Length <= SmallFileBytes))
        {
            session.TruncateEveryOffset(source);
        }
    }
}
