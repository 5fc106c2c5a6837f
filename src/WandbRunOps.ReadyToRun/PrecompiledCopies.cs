using System;
using System.Management.Automation;

namespace WandbRunOps.ReadyToRun
{
    /// <summary>
    /// Runs when the module is imported, before the cmdlets (this assembly is the manifest's first nested module, and
    /// PowerShell imports nested modules before the root module). Where the build precompiled the module's assemblies
    /// for the running runtime (bin/net10.0-linux-x64 for PowerShell 7.6 on Linux x64), it registers the resolver
    /// that loads those copies; everywhere else (Windows PowerShell 5.1, other runtimes and platforms, or a module
    /// without the folder) it does nothing, and the IL copies in bin/ load as before.
    /// </summary>
    /// <remarks>
    /// It must run first: PowerShell loads WandbRunOps.Core while it reflects the cmdlet types of the root module,
    /// before the root module's own initializer runs, and an assembly once loaded stays loaded for the process.
    /// </remarks>
    public sealed class PrecompiledCopies : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static PrecompiledResolver? _registered;

        /// <summary>The resolver in effect (null where nothing is precompiled for this runtime, and after removal).</summary>
        internal static PrecompiledResolver? Registered => _registered;

        /// <summary>Registers the resolver when bin/ holds a folder precompiled for the running runtime.</summary>
        public void OnImport()
        {
            lock (Gate)
            {
                // Import-Module -Force runs OnImport again in the same process: one handler is enough.
                if (_registered is null)
                {
                    _registered = PrecompiledResolver.ForRunningRuntime(typeof(PrecompiledCopies).Assembly.Location);
                    _registered?.Register();
                }
            }
        }

        /// <summary>Unregisters the resolver, so a removed module leaves no handler behind.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (Gate)
            {
                _registered?.Unregister();
                _registered = null;
            }
        }
    }
}
