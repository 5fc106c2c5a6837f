using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace WandbRunOps.ReadyToRun
{
    /// <summary>
    /// Answers the default load context's requests for the module's dependencies (WandbRunOps.Core, YamlDotNet,
    /// csFastFloat) with the copies in bin/&lt;runtime folder&gt; that crossgen2 precompiled (ReadyToRun) for that runtime.
    /// </summary>
    /// <remarks>
    /// PowerShell 7 loads a binary module by path and its dependencies through the runtime's resolution, which asks
    /// AssemblyLoadContext.Default.Resolving before the LoadFrom fallback that finds them beside the module's dll:
    /// answering here is what chooses the precompiled copy, and answering nothing leaves bin/ to that fallback.
    /// AssemblyLoadContext is reached through reflection because the module targets netstandard2.0 (it is not there,
    /// and it does not exist on .NET Framework, where this class is never created). It answers narrowly: only names
    /// that are files in the folder, and only with a copy whose version is at least the one asked for.
    /// The root module (bin/WandbRunOps.dll) is not precompiled: PowerShell loads it by path while it reads the
    /// manifest, before it imports any nested module, so nothing of the module runs early enough to choose another copy.
    /// </remarks>
    internal sealed class PrecompiledResolver
    {
        private readonly Dictionary<string, string> _paths;
        private readonly ConcurrentDictionary<string, Version?> _versions = new ConcurrentDictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);
        private object? _context;
        private EventInfo? _resolving;
        private Delegate? _handler;
        private Func<string, Assembly>? _loadFromPath;

        /// <summary>Indexes the precompiled dlls of <paramref name="folder"/>.</summary>
        public PrecompiledResolver(string folder)
        {
            Folder = folder;
            _paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string path in Directory.GetFiles(folder, "*.dll"))
            {
                _paths[Path.GetFileNameWithoutExtension(path)] = path;
            }
        }

        /// <summary>The folder of precompiled copies.</summary>
        public string Folder { get; }

        /// <summary>The simple names this resolver answers for.</summary>
        public IEnumerable<string> Names => _paths.Keys;

        /// <summary>
        /// The resolver for the folder beside <paramref name="assemblyLocation"/> that is precompiled for the running
        /// runtime, or null when there is none (on .NET Framework, on a runtime or platform the build did not target,
        /// or when the folder was removed).
        /// </summary>
        public static PrecompiledResolver? ForRunningRuntime(string assemblyLocation)
        {
            string? name = RuntimeFolder.Name(RuntimeInformation.FrameworkDescription, Environment.Version, RuntimeFolder.RunningSystem(), RuntimeInformation.ProcessArchitecture);
            string bin = Path.GetDirectoryName(assemblyLocation) ?? string.Empty;
            if (name is null || !Directory.Exists(Path.Combine(bin, name)))
            {
                return null;
            }

            return new PrecompiledResolver(Path.Combine(bin, name));
        }

        /// <summary>Adds the handler to AssemblyLoadContext.Default.Resolving.</summary>
        public void Register()
        {
            Type contextType = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: true)!;
            _context = contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
            _resolving = contextType.GetEvent("Resolving")!;
            MethodInfo loadFromPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
            _loadFromPath = (Func<string, Assembly>)Delegate.CreateDelegate(typeof(Func<string, Assembly>), _context, loadFromPath);

            // The event's type is Func<AssemblyLoadContext, AssemblyName, Assembly?>; Resolve takes the context as object.
            _handler = Delegate.CreateDelegate(_resolving.EventHandlerType!, this, typeof(PrecompiledResolver).GetMethod(nameof(Resolve))!);
            _resolving.AddEventHandler(_context, _handler);
        }

        /// <summary>Removes the handler Register added.</summary>
        public void Unregister()
        {
            if (_resolving is not null && _handler is not null)
            {
                _resolving.RemoveEventHandler(_context, _handler);
                _handler = null;
            }
        }

        /// <summary>The Resolving handler: the precompiled copy of <paramref name="requested"/>, or null to let the next resolution step look.</summary>
        public Assembly? Resolve(object context, AssemblyName requested)
        {
            if (_loadFromPath is null || requested.Name is null || !_paths.TryGetValue(requested.Name, out string? path))
            {
                return null;
            }

            Version? available = _versions.GetOrAdd(path, p => AssemblyName.GetAssemblyName(p).Version);
            if (requested.Version is not null && (available is null || available < requested.Version))
            {
                return null;
            }

            return _loadFromPath(path);
        }
    }
}
