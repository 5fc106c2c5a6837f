using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Module
{
    /// <summary>
    /// Facts about the project that live in one place: the module version (Directory.Build.props), the SDK
    /// (global.json), package versions (Directory.Packages.props), the license and the project's address.
    /// </summary>
    public class ProjectFactsTests
    {
        private static string Read(params string[] parts) => File.ReadAllText(Path.Combine(RepoPaths.Root, Path.Combine(parts)));

        private static string ModuleVersion() =>
            XDocument.Parse(Read("Directory.Build.props")).Descendants("ModuleVersion").Single().Value;

        private static string ManifestValue(string text, string key) =>
            Regex.Match(text, @"(?m)^\s*" + key + @"\s*=\s*'([^']*)'").Groups[1].Value;

        [Fact]
        public void TheManifestTheHelpPageAndTheAssembliesSayTheVersionOfDirectoryBuildProps()
        {
            string version = ModuleVersion();
            Assert.Matches(@"^\d+\.\d+\.\d+$", version);
            Assert.Equal(version, ManifestValue(Read("module", "WandbRunOps.psd1"), "ModuleVersion"));
            Assert.Equal(version, ManifestValue(File.ReadAllText(RepoPaths.ModuleManifest), "ModuleVersion"));
            Assert.Equal(version, Regex.Match(Read("docs", "en-US", "WandbRunOps.md"), @"(?m)^Help Version:\s*(\S+)").Groups[1].Value);
            foreach (string dll in new[] { "WandbRunOps.dll", "WandbRunOps.Core.dll" })
            {
                string path = Path.Combine(RepoPaths.ModuleFolder, "bin", dll);
                Assert.Equal(version, FileVersionInfo.GetVersionInfo(path).ProductVersion?.Split('+')[0]);
                Assert.Equal(new Version(version + ".0"), AssemblyName.GetAssemblyName(path).Version);
            }
        }

        [Fact]
        public void TheBuildRefusesAManifestThatSaysAnotherVersion()
        {
            using var temp = new TempDirectory();
            string manifest = temp.Combine("WandbRunOps.psd1");
            string text = Read("module", "WandbRunOps.psd1");
            File.WriteAllText(manifest, Regex.Replace(text, @"(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "$1'9.9.9'"));

            (int failing, string failingOutput) = CheckModuleVersion(manifest);
            Assert.True(failing != 0, failingOutput);
            Assert.Contains("says ModuleVersion = '9.9.9', Directory.Build.props says ModuleVersion " + ModuleVersion(), failingOutput);

            File.WriteAllText(manifest, text);
            (int passing, string passingOutput) = CheckModuleVersion(manifest);
            Assert.True(passing == 0, passingOutput);
        }

        private static (int ExitCode, string Output) CheckModuleVersion(string manifest)
        {
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.Root,
            };
            foreach (string argument in new[] { "msbuild", Path.Combine("src", "WandbRunOps", "WandbRunOps.csproj"), "-t:CheckModuleVersion", "-p:ModuleManifestSource=" + manifest, "-nologo", "-v:q", "-nodeReuse:false" })
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "dotnet msbuild did not finish in 2 minutes");
            return (process.ExitCode, output + error.Result);
        }

        [Fact]
        public void TheManifestNamesTheProjectAndItsLicenseWhichIsInTheRepository()
        {
            string manifest = Read("module", "WandbRunOps.psd1");
            string project = ManifestValue(manifest, "ProjectUri");
            string docs = Regex.Match(Read("src", "WandbRunOps", "Base", "HelpLinks.cs"), "Docs = \"([^\"]*)\"").Groups[1].Value;
            Assert.Equal(project + "/blob/main/docs/en-US/", docs);
            Assert.Equal(project + "/blob/main/LICENSE", ManifestValue(manifest, "LicenseUri"));
            string license = Read("LICENSE");
            Assert.StartsWith("MIT License", license);
            Assert.Contains("Copyright (c) 2026 WandbRunOps contributors", license);
            Assert.Contains("MIT License", ManifestValue(manifest, "Copyright"));
        }

        [Fact]
        public void GlobalJsonPinsTheSdkMajorThatTheBuildToolsTarget()
        {
            using JsonDocument global = JsonDocument.Parse(Read("global.json"));
            JsonElement sdk = global.RootElement.GetProperty("sdk");
            string major = sdk.GetProperty("version").GetString()!.Split('.')[0];
            Assert.Equal("latestFeature", sdk.GetProperty("rollForward").GetString());

            // The help builder runs at build time on the SDK's runtime: its target framework needs that SDK.
            string framework = XDocument.Parse(Read("tools", "WandbRunOps.HelpBuilder", "WandbRunOps.HelpBuilder.csproj")).Descendants("TargetFramework").Single().Value;
            Assert.Equal("net" + major + ".0", framework);
            Assert.Contains("Needs only the .NET SDK " + major + ".", Read("README.md"));
            Assert.Equal(major, Environment.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void EveryPackageVersionIsSetCentrally()
        {
            XDocument central = XDocument.Parse(Read("Directory.Packages.props"));
            Assert.Equal("true", central.Descendants("ManagePackageVersionsCentrally").Single().Value);
            var versions = central.Descendants("PackageVersion").ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
            string[] projects = Directory.GetFiles(RepoPaths.Root, "*.csproj", SearchOption.AllDirectories)
                .Where(p => !p.Contains(Path.DirectorySeparatorChar + "out" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .ToArray();
            Assert.True(projects.Length >= 8, projects.Length + " projects found");
            foreach (string project in projects)
            {
                foreach (XElement reference in XDocument.Load(project).Descendants("PackageReference"))
                {
                    string id = (string)reference.Attribute("Include")!;
                    Assert.True(reference.Attribute("Version") is null, project + ": " + id + " sets its own version; set it in Directory.Packages.props");
                    Assert.True(versions.ContainsKey(id), project + ": " + id + " has no PackageVersion in Directory.Packages.props");
                }
            }

            // PowerShell 7.4 runs on .NET 8, whose System.Text.Json is 8.0: a newer major would not load there.
            Assert.StartsWith("8.0.", versions["System.Text.Json"]);
        }

        [Fact]
        public void TheProtocolFactsTheCodeCitesAreInTheRepository()
        {
            string protocol = Read("docs", "protocol.md");
            var sections = Regex.Matches(protocol, @"(?m)^#{2,3} (\d+(?:\.\d+)?)[ .]").Select(m => m.Groups[1].Value).ToHashSet();
            int citations = 0;
            foreach (string folder in new[] { "src", "tests", "tools", "bench", "docs" })
            {
                foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, folder), "*.*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".ps1", StringComparison.Ordinal))
                    .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                {
                    string text = File.ReadAllText(file);
                    Assert.False(text.Contains("research/" + "wandb-protocol", StringComparison.Ordinal), file + " cites a file outside the repository; cite docs/protocol.md");
                    foreach (Match cite in Regex.Matches(text, @"docs/protocol\.md, section (\d+(?:\.\d+)?)"))
                    {
                        citations++;
                        Assert.True(sections.Contains(cite.Groups[1].Value), file + " cites docs/protocol.md section " + cite.Groups[1].Value + ", which it does not have");
                    }
                }
            }

            Assert.True(citations >= 5, citations + " citations found");
        }

        [Fact]
        public void BuildPs1HasOneHelpCompilerAndNoPlatyPSTask()
        {
            string script = Read("build.ps1");
            Assert.Contains("[ValidateSet('Build', 'Test', 'Shell', 'Package')]", script);
            Assert.DoesNotContain("PlatyPS", script.Replace("no PlatyPS needed", string.Empty));
        }
    }
}
