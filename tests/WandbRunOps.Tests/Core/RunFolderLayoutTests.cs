using System.Collections.Generic;
using System.IO;
using System.Linq;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>
    /// Folders that do not fit the SDK's layout (issue 13 point 8): each is decided, and said in a warning, never
    /// skipped or merged without a word. A folder under another name holding a run log is skipped (name it with -Path
    /// to read it); of two logs, the one named for the folder's run is read; a log named for another run is read as the
    /// folder's run, so it never merges into that other run nor doubles its id.
    /// </summary>
    public sealed class RunFolderLayoutTests
    {
        private static (IReadOnlyList<RunFolderGroup> Groups, List<string> Warnings, List<WandbException> Errors) Scan(string path)
        {
            var warnings = new List<string>();
            var errors = new List<WandbException>();
            IReadOnlyList<RunFolderGroup> groups = RunFolderScanner.Scan(new[] { path }, errors.Add, warnings.Add);
            return (groups, warnings, errors);
        }

        private static string Folder(string wandb, string id) => Directory.EnumerateDirectories(wandb).Single(d => d.EndsWith("-" + id, System.StringComparison.Ordinal));

        [Fact]
        public void TheSampleRunsScanWithoutWarnings()
        {
            using var temp = new TempDirectory();
            string wandb = temp.CopyFrom(RepoPaths.Samples, "wandb");

            var (groups, warnings, errors) = Scan(wandb);

            Assert.Equal(8, groups.Count);
            Assert.Empty(warnings);
            Assert.Empty(errors);
        }

        [Fact]
        public void AFolderUnderAnotherNameHoldingALogIsSkippedWithAWarning()
        {
            using var temp = new TempDirectory();
            string wandb = temp.CopyFrom(RepoPaths.Samples, "wandb");
            Directory.Move(Folder(wandb, "fin0002b"), Path.Combine(wandb, "copy of fin0002b"));
            Directory.CreateDirectory(Path.Combine(wandb, "sweep-abc123"));

            var (groups, warnings, _) = Scan(wandb);

            Assert.DoesNotContain(groups, g => g.RunId == "fin0002b");
            Assert.Equal(7, groups.Count);
            string warning = Assert.Single(warnings);
            Assert.Contains("copy of fin0002b", warning);
            Assert.Contains("-Path", warning);
        }

        [Fact]
        public void OfTwoLogsTheFoldersOwnIsReadAndTheOtherNamedInAWarning()
        {
            using var temp = new TempDirectory();
            string wandb = temp.CopyFrom(RepoPaths.Samples, "wandb");
            string folder = Folder(wandb, "fail004d");
            File.Copy(Path.Combine(Folder(wandb, "fin0001a"), "run-fin0001a.wandb"), Path.Combine(folder, "run-fin0001a.wandb"));

            var (groups, warnings, _) = Scan(wandb);

            RunFolderGroup group = Assert.Single(groups, g => g.RunId == "fail004d");
            Assert.Equal(Path.Combine(folder, "run-fail004d.wandb"), Assert.Single(group.Folders).LogPath);
            Assert.Single(groups, g => g.RunId == "fin0001a");
            string warning = Assert.Single(warnings);
            Assert.Contains("'run-fin0001a.wandb' ignored", warning);
        }

        [Fact]
        public void ALogNamedForAnotherRunIsReadAsTheFoldersRunNotMergedIntoTheOther()
        {
            using var temp = new TempDirectory();
            string wandb = temp.CopyFrom(RepoPaths.Samples, "wandb");
            string folder = Folder(wandb, "fin0002b");
            File.Move(Path.Combine(folder, "run-fin0002b.wandb"), Path.Combine(folder, "run-fin0003c.wandb"));

            var (groups, warnings, _) = Scan(wandb);

            Assert.Equal(8, groups.Count);
            Assert.Equal(groups.Count, groups.Select(g => g.RunId).Distinct().Count());
            RunFolderGroup own = Assert.Single(groups, g => g.RunId == "fin0002b");
            Assert.Equal(Path.Combine(folder, "run-fin0003c.wandb"), Assert.Single(own.Folders).LogPath);
            Assert.Single(Assert.Single(groups, g => g.RunId == "fin0003c").Folders);
            string warning = Assert.Single(warnings);
            Assert.Contains("named for run 'fin0002b' but its log is 'run-fin0003c.wandb'", warning);
        }
    }
}
