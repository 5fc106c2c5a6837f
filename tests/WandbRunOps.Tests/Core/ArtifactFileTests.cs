using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Artifacts;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>
    /// Artifact manifests (W&amp;B's JSON and the log's ArtifactRecord entries) and saving their files through the one
    /// FileSaver: verified against the manifest digest, nothing left under a name or as .partial when the bytes differ.
    /// </summary>
    public sealed class ArtifactFileTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void AManifestGivesEveryEntryInPathOrderWithReferencesMarked()
        {
            string json = "{\"version\": 1, \"storagePolicy\": \"wandb-storage-policy-v1\", \"storagePolicyConfig\": {\"storageLayout\": \"V2\"}, \"contents\": {" +
                "\"weights/model.bin\": {\"digest\": \"1B2M2Y8AsgTpgAmY7PhCfg==\", \"size\": 0}, " +
                "\"data/train.csv\": {\"digest\": \"\\\"9b2c\\\"\", \"size\": 1048576, \"ref\": \"s3://acme/train.csv\", \"extra\": {\"versionID\": \"x\"}}, " +
                "\"config.json\": {\"digest\": \"Pw4n8m1tHNFiJGNAZ2XlQw==\", \"size\": 8170.0}}}";
            IReadOnlyList<ArtifactManifestEntry> entries = ArtifactManifest.Parse(json, "e/p/model:v0");
            Assert.Equal(new[] { "config.json", "data/train.csv", "weights/model.bin" }, entries.Select(e => e.Path));
            Assert.Equal(new long[] { 8170, 1048576, 0 }, entries.Select(e => e.Size));
            Assert.Equal(new[] { false, true, false }, entries.Select(e => e.IsReference));
            Assert.Equal("s3://acme/train.csv", entries[1].Ref);
            Assert.True(ArtifactManifest.IsMd5(entries[0].Digest));
            Assert.False(ArtifactManifest.IsMd5(entries[1].Digest));
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("[1, 2]")]
        [InlineData("{\"version\": 1}")]
        [InlineData("{\"contents\": {\"a\": 3}}")]
        [InlineData("{\"contents\": {\"a\": {\"digest\": \"x\", \"size\": -4}}}")]
        [InlineData("{\"contents\": {\"a\": {\"digest\": \"x\", \"size\": \"many\"}}}")]
        public void AManifestOfAnotherShapeIsAProtocolErrorNamingTheArtifact(string json)
        {
            WandbException error = Assert.Throws<WandbException>(() => ArtifactManifest.Parse(json, "e/p/model:v0"));
            Assert.Equal(WandbErrorKind.ProtocolError, error.Kind);
            Assert.Equal("e/p/model:v0", error.Target);
        }

        [Fact]
        public void TheLogsManifestEntriesCarryPathDigestSizeReferenceAndLocalPath()
        {
            string wandb = _temp.Combine("wandb");
            ArtifactRunSet.Write(wandb, _temp.Combine("staging"), new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc));
            WandbArtifact weights = LoggedArtifacts(wandb).Single(a => a.Name == "weights");
            IReadOnlyList<ArtifactFile> files = Local().ArtifactFiles.List(weights, CancellationToken.None);

            Assert.Equal(new[] { "config.json", "data/train.csv", "labels/classes.txt", "weights/model.bin" }, files.Select(f => f.Entry.Path));
            foreach ((string path, byte[] bytes) in ArtifactRunSet.WeightsFiles)
            {
                ArtifactManifestEntry entry = files.Single(f => f.Entry.Path == path).Entry;
                Assert.Equal(Convert.ToBase64String(MD5.HashData(bytes)), entry.Digest);
                Assert.Equal(bytes.LongLength, entry.Size);
                Assert.Equal(bytes, File.ReadAllBytes(entry.LocalPath!));
            }

            Assert.Equal("s3://acme-datasets/mnist/train.csv", files.Single(f => f.Entry.IsReference).Entry.Ref);
            Assert.Equal(ArtifactRunSet.WeightsFiles.Sum(f => f.Bytes.LongLength) + 1_048_576, weights.Size);
        }

        [Fact]
        public async Task AStagedCopyIsSavedVerifiedAndSkippedOnceThere()
        {
            (FileSaver saver, ArtifactFile model) = StagedModel(out string destination);
            FileSavePlan plan = saver.Plan(FileToSave.Of(model), CancellationToken.None);
            Assert.Equal(FileSaveAction.Write, plan.Action);
            FileInfo saved = await saver.ApplyAsync(plan, null, CancellationToken.None);
            Assert.Equal(Path.Combine(destination, "weights", "model.bin"), saved.FullName);
            Assert.Equal(File.ReadAllBytes(model.Entry.LocalPath!), File.ReadAllBytes(saved.FullName));
            Assert.Equal(FileSaveAction.Skip, saver.Plan(FileToSave.Of(model), CancellationToken.None).Action);
        }

        [Fact]
        public async Task AStagedCopyThatNoLongerMatchesItsDigestIsAMismatchAndLeavesNothing()
        {
            (FileSaver saver, ArtifactFile model) = StagedModel(out string destination);
            byte[] bytes = File.ReadAllBytes(model.Entry.LocalPath!);
            bytes[100] ^= 0x55;
            File.WriteAllBytes(model.Entry.LocalPath!, bytes); // same size, other bytes: the cache was overwritten
            FileSavePlan plan = saver.Plan(FileToSave.Of(model), CancellationToken.None);
            var error = await Assert.ThrowsAsync<WandbException>(() => saver.ApplyAsync(plan, null, CancellationToken.None));
            Assert.Equal(WandbErrorKind.DigestMismatch, error.Kind);
            Assert.Equal(Path.Combine(destination, "weights", "model.bin"), error.Target);
            Assert.Empty(Directory.GetFiles(destination, "*", SearchOption.AllDirectories));
        }

        [Fact]
        public async Task AStagedCopyThatIsGoneIsPathNotFoundNamingIt()
        {
            (FileSaver saver, ArtifactFile model) = StagedModel(out string destination);
            File.Delete(model.Entry.LocalPath!);
            FileSavePlan plan = saver.Plan(FileToSave.Of(model), CancellationToken.None);
            var error = await Assert.ThrowsAsync<WandbException>(() => saver.ApplyAsync(plan, null, CancellationToken.None));
            Assert.Equal(WandbErrorKind.PathNotFound, error.Kind);
            Assert.Equal(model.Entry.LocalPath, error.Target);
            Assert.Empty(Directory.GetFiles(destination, "*", SearchOption.AllDirectories));
        }

        [Theory]
        [InlineData("../outside.txt")]
        [InlineData("a/../../outside.txt")]
        [InlineData("/etc/passwd")]
        [InlineData("\\windows\\x.txt")]
        public void APathThatLeavesTheDestinationIsRefused(string path)
        {
            var saver = new FileSaver(_temp.Combine("dest"), force: false);
            var error = Assert.Throws<WandbException>(() => saver.TargetOf(path, "File '" + path + "'"));
            Assert.Equal(WandbErrorKind.InvalidArgument, error.Kind);
            Assert.Equal(path, error.Target);
        }

        /// <summary>
        /// The real 0.10.20 offline run's code artifact: 54 entries whose local paths are the SDK's cache, which files
        /// each entry under the hex of its MD5 (<c>…/obj/md5/3f/0e27…</c>): the digest and the path, read apart, agree.
        /// </summary>
        [RealFixtureFact]
        public async Task TheRealCodeArtifactsEntriesAgreeWithTheirCachePaths()
        {
            List<WandbArtifact> logged = LoggedArtifacts(RepoPaths.RealFixture("sdk-0.10.20-offline", "wandb"));
            WandbArtifact code = Assert.Single(logged);
            Assert.Equal("source-g9dvvkua", code.Name);
            IReadOnlyList<ArtifactFile> files = Local().ArtifactFiles.List(code, CancellationToken.None);
            Assert.Equal(54, files.Count);
            Assert.Equal(code.FileCount, files.Count);
            Assert.Equal(code.Size, files.Sum(f => f.Entry.Size));
            Assert.Equal(files.Count, files.Select(f => f.Entry.Path).Distinct().Count());
            Assert.Contains(files, f => f.Entry.Path == "all_media_types.py" && f.Entry.Size == 8170);
            foreach (ArtifactFile file in files)
            {
                Assert.False(file.Entry.IsReference, file.Entry.Path);
                Assert.True(ArtifactManifest.IsMd5(file.Entry.Digest), file.Entry.Path);
                string[] parts = file.Entry.LocalPath!.Split('/');
                string hex = Convert.ToHexString(Convert.FromBase64String(file.Entry.Digest!)).ToLowerInvariant();
                Assert.Equal(hex, parts[^2] + parts[^1]);
                Assert.Equal("md5", parts[^3]);
            }

            // The cache was on the machine that ran it: every file is reported gone, none is written.
            var saver = new FileSaver(_temp.Combine("code"), force: false);
            var error = await Assert.ThrowsAsync<WandbException>(() => saver.ApplyAsync(saver.Plan(FileToSave.Of(files[0]), CancellationToken.None), null, CancellationToken.None));
            Assert.Equal(WandbErrorKind.PathNotFound, error.Kind);
            Assert.False(Directory.Exists(_temp.Combine("code")) && Directory.EnumerateFileSystemEntries(_temp.Combine("code"), "*", SearchOption.AllDirectories).Any(p => File.Exists(p)));
        }

        private static IRunSource Local() => RunSources.Local(Array.Empty<string>(), ReadDiagnostics.None);

        private static List<WandbArtifact> LoggedArtifacts(string wandb)
        {
            IRunSource source = RunSources.Local(new[] { wandb }, ReadDiagnostics.None);
            return source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None)
                .SelectMany(r => source.Artifacts.Read(r, ArtifactDirection.Logged, CancellationToken.None))
                .ToList();
        }

        private (FileSaver Saver, ArtifactFile Model) StagedModel(out string destination)
        {
            string wandb = _temp.Combine("wandb");
            ArtifactRunSet.Write(wandb, _temp.Combine("staging"), new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc));
            WandbArtifact weights = LoggedArtifacts(wandb).Single(a => a.Name == "weights");
            destination = _temp.Combine("dest");
            return (new FileSaver(destination, force: false), Local().ArtifactFiles.List(weights, CancellationToken.None).Single(f => f.Entry.Path == "weights/model.bin"));
        }
    }
}
