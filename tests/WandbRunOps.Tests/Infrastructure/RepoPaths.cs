using System;
using System.IO;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>Where the repository, the built module and the shared real fixtures are, found from the test binaries.</summary>
    public static class RepoPaths
    {
        private static readonly Lazy<string> RootLazy = new Lazy<string>(FindRoot);

        public static string Root => RootLazy.Value;

        /// <summary>The module folder a plain `dotnet build` lays out.</summary>
        public static string ModuleFolder => Path.Combine(Root, "out", "WandbRunOps");

        public static string ModuleManifest => Path.Combine(ModuleFolder, "WandbRunOps.psd1");

        public static string Samples => Path.Combine(Root, "samples", "wandb");

        /// <summary>../shared/fixtures/wandb-real beside the repo: present in CI and for the developers, absent in a user's clone.</summary>
        public static string RealFixtures => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", "wandb-real"));

        public static bool RealFixturesAvailable => Directory.Exists(RealFixtures);

        public static string RealFixture(params string[] parts) => Path.Combine(RealFixtures, Path.Combine(parts));

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WandbRunOps.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("WandbRunOps.sln was not found above " + AppContext.BaseDirectory);
        }
    }
}
