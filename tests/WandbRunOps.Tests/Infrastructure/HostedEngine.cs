using System;
using System.IO;
using System.Management.Automation.Runspaces;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>
    /// The one place the hosted engine is set up: PowerShell 7.6.9 from Microsoft.PowerShell.SDK, with every built-in
    /// module (Sort-Object, Format-Table, Export-Csv… are the real cmdlets), and the built module folder imported the
    /// way a user imports it.
    /// </summary>
    public static class HostedEngine
    {
        /// <summary>A session state for a runspace or a pool: the default engine plus WandbRunOps from out/WandbRunOps.</summary>
        public static InitialSessionState SessionState()
        {
            if (!File.Exists(RepoPaths.ModuleManifest))
            {
                throw new InvalidOperationException("The module is not built: " + RepoPaths.ModuleManifest + " is missing. Run `dotnet build -c Release`.");
            }

            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { RepoPaths.ModuleManifest });
            state.ThrowOnRunspaceOpenError = true;
            return state;
        }
    }
}
