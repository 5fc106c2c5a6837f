using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using WandbRunOps.Commands.Loading;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Runs when the module is imported. On Windows PowerShell 5.1 (Desktop) it registers the resolver that loads
    /// System.Text.Json's closure from bin/desktop; on PowerShell 7 (Core) it registers nothing (the runtime has them)
    /// and refuses versions below 7.4, the oldest PowerShell 7 this module supports.
    /// </summary>
    /// <remarks>
    /// Nothing in WandbRunOps.dll names a System.Text.Json type (a test checks every signature), so the first load of
    /// System.Text.Json happens inside Core code, after the handler exists.
    /// PowerShell runs OnImport once per import attempt; an exception thrown here ends Import-Module with that
    /// exception's message (observed on 7.6: FullyQualifiedErrorId
    /// "System.PlatformNotSupportedException,Microsoft.PowerShell.Commands.ImportModuleCommand") and the module is
    /// not added to the session.
    /// </remarks>
    public sealed class ModuleInit : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static DesktopDependencyResolver? _registered;

        /// <summary>The resolver in effect (Desktop only; null on PowerShell 7 and after the module is removed).</summary>
        internal static DesktopDependencyResolver? Registered => _registered;

        /// <summary>Checks the running PowerShell; throws (failing Import-Module) when it is too old.</summary>
        public void OnImport()
        {
            string edition = MinimumVersion.RunningEdition();
            string? error = MinimumVersion.Check(MinimumVersion.RunningVersion(), edition);
            if (error is not null)
            {
                throw new PlatformNotSupportedException(error);
            }

            if (edition == "Desktop")
            {
                lock (Gate)
                {
                    // Import-Module -Force runs OnImport again in the same AppDomain: one handler is enough.
                    if (_registered is null)
                    {
                        string bin = Path.GetDirectoryName(typeof(ModuleInit).Assembly.Location) ?? string.Empty;
                        _registered = new DesktopDependencyResolver(bin);
                        AppDomain.CurrentDomain.AssemblyResolve += _registered.Resolve;
                    }
                }
            }
        }

        /// <summary>Unregisters the Desktop resolver, so a removed module leaves no handler behind.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (Gate)
            {
                if (_registered is not null)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= _registered.Resolve;
                    _registered = null;
                }
            }
        }
    }

    /// <summary>The supported PowerShell versions, as a pure check the tests call with any version and edition.</summary>
    internal static class MinimumVersion
    {
        /// <summary>The oldest PowerShell 7 supported (the .NET 8 runtime; the manifest's 5.1 minimum covers Desktop).</summary>
        public static readonly Version Core = new Version(7, 4);

        /// <summary>An error message when this PowerShell cannot run the module, otherwise null.</summary>
        /// <param name="psVersion">The PowerShell version ($PSVersionTable.PSVersion).</param>
        /// <param name="edition">"Desktop" (Windows PowerShell) or "Core" (PowerShell 6 and later).</param>
        public static string? Check(Version psVersion, string edition)
        {
            if (psVersion is null)
            {
                throw new ArgumentNullException(nameof(psVersion));
            }

            if (string.Equals(edition, "Desktop", StringComparison.OrdinalIgnoreCase))
            {
                // Windows PowerShell 5.1; older Desktop versions are refused by the manifest's PowerShellVersion.
                return null;
            }

            if (new Version(psVersion.Major, Math.Max(0, psVersion.Minor)) >= Core)
            {
                return null;
            }

            return "WandbRunOps requires PowerShell " + Core.ToString(2) + " or later (or Windows PowerShell 5.1); this is PowerShell " +
                Display(psVersion) + ". Install a current PowerShell 7 from https://aka.ms/powershell and import the module there.";
        }

        /// <summary>
        /// The running PowerShell's version, from System.Management.Automation's assembly version (7.4.x on PowerShell
        /// 7.4; 3.0.0.0 on Windows PowerShell, where it is not used). PSVersionInfo is not in PowerShellStandard.
        /// </summary>
        public static Version RunningVersion() => typeof(PSObject).Assembly.GetName().Version ?? new Version(0, 0);

        /// <summary>"Desktop" on .NET Framework (Windows PowerShell), "Core" otherwise.</summary>
        public static string RunningEdition() =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase) ? "Desktop" : "Core";

        private static string Display(Version version) => version.Build >= 0 ? version.ToString(3) : version.ToString(2);
    }
}
