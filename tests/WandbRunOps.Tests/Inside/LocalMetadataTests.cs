using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Metadata;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Inside
{
    /// <summary>Run metadata read from run folders: wandb-metadata.json in each era's shape, else the log's environment record.</summary>
    public class LocalMetadataTests : IDisposable
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

        private readonly SampleRuns _samples = new SampleRuns();
        private readonly List<string> _warnings = new List<string>();

        public void Dispose() => _samples.Dispose();

        private LocalRunSource Source(string path) => new LocalRunSource(new[] { path }, new ReadDiagnostics(_warnings.Add, null));

        private RunMetadata Metadata(string path, string id)
        {
            LocalRunSource source = Source(path);
            WandbRun run = source.GetRuns(new RunSelector(new[] { id }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            return source.Metadata.Read(run, CancellationToken.None);
        }

        private static EnvSpec Environment(string program) => new EnvSpec
        {
            Os = "Linux-6.8.0",
            Python = "CPython 3.12.1",
            StartedAt = Start,
            Host = "gpu-box-9",
            Program = program,
            Args = new[] { "--lr", "0.01", "--name", "a b" },
            GitRemoteUrl = "https://github.com/acme/repo.git",
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            Executable = "/opt/conda/bin/python",
            CpuCount = 8,
            GpuType = "NVIDIA H100",
            GpuCount = 4,
        };

        private string WriteOffline(string id, params byte[][] records)
        {
            string wandb = _samples.Scratch(id + "/wandb");
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = id,
                FolderTime = Start,
                Offline = true,
                Records = new[] { Records.Header("0.21.0"), Records.Run(new RunSpec { RunId = id, Project = "p", StartTime = Start }) }.Concat(records).ToArray(),
            });
            return wandb;
        }

        [Fact]
        public void ASampleRunsMetadataFileGivesEveryFact()
        {
            RunMetadata metadata = Metadata(_samples.Wandb, "fin0001a");

            Assert.Equal("train.py", metadata.Program);
            Assert.Equal(new[] { "--lr", "0.001", "--epochs", "10" }, metadata.Args);
            Assert.Equal("https://github.com/acme-ml/mnist-sweep.git", metadata.GitRemote);
            Assert.Equal(40, metadata.GitCommit!.Length);
            Assert.Equal("gpu-box-1", metadata.Host);
            Assert.Equal("/usr/bin/python3", metadata.Executable);
            Assert.Equal(16, metadata.CpuCount);
            Assert.Equal(1, metadata.GpuCount);
            Assert.Equal("NVIDIA A10G", metadata.Gpu);
            Assert.Equal(DateTimeKind.Utc, metadata.StartedAt!.Value.Kind);
            Assert.Empty(_warnings);
        }

        [Fact]
        public void AnOfflineRunWithoutAMetadataFileIsReadFromItsFirstEnvironmentRecord()
        {
            string wandb = WriteOffline("offenv01", Records.Environment(Environment("train.py")), Records.Environment(Environment("second-writer.py")));

            RunMetadata metadata = Metadata(wandb, "offenv01");

            Assert.Equal("train.py", metadata.Program);
            Assert.Equal(new[] { "--lr", "0.01", "--name", "a b" }, metadata.Args);
            Assert.Equal("https://github.com/acme/repo.git", metadata.GitRemote);
            Assert.Equal("0123456789abcdef0123456789abcdef01234567", metadata.GitCommit);
            Assert.Equal("Linux-6.8.0", metadata.Os);
            Assert.Equal("CPython 3.12.1", metadata.Python);
            Assert.Equal("gpu-box-9", metadata.Host);
            Assert.Equal("/opt/conda/bin/python", metadata.Executable);
            Assert.Equal(8, metadata.CpuCount);
            Assert.Equal(4, metadata.GpuCount);
            Assert.Equal("NVIDIA H100", metadata.Gpu);
            Assert.Equal(Start, metadata.StartedAt);
        }

        [Fact]
        public void ARunThatRecordedNothingHasEveryFactNull()
        {
            string wandb = WriteOffline("nothing1");

            RunMetadata metadata = Metadata(wandb, "nothing1");

            Assert.True(metadata.IsEmpty);
            Assert.Empty(metadata.Args);
            Assert.Empty(_warnings);
        }

        [Fact]
        public void AMetadataFileThatIsNotJsonIsAWarningAndTheEnvironmentRecordIsRead()
        {
            string wandb = WriteOffline("badmeta1", Records.Environment(Environment("from-log.py")));
            string folder = Directory.GetDirectories(wandb).Single();
            Directory.CreateDirectory(Path.Combine(folder, "files"));
            File.WriteAllText(Path.Combine(folder, "files", "wandb-metadata.json"), "{\"program\": ");

            RunMetadata metadata = Metadata(wandb, "badmeta1");

            Assert.Equal("from-log.py", metadata.Program);
            Assert.Single(_warnings, w => w.Contains("wandb-metadata.json", StringComparison.Ordinal));
        }

        [Fact]
        public void TheFileShapesOfEveryEraAreRead()
        {
            var info = new MetadataInfo { StartedUtc = Start, Args = new[] { "-x" }, GitRemote = "git@host:r.git", GitCommit = "abc" };
            foreach (JsonMap shape in new[] { MetadataShapes.PythonEra(info), MetadataShapes.CoreEra(info), MetadataShapes.Legacy(info, "failed", 1, "p") })
            {
                var file = (WandbMap)Json.ExtendedJson.Parse(JsonText.Value(shape))!;
                RunMetadata metadata = RunMetadataJson.FromFile(file);
                Assert.Equal("train.py", metadata.Program);
                Assert.Equal(new[] { "-x" }, metadata.Args);
                Assert.Equal("git@host:r.git", metadata.GitRemote);
                Assert.Equal("abc", metadata.GitCommit);
                Assert.Equal(16, metadata.CpuCount);
                Assert.Equal(1, metadata.GpuCount);
                Assert.Equal(Start, metadata.StartedAt);
            }
        }

        [Fact]
        public void CountsInStringsAndMissingOrOddValuesAreReadAsTheyAre()
        {
            var file = (WandbMap)Json.ExtendedJson.Parse("{\"cpu_count\": \"12\", \"gpu_count\": 0, \"args\": [\"a\", 3], \"git\": {\"remoteUrl\": \"r\"}, \"host\": \"\", \"python\": null}")!;

            RunMetadata metadata = RunMetadataJson.FromFile(file);

            Assert.Equal(12, metadata.CpuCount);
            Assert.Equal(0, metadata.GpuCount);
            Assert.Equal(new[] { "a", "3" }, metadata.Args);
            Assert.Equal("r", metadata.GitRemote);
            Assert.Null(metadata.Host);
            Assert.Null(metadata.Python);
        }

        [Fact]
        public void AListedRunGivesTheFactsItsListingReadAndARebuiltRunObjectIsReadAgain()
        {
            LocalRunSource source = Source(_samples.Wandb);
            WandbRun listed = source.GetRuns(new RunSelector(new[] { "offl008h" }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            var rebuilt = new WandbRun { Id = "offl008h", Source = RunSource.Local, Folders = listed.Folders };

            RunMetadata fromListing = source.Metadata.Read(listed, CancellationToken.None);
            RunMetadata fromFolder = source.Metadata.Read(rebuilt, CancellationToken.None);

            Assert.Equal("train.py", fromListing.Program);
            Assert.Equal((fromListing.Program, fromListing.Host, fromListing.Python, fromListing.StartedAt), (fromFolder.Program, fromFolder.Host, fromFolder.Python, fromFolder.StartedAt));
        }

        [Fact]
        public void ARebuiltRunWhoseFolderIsGoneIsACatalogueError()
        {
            LocalRunSource source = Source(_samples.Wandb);
            WandbRun listed = source.GetRuns(new RunSelector(new[] { "fin0002b" }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            var rebuilt = new WandbRun { Id = "fin0002b", Source = RunSource.Local, Folders = listed.Folders };
            Directory.Delete(listed.Folders[0], true);

            WandbException error = Assert.Throws<WandbException>(() => source.Metadata.Read(rebuilt, CancellationToken.None));
            Assert.Equal(WandbErrorKind.PathNotFound, error.Kind);
        }
    }
}
