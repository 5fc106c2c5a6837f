using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace WandbRunOps.Fuzz;

/// <summary>
/// The long run: every real fixture and the synthetic logs, undamaged, cut at every offset (files up to
/// <see cref="FuzzPlans.SmallFileBytes"/>), then seeded random mutations until the time is up. Prints the figures table; exits 1
/// when any case crashed, hung or lost a record it owed. <c>--quick</c> runs the slice <c>dotnet test</c> runs instead.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: WandbRunOps.Fuzz [--seconds N] [--seed S] [--fixtures DIR] | --quick [--fixtures DIR]\n"
        + "  N seconds of random mutations after the systematic cases (default 60); S the seed (default 1);\n"
        + "  DIR the real fixtures (default ../shared/fixtures/wandb-real beside the repository);\n"
        + "  --quick: the fixed slice the xunit suite runs.";

    public static int Main(string[] args)
    {
        int seconds = 60;
        int seed = 1;
        string? fixtures = null;
        bool quick = false;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seconds):
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed):
                    i++;
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--fixtures" when value is not null:
                    fixtures = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        fixtures ??= DefaultFixtures();
        if (quick)
        {
            return Quick(fixtures);
        }

        var sources = FuzzSource.Synthetic().ToList();
        if (Directory.Exists(fixtures))
        {
            sources.InsertRange(0, FuzzSource.Fixtures(fixtures));
        }
        else
        {
            Console.WriteLine("Real fixtures not found at " + fixtures + "; synthetic logs only.");
        }

        var clock = Stopwatch.StartNew();
        using var session = new FuzzSession(TimeSpan.FromSeconds(30));
        FuzzPlans.Systematic(session, sources);
        double systematic = clock.Elapsed.TotalSeconds;
        long random = session.RandomCasesFor(sources, seed, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            "{0} logs ({1} real, {2} bytes in all); seed {3}; {4} systematic cases in {5:0}s, {6} random cases in {7:0}s.",
            sources.Count, sources.Count(s => !s.Name.StartsWith("synthetic/", StringComparison.Ordinal)), sources.Sum(s => (long)s.Bytes.Length),
            seed, session.Report.Total.Cases - random, systematic, random, clock.Elapsed.TotalSeconds - systematic));
        Console.Write(session.Report.Format());
        return session.Report.Failures.Count == 0 ? 0 : 1;
    }

    private static int Quick(string fixtures)
    {
        var clock = Stopwatch.StartNew();
        using var session = new FuzzSession(TimeSpan.FromSeconds(30));
        var sources = FuzzPlans.QuickSynthetic().ToList();
        if (Directory.Exists(fixtures))
        {
            sources.InsertRange(0, FuzzPlans.QuickRealFixtures(fixtures));
        }

        FuzzPlans.Quick(session, sources);
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "quick slice: {0} cases in {1:0.0}s.", session.Report.Total.Cases, clock.Elapsed.TotalSeconds));
        Console.Write(session.Report.Format());
        return session.Report.Failures.Count == 0 ? 0 : 1;
    }

    private static string DefaultFixtures()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WandbRunOps.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "wandb-real"));
            }
        }

        return Path.GetFullPath(Path.Combine("..", "shared", "fixtures", "wandb-real"));
    }
}
