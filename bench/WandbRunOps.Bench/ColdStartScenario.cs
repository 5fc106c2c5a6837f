using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 11, the first command in a new shell (issue 18 goal 2): fresh PowerShell processes, started as a user
/// starts them, run `Import-Module` and the first `Get-WandbRun` over the samples; the floor is `pwsh -NoProfile
/// -Command 1` in processes started alternately with them, so load on the machine falls on both alike. Figures are
/// medians of wall time per process; each process also reports how many methods the JIT compiled, the part of the
/// cost that does not depend on the machine's load. Where the build precompiled the module for this runtime
/// (bin/net10.0-linux-x64), the first command also runs, in the same alternation, against a copy of the module
/// without that folder: the IL-only module, as every other runtime loads it.
/// </summary>
internal static class ColdStartScenario
{
    private const string Label = "11 cold start";

    public static void Measure(BenchTable table, int rounds)
    {
        if (!BuiltModule.IsBuilt(Label))
        {
            return;
        }

        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(BuiltModule.Manifest)!, "..", ".."));
        string samples = Path.Combine(root, "samples", "wandb");
        string? pwsh = PowerShellOfTheRepo(root);
        if (pwsh is null)
        {
            Console.WriteLine(Label + " skipped: the repository's PowerShell (dotnet tool restore) was not found.");
            return;
        }

        string count = "; [System.Runtime.JitInfo]::GetCompiledMethodCount($false)";
        string floor = "1" + count;
        string import = "Import-Module '" + BuiltModule.Manifest + "'" + count;
        string first = "Import-Module '" + BuiltModule.Manifest + "'; $null = Get-WandbRun -Path '" + samples + "'" + count;

        string moduleFolder = Path.GetDirectoryName(BuiltModule.Manifest)!;
        string precompiled = Path.Combine(moduleFolder, "bin", "net" + Environment.Version.Major + ".0-" + RuntimeInformation.RuntimeIdentifier);
        string? ilOnly = Directory.Exists(precompiled) ? CopyWithout(moduleFolder, precompiled) : null;
        string? firstIl = ilOnly is null ? null : "Import-Module '" + ilOnly + "'; $null = Get-WandbRun -Path '" + samples + "'" + count;
        try
        {
            // One unmeasured start of each: the first process after a build also pays for reading the files from disk.
            Start(pwsh, root, floor);
            Start(pwsh, root, first);
            if (firstIl is not null)
            {
                Start(pwsh, root, firstIl);
            }

            var runs = new Dictionary<string, List<(double Ms, long Methods)>> { ["floor"] = new(), ["import"] = new(), ["first"] = new(), ["first IL"] = new() };
            for (int round = 0; round < rounds; round++)
            {
                runs["floor"].Add(Start(pwsh, root, floor));
                runs["import"].Add(Start(pwsh, root, import));
                runs["first"].Add(Start(pwsh, root, first));
                if (firstIl is not null)
                {
                    runs["first IL"].Add(Start(pwsh, root, firstIl));
                }
            }

            Report(table, runs, rounds);
        }
        finally
        {
            if (ilOnly is not null)
            {
                Directory.Delete(Path.GetDirectoryName(ilOnly)!, recursive: true);
            }
        }
    }

    private static void Report(BenchTable table, Dictionary<string, List<(double Ms, long Methods)>> runs, int rounds)
    {

        double floorMs = Median(runs["floor"].Select(r => r.Ms));
        double importMs = Median(runs["import"].Select(r => r.Ms));
        double firstMs = Median(runs["first"].Select(r => r.Ms));
        long floorMethods = runs["floor"].Min(r => r.Methods);
        string spread = "; " + rounds + " processes each, alternating";
        table.Add(Label, "pwsh -NoProfile -Command 1 (floor)", floorMs, "ms", "median wall time of a process; " + floorMethods + " methods compiled by the JIT" + spread);
        table.Add(Label, "+ Import-Module", importMs - floorMs, "ms", "above the floor; " + (runs["import"].Min(r => r.Methods) - floorMethods) + " more methods compiled");
        table.Add(Label, "+ Import-Module + first Get-WandbRun", firstMs - floorMs, "ms",
            "above the floor (goal ≤ 250 ms); " + (runs["first"].Min(r => r.Methods) - floorMethods) + " more methods compiled");
        if (runs["first IL"].Count > 0)
        {
            table.Add(Label, "+ Import-Module + first Get-WandbRun, IL only", Median(runs["first IL"].Select(r => r.Ms)) - floorMs, "ms",
                "the same without the precompiled folder (bin/net" + Environment.Version.Major + ".0-" + RuntimeInformation.RuntimeIdentifier + "); " +
                (runs["first IL"].Min(r => r.Methods) - floorMethods) + " more methods compiled");
        }
    }

    /// <summary>A copy of the module folder without <paramref name="left"/>; returns the copy's manifest.</summary>
    private static string CopyWithout(string moduleFolder, string left)
    {
        string copy = Path.Combine(Path.GetTempPath(), "wandbrunops-il-" + Guid.NewGuid().ToString("N")[..8], "WandbRunOps");
        foreach (string file in Directory.GetFiles(moduleFolder, "*", SearchOption.AllDirectories))
        {
            if (file.StartsWith(left + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            string target = Path.Combine(copy, Path.GetRelativePath(moduleFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return Path.Combine(copy, "WandbRunOps.psd1");
    }

    /// <summary>The pwsh.dll of the PowerShell the repository's tool manifest installs (as `dotnet pwsh` runs it).</summary>
    private static string? PowerShellOfTheRepo(string root)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "pwsh", "-NoProfile", "-Command", "Join-Path (Split-Path ([psobject].Assembly.Location)) 'pwsh.dll'" })
        {
            start.ArgumentList.Add(argument);
        }

        Quiet(start);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && File.Exists(output) ? output : null;
    }

    /// <summary>One fresh PowerShell process running <paramref name="command"/>: its wall time, and the JIT's method count it printed last.</summary>
    private static (double Ms, long Methods) Start(string pwsh, string root, string command)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { pwsh, "-NoProfile", "-NonInteractive", "-Command", command })
        {
            start.ArgumentList.Add(argument);
        }

        Quiet(start);
        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        double ms = clock.Elapsed.TotalMilliseconds;
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? string.Empty;
        if (process.ExitCode != 0 || errors.Length > 0 || !long.TryParse(last, out long methods))
        {
            throw new InvalidOperationException("The cold-start process failed (exit " + process.ExitCode + "): " + command + "\n" + output + errors);
        }

        return (ms, methods);
    }

    /// <summary>As a user's shell would run, minus the telemetry that would try to leave the machine; tiered JIT as pwsh runs by default.</summary>
    private static void Quiet(ProcessStartInfo start)
    {
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("DOTNET_TieredCompilation");
        start.Environment.Remove("DOTNET_TieredPGO");
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
