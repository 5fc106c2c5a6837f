using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Module
{
    /// <summary>
    /// The precompiled copies in out/WandbRunOps/bin/net10.0-linux-x64 (src/WandbRunOps.ReadyToRun): built on a
    /// linux-x64 machine for PowerShell 7.6 (.NET 10) from the very IL beside them in bin/, so that a stale copy cannot
    /// ship; and the folder name the build writes is the one the nested loader looks for. The loader is reached by
    /// reflection in the built module's WandbRunOps.ReadyToRun.dll, as the test project does not reference it.
    /// </summary>
    public class PrecompiledCopiesTests
    {
        private const string Folder = "net10.0-linux-x64";

        private static readonly Lazy<Assembly> Loader = new Lazy<Assembly>(() =>
        {
            string path = Path.Combine(RepoPaths.ModuleFolder, "bin", "WandbRunOps.ReadyToRun.dll");
            Assert.True(File.Exists(path), "The module is not built: " + path + " is missing. Run `dotnet build -c Release`.");
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && string.Equals(a.Location, path, StringComparison.Ordinal))
                ?? Assembly.LoadFrom(path);
        });

        private static string Bin => Path.Combine(RepoPaths.ModuleFolder, "bin");

        private static string PrecompiledFolder => Path.Combine(Bin, Folder);

        /// <summary>The build precompiles where crossgen2's linux-x64 package runs: on a linux-x64 build machine.</summary>
        private static bool BuiltOnLinuxX64 => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.OSArchitecture == Architecture.X64;

        private static string? FolderName(string description, Version version, string? system, Architecture architecture) =>
            (string?)Loader.Value.GetType("WandbRunOps.ReadyToRun.RuntimeFolder", throwOnError: true)!
                .GetMethod("Name", BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, new object?[] { description, version, system, architecture });

        private static (Guid Mvid, Version Version, bool ReadyToRun) Read(string path)
        {
            using FileStream stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            MetadataReader metadata = pe.GetMetadataReader();
            Guid mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
            bool readyToRun = pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
            return (mvid, metadata.GetAssemblyDefinition().Version, readyToRun);
        }

        [Theory]
        [InlineData(".NET 10.0.12", "10.0.12", "linux", Architecture.X64, "net10.0-linux-x64")]
        [InlineData(".NET 8.0.11", "8.0.11", "linux", Architecture.X64, "net8.0-linux-x64")]
        [InlineData(".NET 10.0.12", "10.0.12", "osx", Architecture.Arm64, "net10.0-osx-arm64")]
        [InlineData(".NET 10.0.12", "10.0.12", "win", Architecture.X64, "net10.0-win-x64")]
        [InlineData(".NET 10.0.12", "10.0.12", "linux", Architecture.Arm, null)]
        [InlineData(".NET 10.0.12", "10.0.12", null, Architecture.X64, null)]
        [InlineData(".NET Framework 4.8.9032.0", "4.0.30319.42000", "win", Architecture.X64, null)]
        public void TheFolderIsNamedForTheRuntimeAndNoneOnDotNetFramework(string description, string version, string? system, Architecture architecture, string? expected) =>
            Assert.Equal(expected, FolderName(description, Version.Parse(version), system, architecture));

        [Fact]
        public void TheLoaderLooksForTheFolderTheBuildWritesOnThisRuntime()
        {
            // The tests run on .NET 10, the runtime of PowerShell 7.6: the name the loader computes here must be the build's.
            Type folder = Loader.Value.GetType("WandbRunOps.ReadyToRun.RuntimeFolder", throwOnError: true)!;
            string? system = (string?)folder.GetMethod("RunningSystem", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null);
            string? name = FolderName(RuntimeInformation.FrameworkDescription, Environment.Version, system, RuntimeInformation.ProcessArchitecture);
            if (BuiltOnLinuxX64)
            {
                Assert.Equal(Folder, name);
                Assert.True(Directory.Exists(PrecompiledFolder), PrecompiledFolder + " was not built");
            }
            else
            {
                Assert.False(Directory.Exists(PrecompiledFolder), "only a linux-x64 build machine precompiles; " + PrecompiledFolder + " is stale");
            }
        }

        [Fact]
        public void EachPrecompiledCopyIsReadyToRunCodeBuiltFromTheILBesideIt()
        {
            if (!BuiltOnLinuxX64)
            {
                Assert.False(Directory.Exists(PrecompiledFolder), PrecompiledFolder + " exists on a machine that does not precompile");
                return;
            }

            // Core and its packages' dlls, the ones PowerShell loads through resolution; not the two the manifest names.
            var expected = Directory.GetFiles(Bin, "*.dll").Select(Path.GetFileName)
                .Where(f => f != "WandbRunOps.dll" && f != "WandbRunOps.ReadyToRun.dll")
                .OrderBy(f => f, StringComparer.Ordinal).ToList();
            Assert.Contains("WandbRunOps.Core.dll", expected);
            Assert.Contains("YamlDotNet.dll", expected);
            Assert.Equal(expected, Directory.GetFiles(PrecompiledFolder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToList());

            foreach (string? dll in expected)
            {
                var il = Read(Path.Combine(Bin, dll!));
                var copy = Read(Path.Combine(PrecompiledFolder, dll!));
                Assert.False(il.ReadyToRun, dll + " in bin/ must stay IL only (Windows PowerShell 5.1 and other runtimes load it)");
                Assert.True(copy.ReadyToRun, dll + " in " + Folder + " has no precompiled code");
                Assert.True(il.Mvid == copy.Mvid, dll + " in " + Folder + " was not compiled from the IL in bin/ (module version ids " + copy.Mvid + " and " + il.Mvid + "): a stale copy");
                Assert.Equal(il.Version, copy.Version);
            }
        }

        [Fact]
        public void TheInitializerIsPublicAndImplementsBothModuleHooks()
        {
            Type init = Loader.Value.GetType("WandbRunOps.ReadyToRun.PrecompiledCopies", throwOnError: true)!;
            Assert.True(init.IsPublic && !init.IsAbstract, "PowerShell only runs public, concrete initializers");
            Assert.True(typeof(IModuleAssemblyInitializer).IsAssignableFrom(init));
            Assert.True(typeof(IModuleAssemblyCleanup).IsAssignableFrom(init));
        }

        [Fact]
        public void TheResolverAnswersOnlyForItsFilesAndVersionsItCanServe()
        {
            using var temp = new TempDirectory();
            File.Copy(Path.Combine(Bin, "WandbRunOps.Core.dll"), temp.Combine("WandbRunOps.Core.dll"));
            Type resolverType = Loader.Value.GetType("WandbRunOps.ReadyToRun.PrecompiledResolver", throwOnError: true)!;
            object resolver = Activator.CreateInstance(resolverType, BindingFlags.Public | BindingFlags.Instance, null, new object[] { temp.Path }, null)!;
            resolverType.GetMethod("Register")!.Invoke(resolver, null);
            try
            {
                MethodInfo resolve = resolverType.GetMethod("Resolve")!;
                Version built = AssemblyName.GetAssemblyName(temp.Combine("WandbRunOps.Core.dll")).Version!;
                Assert.Null(resolve.Invoke(resolver, new object[] { new object(), new AssemblyName("System.Text.Json") }));
                Assert.Null(resolve.Invoke(resolver, new object[] { new object(), new AssemblyName("WandbRunOps.Core, Version=" + new Version(built.Major + 1, 0, 0, 0)) }));
                Assert.Equal(new[] { "WandbRunOps.Core" }, ((IEnumerable<string>)resolverType.GetProperty("Names")!.GetValue(resolver)!).ToArray());
            }
            finally
            {
                resolverType.GetMethod("Unregister")!.Invoke(resolver, null);
            }
        }
    }
}
