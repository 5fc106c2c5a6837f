using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Module
{
    /// <summary>
    /// out/WandbRunOps holds exactly what a user imports: the manifest, format and types files, the help, the two
    /// module assemblies, and the runtime dlls of Core's package dependencies as the restore resolved them — nothing else
    /// (no PowerShell reference assembly, no System.Text.Json, no pdb in Release).
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

        /// <summary>The runtime dlls of the packages src/WandbRunOps.Core restored for netstandard2.0 (placeholders excluded).</summary>
        private static List<string> CoreRuntimePackageDlls()
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

            var dlls = new List<string>();
            foreach (JsonProperty library in target.EnumerateObject())
            {
                if (library.Value.TryGetProperty("type", out JsonElement type) && type.GetString() != "package")
                {
                    continue;
                }

                if (!library.Value.TryGetProperty("runtime", out JsonElement runtime))
                {
                    continue;
                }

                dlls.AddRange(runtime.EnumerateObject()
                    .Select(r => Path.GetFileName(r.Name))
                    .Where(name => name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)));
            }

            return dlls.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(d => d, StringComparer.Ordinal).ToList();
        }

        [Fact]
        public void TheRestoreOutputNamesYamlDotNetAsARuntimeDependency()
        {
            // Guards the derivation below: if it found nothing, the folder test would prove little.
            Assert.Contains("YamlDotNet.dll", CoreRuntimePackageDlls());
        }

        [Fact]
        public void TheModuleFolderHoldsExactlyTheExpectedFiles()
        {
            var expected = new List<string>(FixedFiles);
            expected.AddRange(CoreRuntimePackageDlls().Select(d => "bin/" + d));
#if DEBUG
            // The Debug layout adds the module's own symbols (LayOutModule).
            expected.Add("bin/WandbRunOps.pdb");
            expected.Add("bin/WandbRunOps.Core.pdb");
#endif
            expected.Sort(StringComparer.Ordinal);
            Assert.Equal(expected, BuiltFiles());
        }

        [Fact]
        public void NoFrameworkOrPowerShellAssemblyIsShipped()
        {
            List<string> files = BuiltFiles();
            Assert.DoesNotContain(files, f => f.EndsWith("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(files, f => f.EndsWith("System.Text.Json.dll", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith("System.", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(files, f => f.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase));
#if !DEBUG
            Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
#endif
        }

        [Fact]
        public void EveryDllInBinIsTheModuleOrARestoredRuntimeDependency()
        {
            var allowed = new HashSet<string>(CoreRuntimePackageDlls(), StringComparer.OrdinalIgnoreCase) { "WandbRunOps.dll", "WandbRunOps.Core.dll" };
            List<string> dlls = BuiltFiles().Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.All(dlls, f => Assert.True(f.StartsWith("bin/", StringComparison.Ordinal) && allowed.Contains(f.Substring(4)), f + " is not expected"));
            Assert.All(allowed, d => Assert.Contains("bin/" + d, dlls));
        }
    }
}
