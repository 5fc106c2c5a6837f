using System;
using System.Runtime.InteropServices;

namespace WandbRunOps.ReadyToRun
{
    /// <summary>
    /// The name of the bin/ subfolder precompiled for a runtime: net&lt;major&gt;.0-&lt;os&gt;-&lt;architecture&gt;, as
    /// the build names it (net10.0-linux-x64). A pure function, so the tests can ask it about any runtime.
    /// </summary>
    internal static class RuntimeFolder
    {
        /// <summary>
        /// The folder name for a runtime, or null on .NET Framework (Windows PowerShell 5.1 loads the IL copies only)
        /// and on a system or architecture that has no name here.
        /// </summary>
        /// <param name="frameworkDescription">RuntimeInformation.FrameworkDescription (".NET 10.0.12", ".NET Framework 4.8.9032.0").</param>
        /// <param name="runtimeVersion">Environment.Version (the runtime's version on .NET Core 3.0 and later).</param>
        /// <param name="system">"linux", "osx" or "win", or null for another system.</param>
        /// <param name="architecture">The process's architecture.</param>
        public static string? Name(string frameworkDescription, Version runtimeVersion, string? system, Architecture architecture)
        {
            if (frameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase) || system is null)
            {
                return null;
            }

            string? arch = architecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                _ => null,
            };
            return arch is null ? null : "net" + runtimeVersion.Major + ".0-" + system + "-" + arch;
        }

        /// <summary>The running system's name in the folder ("linux", "osx", "win"), or null for another.</summary>
        public static string? RunningSystem() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux" :
            RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" :
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win" : null;
    }
}
