using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Module
{
    /// <summary>
    /// out/WandbRunOps holds exactly what a user imports: the manifest, format and types files, the help, the three
    /// module assemblies (the cmdlets, Core, and the nested loader WandbRunOps.ReadyToRun), the runtime dlls of Core's
    /// package dependencies as the restore resolved them — System.Text.Json and everything it brings only in
    /// bin/desktop (Windows PowerShell 5.1 loads them from there; PowerShell 7 has them in its runtime), the rest in
    /// bin — on a linux-x64 build machine the precompiled copies of Core and those bin packages in
    /// bin/net10.0-linux-x64 (PrecompiledCopiesTests checks what they are), and nothing else (no PowerShell reference
    /// assembly, no pdb in Release).
    /// </summary>
    public class BuiltModuleFolderTests
    {
        private static readonly string[] FixedFiles =
        {
            "WandbRunOps.psd1",
            "WandbRunOps.Format.ps1xml",
            "WandbRunOps.Types.ps1xml",
            "bin/WandbRunOps.dll",
            "bin/WandbRunOps.Core.dll",
            "bin/WandbRunOps.ReadyToRun.dll",
            "en-US/WandbRunOps.dll-Help.xml",
            "en-US/about_WandbRunOps.help.txt",
        };

        private static List<string> BuiltFiles()
        {
            Assert.True(Directory.Exists(RepoPaths.ModuleFolder), "The module is not built: run `dotnet build -c Release`.");
            return Directory.GetFiles(RepoPaths.ModuleFolder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepoPaths.ModuleFolder, f).Replace('\\', '/'))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>
        /// The runtime dlls of the packages src/WandbRunOps.Core restored for netstandard2.0 (placeholders excluded),
        /// each with whether it belongs to System.Text.Json's dependency closure.
        /// </summary>
        private static List<(string Dll, bool Desktop)> CoreRuntimePackageDlls()
        {
            string assets = Path.Combine(RepoPaths.Root, "src", "WandbRunOps.Core", "obj", "project.assets.json");
            Assert.True(File.Exists(assets), assets + " is missing: restore the solution first.");
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(assets));
            JsonElement targets = doc.RootElement.GetProperty("targets");

            // Older SDKs key the target by its full framework name, newer ones by the project's TFM alias.
            JsonElement target = targets.EnumerateObject()
                .Where(t => t.Name == ".NETStandard,Version=v2.0" || t.Name == "netstandard2.0")
                .Select(t => t.Value)
                .Single();

            var packages = target.EnumerateObject()
                .Where(l => !l.Value.TryGetProperty("type", out JsonElement type) || type.GetString() == "package")
                .ToDictionary(l => l.Name.Split('/')[0], l => l.Value, StringComparer.OrdinalIgnoreCase);

            // System.Text.Json and, transitively, every package it depends on.
            var closure = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pending = new Stack<string>(new[] { "System.Text.Json" });
            while (pending.Count > 0)
            {
                string id = pending.Pop();
                if (closure.Add(id) && packages.TryGetValue(id, out JsonElement package) && package.TryGetProperty("dependencies", out JsonElement dependencies))
                {
                    foreach (JsonProperty dependency in dependencies.EnumerateObject())
                    {
                        pending.Push(dependency.Name);
                    }
                }
            }

            var dlls = new List<(string, bool)>();
            foreach (var (id, package) in packages)
            {
                if (package.TryGetProperty("runtime", out JsonElement runtime))
                {
                    dlls.AddRange(runtime.EnumerateObject()
                        .Select(r => Path.GetFileName(r.Name))
                        .Where(name => name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                        .Select(name => (name, closure.Contains(id))));
                }
            }

            return dlls.Distinct().OrderBy(d => d.Item1, StringComparer.Ordinal).ToList();
        }

        private static IEnumerable<string> ExpectedPackageFiles() =>
            CoreRuntimePackageDlls().Select(d => (d.Desktop ? "bin/desktop/" : "bin/") + d.Dll);

        /// <summary>The precompiled copies a linux-x64 build machine lays out: Core and the package dlls of bin.</summary>
        private static IEnumerable<string> ExpectedPrecompiledFiles() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.OSArchitecture == Architecture.X64
                ? CoreRuntimePackageDlls().Where(d => !d.Desktop).Select(d => d.Dll).Append("WandbRunOps.Core.dll").Select(d => "bin/net10.0-linux-x64/" + d)
                : Enumerable.Empty<string>();

        [Fact]
        public void TheRestoreOutputNamesTheRuntimeDependenciesOnBothSides()
        {
            // Guards the derivation below: if it found nothing, the folder test would prove little.
            List<(string Dll, bool Desktop)> dlls = CoreRuntimePackageDlls();
            Assert.Contains(("YamlDotNet.dll", false), dlls);
            Assert.Contains(("csFastFloat.dll", false), dlls);
            Assert.Contains(("System.Text.Json.dll", true), dlls);
            Assert.Contains(("System.Memory.dll", true), dlls);
        }

        [Fact]
        public void TheModuleFolderHoldsExactlyTheExpectedFiles()
        {
            var expected = new List<string>(FixedFiles);
            expected.AddRange(ExpectedPackageFiles());
            expected.AddRange(ExpectedPrecompiledFiles());
#if DEBUG
            // The Debug layout adds the module's own symbols (LayOutModule).
            expected.Add("bin/WandbRunOps.pdb");
            expected.Add("bin/WandbRunOps.Core.pdb");
#endif
            expected.Sort(StringComparer.Ordinal);
            Assert.Equal(expected, BuiltFiles());
        }

        [Fact]
        public void NoFrameworkAssemblyIsInBinAndNoPowerShellAssemblyIsShipped()
        {
            // PowerShell 7 loads bin's dlls into its default context: a System.* copy there would fight the runtime's.
            List<string> files = BuiltFiles();
            Assert.DoesNotContain(files, f => f.EndsWith("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(files, f => f.StartsWith("bin/System.", StringComparison.OrdinalIgnoreCase));
            Assert.Contains("bin/desktop/System.Text.Json.dll", files);
            Assert.DoesNotContain(files, f => f.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase));
#if !DEBUG
            Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
#endif
        }

        [Fact]
        public void EveryDllIsTheModuleOrARestoredRuntimeDependencyInItsPlace()
        {
            var allowed = new HashSet<string>(ExpectedPackageFiles().Concat(ExpectedPrecompiledFiles()), StringComparer.OrdinalIgnoreCase)
            {
                "bin/WandbRunOps.dll", "bin/WandbRunOps.Core.dll", "bin/WandbRunOps.ReadyToRun.dll",
            };
            List<string> dlls = BuiltFiles().Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.All(dlls, f => Assert.True(allowed.Contains(f), f + " is not expected"));
            Assert.All(allowed, d => Assert.Contains(d, dlls));
        }
    }
}
