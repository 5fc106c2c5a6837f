using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace WandbRunOps.Commands.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 only: loads System.Text.Json and the packages it needs from bin/desktop. .NET Framework
    /// does not probe a module's subfolders and has no binding redirects for its dlls (powershell.exe.config is not
    /// ours), so without this handler the first JSON write fails to load System.Text.Json, and its parts ask for older
    /// versions of each other than the ones shipped (System.Memory was built against an older
    /// System.Runtime.CompilerServices.Unsafe than the one its package set brings). PowerShell 7 has all of these in
    /// its runtime and never registers the handler.
    /// </summary>
    /// <remarks>
    /// It answers narrowly, so it cannot change what other modules load: only for a simple name that is a file in
    /// bin/desktop, only when the asking assembly is ours (bin) or one of those files (or unknown, which .NET Framework
    /// reports for some loads), and only with a copy whose version is at least the one asked for. Everything else is
    /// left to the next handler.
    /// </remarks>
    internal sealed class DesktopDependencyResolver
    {
        private readonly string _binFolder;
        private readonly string _desktopFolder;
        private readonly Dictionary<string, Candidate> _candidates;
        private readonly ConcurrentDictionary<string, Assembly> _loaded = new ConcurrentDictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Indexes bin/desktop beside <paramref name="binFolder"/> (a listing of a few files; versions are read on demand).</summary>
        public DesktopDependencyResolver(string binFolder)
        {
            _binFolder = binFolder;
            _desktopFolder = Path.Combine(binFolder, "desktop");
            _candidates = new Dictionary<string, Candidate>(StringComparer.OrdinalIgnoreCase);
            if (Directory.Exists(_desktopFolder))
            {
                foreach (string path in Directory.GetFiles(_desktopFolder, "*.dll"))
                {
                    _candidates[Path.GetFileNameWithoutExtension(path)] = new Candidate(path);
                }
            }
        }

        /// <summary>The simple names this resolver can answer for.</summary>
        public IEnumerable<string> Names => _candidates.Keys;

        /// <summary>The <see cref="AppDomain.AssemblyResolve"/> handler.</summary>
        public Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var requested = new AssemblyName(args.Name);
            string? requestingLocation = args.RequestingAssembly is { IsDynamic: false } requesting ? requesting.Location : null;
            if (requested.Name is null || !_candidates.TryGetValue(requested.Name, out Candidate? candidate))
            {
                return null;
            }

            if (Decide(requested, requestingLocation, _binFolder, candidate.Path, candidate.Version) is null)
            {
                return null;
            }

            // LoadFrom (not LoadFile): its load context lets the loaded dll's own references come back through here.
            return _loaded.GetOrAdd(candidate.Path, Assembly.LoadFrom);
        }

        /// <summary>
        /// The whole decision, free of the AppDomain: the file to load for <paramref name="requested"/>, or null to decline.
        /// </summary>
        /// <param name="requested">The assembly being resolved.</param>
        /// <param name="requestingLocation">The file of the assembly that asked, or null when .NET did not say.</param>
        /// <param name="binFolder">The module's bin folder; bin/desktop is beneath it.</param>
        /// <param name="candidatePath">The bin/desktop file with the requested simple name, or null when there is none.</param>
        /// <param name="candidateVersion">That file's assembly version.</param>
        internal static string? Decide(AssemblyName requested, string? requestingLocation, string binFolder, string? candidatePath, Version? candidateVersion)
        {
            if (candidatePath is null || candidateVersion is null || requested.Name is null)
            {
                return null;
            }

            if (!string.Equals(Path.GetFileNameWithoutExtension(candidatePath), requested.Name, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (requestingLocation is not null && !IsOurs(requestingLocation, binFolder))
            {
                return null;
            }

            if (requested.Version is not null && candidateVersion < requested.Version)
            {
                return null;
            }

            return candidatePath;
        }

        /// <summary>True for a file directly in bin (the module's dlls) or in bin/desktop (the closure asking for its own parts).</summary>
        private static bool IsOurs(string location, string binFolder)
        {
            if (location.Length == 0)
            {
                return false;
            }

            string folder = Path.GetDirectoryName(Path.GetFullPath(location)) ?? string.Empty;
            string bin = Path.GetFullPath(binFolder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return string.Equals(folder, bin, StringComparison.OrdinalIgnoreCase)
                || string.Equals(folder, Path.Combine(bin, "desktop"), StringComparison.OrdinalIgnoreCase);
        }

        private sealed class Candidate
        {
            private Version? _version;

            public Candidate(string path) => Path = path;

            public string Path { get; }

            /// <summary>Read from the file's metadata once, the first time its name is asked for.</summary>
            public Version? Version => _version ??= AssemblyName.GetAssemblyName(Path).Version;
        }
    }
}
