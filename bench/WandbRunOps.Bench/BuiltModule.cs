using System;
using System.IO;

namespace WandbRunOps.Bench;

/// <summary>The module folder `dotnet build` lays out (out/WandbRunOps), as the hosted-runspace scenarios import it.</summary>
internal static class BuiltModule
{
    public static readonly string Manifest = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "out", "WandbRunOps", "WandbRunOps.psd1"));

    /// <summary>True when built; otherwise says which scenario is skipped and why.</summary>
    public static bool IsBuilt(string scenario)
    {
        if (File.Exists(Manifest))
        {
            return true;
        }

        Console.WriteLine(scenario + " skipped: " + Manifest + " is not built (run `dotnet build -c Release`).");
        return false;
    }
}
