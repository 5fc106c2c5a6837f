using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Module
{
    /// <summary>
    /// The import-time version check (src/WandbRunOps/ModuleInit.cs). The test project does not reference the cmdlet
    /// assembly, so the pure check is reached by reflection in the built module's own WandbRunOps.dll.
    /// </summary>
    public class ModuleInitTests
    {
        private static readonly Lazy<Assembly> ModuleAssembly = new Lazy<Assembly>(() =>
        {
            string path = Path.Combine(RepoPaths.ModuleFolder, "bin", "WandbRunOps.dll");
            Assert.True(File.Exists(path), "The module is not built: " + path + " is missing. Run `dotnet build -c Release`.");
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && string.Equals(a.Location, path, StringComparison.Ordinal))
                ?? Assembly.LoadFrom(path);
        });

        /// <summary>The built module's WandbRunOps.dll (shared with the resolver tests).</summary>
        internal static Assembly LoadModuleAssembly() => ModuleAssembly.Value;

        private static Type MinimumVersionType => ModuleAssembly.Value.GetType("WandbRunOps.Commands.MinimumVersion", throwOnError: true)!;

        private static string? Check(Version version, string edition) =>
            (string?)MinimumVersionType.GetMethod("Check", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, new object[] { version, edition });

        private static T Call<T>(string method) => (T)MinimumVersionType.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;

        [Theory]
        [InlineData("5.1", "Desktop")]
        [InlineData("5.1.22621.4391", "Desktop")]
        [InlineData("7.4.0", "Core")]
        [InlineData("7.4.6", "Core")]
        [InlineData("7.5.0", "Core")]
        [InlineData("7.6", "Core")]
        [InlineData("7.6.0", "Core")]
        [InlineData("8.0", "Core")]
        public void SupportedVersionsImport(string version, string edition) => Assert.Null(Check(Version.Parse(version), edition));

        [Theory]
        [InlineData("7.2", "7.2")]
        [InlineData("7.2.24", "7.2.24")]
        [InlineData("7.3.9", "7.3.9")]
        [InlineData("7.0.0", "7.0.0")]
        [InlineData("6.2.7", "6.2.7")]
        public void PowerShell7BelowSevenFourIsRefusedWithAClearMessage(string version, string shown)
        {
            string? message = Check(Version.Parse(version), "Core");
            Assert.NotNull(message);
            Assert.Contains("requires PowerShell 7.4 or later", message);
            Assert.Contains("Windows PowerShell 5.1", message);
            Assert.Contains("this is PowerShell " + shown + ".", message);
        }

        [Fact]
        public void TheEditionNameIsCaseInsensitive() => Assert.Null(Check(new Version(5, 1), "desktop"));

        [Fact]
        public void TheHostingEngineIsSeenAsASupportedCorePowerShell()
        {
            // The tests host the real engine (System.Management.Automation 7.6.x): the check must read it as such.
            Version running = Call<Version>("RunningVersion");
            Assert.Equal("Core", Call<string>("RunningEdition"));
            Assert.Equal(typeof(PSObject).Assembly.GetName().Version, running);
            Assert.True(running >= new Version(7, 4), "running " + running);
            Assert.Null(Check(running, "Core"));
        }

        [Fact]
        public void TheInitializerIsPublicAndImplementsBothModuleHooks()
        {
            Type init = ModuleAssembly.Value.GetType("WandbRunOps.Commands.ModuleInit", throwOnError: true)!;
            Assert.True(init.IsPublic && !init.IsAbstract, "PowerShell only runs public, concrete initializers");
            Assert.True(typeof(IModuleAssemblyInitializer).IsAssignableFrom(init));
            Assert.True(typeof(IModuleAssemblyCleanup).IsAssignableFrom(init));
        }

        [Fact]
        public void ImportAndRemoveRunTheHooksWithoutErrors()
        {
            using var ps = new ModuleRunspace();
            ScriptResult result = ps.Run("Remove-Module WandbRunOps -ErrorAction Stop; Import-Module -Name $args[0] -ErrorAction Stop; (Get-Module WandbRunOps).Name", RepoPaths.ModuleManifest).ThrowOnError();
            Assert.Equal("WandbRunOps", result.Output.Single().BaseObject);
        }
    }
}
