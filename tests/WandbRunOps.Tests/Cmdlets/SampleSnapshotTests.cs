using System;
using System.IO;
using System.Linq;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    /// <summary>samples/wandb is what the project's writer makes for the snapshot anchor, byte for byte: it cannot rot.</summary>
    public class SampleSnapshotTests
    {
        [Fact]
        public void CommittedSamplesAreTheWritersOutput()
        {
            using var temp = new TempDirectory();
            string fresh = temp.Combine("wandb");
            Directory.CreateDirectory(fresh);
            SampleSet.Write(fresh, SampleSet.SnapshotAnchor);

            string[] expected = Files(fresh);
            Assert.Equal(expected, Files(RepoPaths.Samples));
            foreach (string file in expected)
            {
                Assert.True(
                    File.ReadAllBytes(Path.Combine(fresh, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(RepoPaths.Samples, file))),
                    file + " differs from the writer's output: regenerate with `dotnet run --project tests/WandbRunOps.Testing -- write-samples samples/wandb`.");
            }
        }

        private static string[] Files(string root) =>
            Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal).ToArray();
    }
}
