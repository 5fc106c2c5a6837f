using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>
    /// Runs a script in a separate PowerShell process (the repo's .NET tool, pwsh 7.6.9, with the built module
    /// imported), for commands that could end the process they run in (a stack overflow cannot be caught): a regression
    /// then fails the one test (exit code 134, no output) instead of ending the test host and the rest of the suite.
    /// </summary>
    public static class ChildPowerShell
    {
        private static readonly Lazy<string?> EntryLazy = new Lazy<string?>(FindEntry);

        /// <summary>pwsh.dll of the PowerShell the repo's tool manifest names, from the NuGet package folder; null when not restored.</summary>
        public static string? Entry => EntryLazy.Value;

        public static string MissingReason => "The repo's PowerShell tool is not restored (run `dotnet tool restore`); pwsh.dll was not found under " + PackageRoot + ".";

        private static string PackageRoot => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        /// <summary>Runs <paramref name="script"/> after importing the module from out/; the exit code and everything written to the console.</summary>
        public static (int ExitCode, string Output) Run(string script, int timeoutMs = 120_000)
        {
            string entry = Entry ?? throw new InvalidOperationException(MissingReason);
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.Root,
            };
            start.ArgumentList.Add(entry);
            foreach (string argument in new[] { "-NoProfile", "-NonInteractive", "-Command", "Import-Module '" + RepoPaths.ModuleManifest.Replace("'", "''", StringComparison.Ordinal) + "' -ErrorAction Stop; " + script })
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + dotnet);
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeoutMs))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("The child PowerShell did not finish in " + (timeoutMs / 1000) + " s: " + script);
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }

        private static string? FindEntry()
        {
            string manifest = Path.Combine(RepoPaths.Root, ".config", "dotnet-tools.json");
            Match version = File.Exists(manifest) ? Regex.Match(File.ReadAllText(manifest), "\"powershell\"\\s*:\\s*\\{[^}]*?\"version\"\\s*:\\s*\"([^\"]+)\"") : Match.Empty;
            string tools = Path.Combine(PackageRoot, "powershell", version.Success ? version.Groups[1].Value : "none", "tools");
            if (!Directory.Exists(tools))
            {
                return null;
            }

            string platform = OperatingSystem.IsWindows() ? "win" : "unix";
            return Directory.EnumerateFiles(tools, "pwsh.dll", SearchOption.AllDirectories)
                .FirstOrDefault(path => Path.GetFileName(Path.GetDirectoryName(path)) == platform);
        }
    }

    /// <summary>A test that needs <see cref="ChildPowerShell"/>: skipped, with the reason printed, where the tool is not restored.</summary>
    public sealed class ChildPowerShellFactAttribute : FactAttribute
    {
        public ChildPowerShellFactAttribute()
        {
            if (ChildPowerShell.Entry is null)
            {
                Skip = ChildPowerShell.MissingReason;
            }
        }
    }
}
