using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace WandbRunOps.Bench;

/// <summary>
/// Runs one measurement in a fresh bench process (`--child name args...`), for figures the parent process would
/// distort: memory (its heap already holds earlier scenarios' data) and a truly cold import (the engine and module
/// already loaded). The child prints one `RESULT key=value ...` line; the parent reads it back.
/// </summary>
internal static class ChildRun
{
    public const string Flag = "--child";
    private const string Marker = "RESULT ";

    public static IReadOnlyDictionary<string, double> Run(string name, params string[] arguments) => Run(name, tieredCompilation: false, arguments);

    /// <param name="name">The measurement.</param>
    /// <param name="tieredCompilation">
    /// True to run the child with .NET's default tiered JIT, as pwsh runs (the bench itself turns it off so short
    /// measurements are not of warm-up).
    /// </param>
    /// <param name="arguments">The measurement's arguments.</param>
    public static IReadOnlyDictionary<string, double> Run(string name, bool tieredCompilation, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (tieredCompilation)
        {
            start.Environment["DOTNET_TieredCompilation"] = "1";
        }

        start.ArgumentList.Add(typeof(ChildRun).Assembly.Location);
        start.ArgumentList.Add(Flag);
        start.ArgumentList.Add(name);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start the bench child process.");
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException("The bench child '" + name + "' failed (exit " + process.ExitCode + "): " + output + errors.Result);
        }

        return line.Substring(Marker.Length).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Prints the child's result line.</summary>
    public static void Report(params (string Key, double Value)[] values) =>
        Console.WriteLine(Marker + string.Join(" ", values.Select(v => v.Key + "=" + v.Value.ToString("R", CultureInfo.InvariantCulture))));
}
