using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Artifacts;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Files;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Api
{
    /// <summary>
    /// An API artifact's files: its manifest (digests, sizes, references) joined with its stored files' direct URLs, in
    /// a number of requests that does not grow with the file count up to a page; saved through the one FileSaver.
    /// </summary>
    public sealed class ApiArtifactFilesTests : IAsyncLifetime, IDisposable
    {
        private const int FileCount = 40;
        private readonly TempDirectory _temp = new TempDirectory();
        private FakeWandbServer _server = null!;

        public async Task InitializeAsync()
        {
            FakeDataset data = FakeData.Synthetic(1);
            var artifact = new FakeArtifact
            {
                Id = WandbEncoding.StorageId("Artifact", 777), Name = "model", ProjectEntity = FakeData.Entity, ProjectName = FakeData.Project,
                VersionIndex = 3, Type = "model", Aliases = new List<string> { "production" }, Digest = "abc", CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            };
            for (int i = 0; i < FileCount; i++)
            {
                artifact.Files.Add(FakeArtifactFile.FromBytes("shards/part-" + i.ToString("D3") + ".bin", Enumerable.Range(0, 1000 + i).Select(b => (byte)(b * i)).ToArray()));
            }

            artifact.Files.Add(new FakeArtifactFile { Path = "data/train.csv", Size = 10, Digest = "\"etag\"", Ref = "gs://bucket/train.csv" });
            artifact.FileCount = artifact.Files.Count;

            // Another run's model:v3 (the server has not told the two apart), listed first: files are served by the
            // version's id, so its other bytes under the same paths never reach the production version's download.
            var twin = new FakeArtifact
            {
                Id = WandbEncoding.StorageId("Artifact", 778), Name = "model", ProjectEntity = FakeData.Entity, ProjectName = FakeData.Project,
                VersionIndex = 3, Type = "model", Digest = "def", CreatedAt = artifact.CreatedAt,
                Files = artifact.Files.Where(f => f.Ref is null).Select(f => FakeArtifactFile.FromBytes(f.Path, new byte[f.Size])).ToList(),
            };
            data.Projects[0].Runs[0].Logged.Add(twin);
            data.Projects[0].Runs[0].Logged.Add(artifact);
            _server = await FakeWandbServer.StartAsync(data);
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void TheManifestAndTheFilesListingGiveEveryEntryInThreeRequests()
        {
            IReadOnlyList<ArtifactFile> files = Reader().List(Production(), CancellationToken.None);
            Assert.Equal(FileCount + 1, files.Count);
            ArtifactFile reference = Assert.Single(files, f => f.Entry.IsReference);
            Assert.Equal("gs://bucket/train.csv", reference.Entry.Ref);
            Assert.All(files.Where(f => !f.Entry.IsReference), f => Assert.True(ArtifactManifest.IsMd5(f.Entry.Digest) && f.DirectUrl is not null, f.Entry.Path));
            Assert.Equal("acme-ml/mnist-sweep/model:v3/shards/part-000.bin", files.Single(f => f.Entry.Path == "shards/part-000.bin").Target);
            Assert.Equal("data/train.csv", files.First().Entry.Path); // path order (ordinal)

            // The manifest query, the manifest's download and one page of files: nothing per file.
            Assert.Equal(2, _server.Requests.Count(r => r.OperationName is "ArtifactManifest" or "ArtifactFiles"));
            Assert.Single(_server.FileRequests, r => r.Path.EndsWith("/manifest", StringComparison.Ordinal));
        }

        [Fact]
        public async Task EachFileIsDownloadedVerifiedAndABadOneLeavesNothing()
        {
            IReadOnlyList<ArtifactFile> files = Reader().List(Production(), CancellationToken.None);
            var saver = new FileSaver(_temp.Combine("dest"), force: false);
            _server.FileFaults.Enqueue(new CorruptBodyFault(), 1, new FaultTarget(VariablesContain: "part-007.bin"));
            var errors = new List<WandbException>();
            foreach (ArtifactFile file in files.Where(f => !f.Entry.IsReference))
            {
                try
                {
                    await saver.ApplyAsync(saver.Plan(FileToSave.Of(file), CancellationToken.None), null, CancellationToken.None);
                }
                catch (WandbException e)
                {
                    errors.Add(e);
                }
            }

            WandbException error = Assert.Single(errors);
            Assert.Equal(WandbErrorKind.DigestMismatch, error.Kind);
            Assert.Equal(_temp.Combine("dest", "shards", "part-007.bin"), error.Target);
            string[] saved = Directory.GetFiles(_temp.Combine("dest"), "*", SearchOption.AllDirectories);
            Assert.Equal(FileCount - 1, saved.Length);
            Assert.DoesNotContain(saved, p => p.EndsWith(".partial", StringComparison.Ordinal) || p.EndsWith("part-007.bin", StringComparison.Ordinal));
        }

        [Fact]
        public void AnArtifactTheServerDoesNotHaveIsArtifactNotFound()
        {
            WandbArtifact gone = Production();
            gone.Id = WandbEncoding.StorageId("Artifact", 999_999);
            WandbException error = Assert.Throws<WandbException>(() => Reader().List(gone, CancellationToken.None));
            Assert.Equal(WandbErrorKind.ArtifactNotFound, error.Kind);
            Assert.Equal("acme-ml/mnist-sweep/model:v3", error.Target);
        }

        private static WandbArtifact Production() => new WandbArtifact
        {
            Id = WandbEncoding.StorageId("Artifact", 777), Name = "model", Version = "v3", VersionIndex = 3, Entity = FakeData.Entity, Project = FakeData.Project, Reference = "model:v3",
        };

        private Sources.IArtifactFileReader Reader() =>
            new ApiRunSource(new GraphQLClient(new Uri(_server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter)), FakeData.Entity, FakeData.Project, ReadDiagnostics.None).ArtifactFiles;
    }
}
