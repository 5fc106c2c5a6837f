using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    /// <summary>
    /// Get-RunFile and Save-RunFile over both sources on the same runs: the sample runs, with more files added to
    /// fin0001a (nested media and code, an empty file, a link out of the run folder) before the loopback server reads them.
    /// </summary>
    public sealed class RunFileTests : IDisposable
    {
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
        private readonly ApiSamples _api;
        private readonly ModuleRunspace _ps;
        private readonly string _files;
        private readonly string _outside;

        public RunFileTests()
        {
            // The files go in before the server starts: it reads the run folders once.
            var samples = new SampleRuns();
            _files = Path.Combine(Directory.GetDirectories(samples.Wandb, "run-*-fin0001a").Single(), "files");
            Directory.CreateDirectory(Path.Combine(_files, "media", "images"));
            Directory.CreateDirectory(Path.Combine(_files, "code"));
            File.WriteAllBytes(Path.Combine(_files, "media", "images", "sample_0.png"), Enumerable.Range(0, 70000).Select(i => (byte)(i * 31)).ToArray());
            File.WriteAllText(Path.Combine(_files, "code", "train.py"), "print('hello')\n");
            File.WriteAllText(Path.Combine(_files, "output.log"), string.Empty);
            _outside = Path.Combine(samples.Scratch("outside"), "secret.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(_outside)!);
            File.WriteAllText(_outside, "not the run's");
            File.CreateSymbolicLink(Path.Combine(_files, "linked-out.txt"), _outside);
            _api = new ApiSamples(samples);
            _ps = _api.Runspace();
        }

        public void Dispose()
        {
            _ps.Dispose();
            _api.Dispose();
        }

        private static string Md5Of(byte[] bytes) => Convert.ToBase64String(MD5.HashData(bytes));

        [Fact]
        public void LocalFilesAreEveryRegularFileOfTheRunWithRelativeNamesSizesAndMd5()
        {
            ScriptResult result = _ps.Run("Get-RunFile -Id fin0001a");
            List<WandbRunFile> files = result.Of<WandbRunFile>();
            Assert.Equal(
                new[] { "code/train.py", "config.yaml", "media/images/sample_0.png", "output.log", "wandb-metadata.json", "wandb-summary.json" },
                files.Select(f => f.Name));
            WandbRunFile image = files[2];
            byte[] bytes = File.ReadAllBytes(Path.Combine(_files, "media", "images", "sample_0.png"));
            Assert.Equal((70000L, Md5Of(bytes)), (image.Size, image.Md5));
            Assert.Equal(Path.Combine(_files, "media", "images", "sample_0.png"), image.FullName);
            Assert.Equal(("fin0001a", "mnist-sweep", "acme-ml"), (image.RunId, image.RunProject, image.RunEntity));
            Assert.NotNull(image.RunPath);
            Assert.Null(image.Url);
            Assert.Null(image.UpdatedAt); // a write time is never shown (interface decisions: Runs)
            Assert.Equal("1B2M2Y8AsgTpgAmY7PhCfg==", files[3].Md5);

            // The link that leads out of the run folder is skipped, with a warning that names it.
            Assert.Contains(result.Warnings, w => w.Contains("linked-out.txt", StringComparison.Ordinal) && w.Contains("outside the run folder", StringComparison.Ordinal));
        }

        [Fact]
        public void BothSourcesGiveTheSameNamesSizesAndMd5OnTheSameRuns()
        {
            string Rows(string source) => string.Join("\n", _ps.Run("Get-WandbRun " + source + " | Get-RunFile | ForEach-Object { '{0} {1} {2} {3}' -f $_.RunId, $_.Name, $_.Size, $_.Md5 }")
                .ThrowOnError().Output.Select(o => o.ToString()).OrderBy(t => t, StringComparer.Ordinal));
            string local = Rows(string.Empty);
            Assert.Contains("fin0001a media/images/sample_0.png 70000 ", local, StringComparison.Ordinal);
            Assert.Equal(local, Rows(Api));
        }

        [Fact]
        public void ApiFilesHaveUrlUpdatedAtAndMd5FromTheServerAndNoFullName()
        {
            WandbRunFile file = _ps.Run("Get-RunFile " + Api + " -Id fin0001a -Name code/train.py").ThrowOnError().Of<WandbRunFile>().Single();
            Assert.Equal(_api.Server.BaseUrl + "/files/acme-ml/mnist-sweep/fin0001a/code/train.py", file.Url);
            Assert.Equal(DateTimeKind.Utc, file.UpdatedAt!.Value.Kind);
            Assert.Equal(Md5Of(System.Text.Encoding.UTF8.GetBytes("print('hello')\n")), file.Md5);
            Assert.Null(file.FullName);
            Assert.Null(file.RunPath);

            // A literal name goes to the server as names:, so only that file is listed there.
            Assert.Contains(_api.Server.Requests, r => r.OperationName == "RunFiles" && r.VariablesJson.Contains("\"names\":[\"code/train.py\"]", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("")]
        [InlineData(Api)]
        public void NameTakesWildcardsAndALiteralNameNoRunHasIsThatRunsError(string source)
        {
            Assert.Equal(new[] { "media/images/sample_0.png" }, _ps.Run("Get-RunFile " + source + " -Id fin0001a -Name 'MEDIA/*'").ThrowOnError().Of<WandbRunFile>().Select(f => f.Name));
            ScriptResult result = _ps.Run("Get-RunFile " + source + " -Id fin0001a, fin0002b -Name nope.txt, config.yaml");
            Assert.Equal(new[] { "fin0001a", "fin0002b" }, result.Of<WandbRunFile>().Select(f => f.RunId));
            Assert.Equal(2, result.Errors.Count);
            Assert.All(result.Errors, e => Assert.StartsWith("WandbPathNotFound,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
            Assert.EndsWith("fin0002b/nope.txt", result.Errors[1].TargetObject.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("")]
        [InlineData(Api)]
        public void SaveKeepsRelativePathsWritesIdenticalBytesAndSkipsWhatMatches(string source)
        {
            string destination = _api.Samples.Scratch("save" + source.Length);
            _ps.SetVariable("dest", destination);
            List<FileInfo> saved = _ps.Run("Get-WandbRun " + source + " -Id fin0001a | Save-RunFile -Destination $dest").ThrowOnError().Of<FileInfo>();
            Assert.Equal(6, saved.Count);
            foreach (string name in new[] { "code/train.py", "config.yaml", "media/images/sample_0.png", "output.log" })
            {
                string local = Path.Combine(_files, name.Replace('/', Path.DirectorySeparatorChar));
                string written = Path.Combine(destination, name.Replace('/', Path.DirectorySeparatorChar));
                Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(written));
            }

            Assert.Empty(Directory.GetFiles(destination, "*" + Files.FileSaver.PartialSuffix, SearchOption.AllDirectories));

            // Again: every file matches, nothing is written (the write times stay), and each is still emitted.
            string image = Path.Combine(destination, "media", "images", "sample_0.png");
            File.SetLastWriteTimeUtc(image, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            ScriptResult again = _ps.Run("Get-WandbRun " + source + " -Id fin0001a | Save-RunFile -Destination $dest -Verbose").ThrowOnError();
            Assert.Equal(6, again.Of<FileInfo>().Count);
            Assert.Equal(2001, File.GetLastWriteTimeUtc(image).Year);
            Assert.Contains(again.Verbose, v => v.Contains("sample_0.png", StringComparison.Ordinal) && v.Contains("same size and MD5", StringComparison.Ordinal));
        }

        [Fact]
        public void ADifferentFileIsLeftAloneWithoutForceAndReplacedWithIt()
        {
            string destination = _api.Samples.Scratch("force");
            Directory.CreateDirectory(destination);
            File.WriteAllText(Path.Combine(destination, "config.yaml"), "mine");
            _ps.SetVariable("dest", destination);
            ScriptResult refused = _ps.Run("Save-RunFile -Id fin0001a -Name config.yaml, wandb-summary.json -Destination $dest");
            ErrorRecord error = Assert.Single(refused.Errors);
            Assert.StartsWith("WandbInvalidArgument,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(Path.Combine(destination, "config.yaml"), error.TargetObject);
            Assert.Contains("-Force", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal("mine", File.ReadAllText(Path.Combine(destination, "config.yaml")));
            Assert.Single(refused.Of<FileInfo>()); // the other file went on

            _ps.Run("Save-RunFile -Id fin0001a -Name config.yaml -Destination $dest -Force").ThrowOnError();
            Assert.Equal(File.ReadAllText(Path.Combine(_files, "config.yaml")), File.ReadAllText(Path.Combine(destination, "config.yaml")));
        }

        [Fact]
        public void WhatIfWritesNothingAndNamesEachTarget()
        {
            string destination = _api.Samples.Scratch("whatif");
            _ps.SetVariable("dest", destination);
            ScriptResult result = _ps.Run("Save-RunFile -Id fin0001a -Destination $dest -WhatIf").ThrowOnError();
            Assert.Empty(result.Output);
            Assert.False(Directory.Exists(destination));
        }

        [Fact]
        public void SeveralRunsWithTheSameNameAreNotWrittenOverEachOther()
        {
            string destination = _api.Samples.Scratch("two-runs");
            _ps.SetVariable("dest", destination);
            ScriptResult result = _ps.Run("Get-WandbRun -Id fin0001a, fin0002b | Save-RunFile -Name config.yaml -Destination $dest");
            Assert.Single(result.Of<FileInfo>());
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Contains("run 'fin0001a' has a file of that name", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(File.ReadAllText(Path.Combine(_files, "config.yaml")), File.ReadAllText(Path.Combine(destination, "config.yaml")));
        }

        [Fact]
        public void DestinationIsResolvedAgainstTheCurrentLocation()
        {
            string here = _api.Samples.Scratch("here");
            Directory.CreateDirectory(here);
            _ps.SetLocation(here);
            _ps.Run("Save-RunFile -Path " + _api.Samples.Wandb + " -Id fin0001a -Name code/* -Destination ./out").ThrowOnError();
            Assert.True(File.Exists(Path.Combine(here, "out", "code", "train.py")));
        }

        [Theory]
        [InlineData(403, "WandbPermissionDenied,", ErrorCategory.PermissionDenied)]
        [InlineData(404, "WandbPathNotFound,", ErrorCategory.ObjectNotFound)]
        [InlineData(500, "WandbConnectionFailed,", ErrorCategory.ConnectionError)]
        public void AFailingDirectUrlIsThatFilesErrorAndTheRestGoOn(int status, string id, ErrorCategory category)
        {
            string destination = _api.Samples.Scratch("fault" + status);
            _ps.SetVariable("dest", destination);
            _api.Server.FileFaults.Enqueue(new StatusFault(status, "<Error/>", "application/xml"), 20, new FaultTarget(VariablesContain: "sample_0.png"));
            ScriptResult result = _ps.Run("Save-RunFile " + Api + " -Id fin0001a -Destination $dest -MaximumRetryCount 2 -RetryIntervalSec 0.01");
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith(id, error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Equal("acme-ml/mnist-sweep/fin0001a/media/images/sample_0.png", error.TargetObject);
            Assert.Equal(5, result.Of<FileInfo>().Count);
            Assert.False(File.Exists(Path.Combine(destination, "media", "images", "sample_0.png")));
            Assert.Empty(Directory.GetFiles(destination, "*" + Files.FileSaver.PartialSuffix, SearchOption.AllDirectories));
        }

        [Fact]
        public void ErrorActionStopWritesNothingAfterTheFirstFailedFile()
        {
            string destination = _api.Samples.Scratch("stop");
            _ps.SetVariable("dest", destination);
            _api.Server.FileFaults.Enqueue(new StatusFault(404, "<Error/>", "application/xml"), 1, new FaultTarget(VariablesContain: "config.yaml"));
            ScriptResult result = _ps.Run("try { Save-RunFile " + Api + " -Id fin0001a -Destination $dest -ErrorAction Stop } catch { 'stopped: ' + $_.FullyQualifiedErrorId }");
            Assert.Contains(result.Output, o => o.ToString()!.StartsWith("stopped: WandbPathNotFound,", StringComparison.Ordinal));
            Assert.Equal(new[] { Path.Combine(destination, "code", "train.py") }, Directory.GetFiles(destination, "*", SearchOption.AllDirectories));
        }

        [Fact]
        public void ABodyCutShortIsRetriedAndAShortCompleteBodyIsADigestMismatchLeavingNothing()
        {
            string destination = _api.Samples.Scratch("truncated");
            _ps.SetVariable("dest", destination);
            string image = Path.Combine(destination, "media", "images", "sample_0.png");

            // Cut off once (Content-Length announced, connection closed): retried, and the file arrives whole.
            _api.Server.FileFaults.Enqueue(new TruncatedBodyFault(), 1, new FaultTarget(VariablesContain: "sample_0.png"));
            _ps.Run("Save-RunFile " + Api + " -Id fin0001a -Name media/* -Destination $dest -RetryIntervalSec 0.01").ThrowOnError();
            Assert.Equal(File.ReadAllBytes(Path.Combine(_files, "media", "images", "sample_0.png")), File.ReadAllBytes(image));
            File.Delete(image);

            // A complete answer with half the bytes: nothing is left under the name, nor a temporary file.
            _api.Server.FileFaults.Enqueue(new TruncatedJsonFault(), 1, new FaultTarget(VariablesContain: "sample_0.png"));
            ScriptResult result = _ps.Run("Save-RunFile " + Api + " -Id fin0001a -Name media/* -Destination $dest");
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("WandbDigestMismatch,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
            Assert.False(File.Exists(image));
            Assert.Empty(Directory.GetFiles(destination, "*", SearchOption.AllDirectories));
        }

        [Fact]
        public async System.Threading.Tasks.Task TheKeyGoesOnlyToTheApisOwnHost()
        {
            // Direct URLs on the API's host carry the key (as W&B's clients limit it); on another host they do not.
            string destination = _api.Samples.Scratch("key");
            _ps.SetVariable("dest", destination);
            _ps.Run("Save-RunFile " + Api + " -Id fin0001a -Name code/train.py -Destination $dest").ThrowOnError();
            Assert.NotNull(_api.Server.FileRequests.Last().Authorization);

            await using FakeWandbServer other = await FakeWandbServer.StartAsync(FakeData.FromRuns(_ps.Run("Get-WandbRun").ThrowOnError().Of<WandbRun>()), new FakeServerOptions { DirectUrlHost = "localhost" });
            _ps.SetVariable("other", other.BaseUrl);
            _ps.Run("Save-RunFile -Project acme-ml/mnist-sweep -BaseUrl $other -ApiKey $key -Id fin0001a -Name code/train.py -Destination $dest/other").ThrowOnError();
            RecordedFileRequest request = Assert.Single(other.FileRequests);
            Assert.StartsWith("/_direct/", request.Path, StringComparison.Ordinal);
            Assert.Null(request.Authorization);
            Assert.Equal(200, request.StatusCode);
        }

        [Fact]
        public void ARedirectIsFollowedAndTheKeyDoesNotFollowItToAnotherHost()
        {
            // The direct URL (the API's host: it carries the key) sends the download on to "storage" on another host
            // name (localhost); the second hop gets no key, and the file arrives whole.
            string destination = _api.Samples.Scratch("redirect");
            _ps.SetVariable("dest", destination);
            string storage = new UriBuilder(_api.Server.BaseUrl) { Host = "localhost" }.Uri.GetLeftPart(UriPartial.Authority) +
                "/_direct/acme-ml/mnist-sweep/fin0001a/code/train.py?sig=" + FileRoutes.Signature("acme-ml", "mnist-sweep", "fin0001a", "code/train.py");
            _api.Server.FileFaults.Enqueue(new RedirectFault(storage), 1, new FaultTarget(VariablesContain: "train.py"));
            _ps.Run("Save-RunFile " + Api + " -Id fin0001a -Name code/train.py -Destination $dest").ThrowOnError();
            Assert.Equal("print('hello')\n", File.ReadAllText(Path.Combine(destination, "code", "train.py")));
            RecordedFileRequest[] hops = _api.Server.FileRequests.TakeLast(2).ToArray();
            Assert.Equal((302, true), (hops[0].StatusCode, hops[0].Authorization is not null));
            Assert.Equal((200, false), (hops[1].StatusCode, hops[1].Authorization is not null));
        }

        [Fact]
        public void ALocalFileDeletedBeforeItIsCopiedIsThatFilesErrorAndTheRestGoOn()
        {
            string destination = _api.Samples.Scratch("deleted");
            _ps.SetVariable("dest", destination);
            _ps.SetVariable("gone", Path.Combine(_files, "code", "train.py"));
            ScriptResult result = _ps.Run("$files = Get-RunFile -Id fin0001a; Remove-Item -LiteralPath $gone; $files | Save-RunFile -Destination $dest");
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("WandbPathNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(Path.Combine(_files, "code", "train.py"), error.TargetObject);
            Assert.Equal(5, result.Of<FileInfo>().Count);
            Assert.False(Directory.Exists(Path.Combine(destination, "code")) && Directory.GetFiles(Path.Combine(destination, "code")).Length > 0);
        }

        [Fact]
        public void AFileNameThatLeadsOutOfTheDestinationIsRefused()
        {
            var saver = new Files.FileSaver(_api.Samples.Scratch("escape"), force: false);
            var file = new WandbRunFile { RunId = "r1", Name = "../../etc/evil", Size = 1 };
            var error = Assert.Throws<Errors.WandbException>(() => saver.TargetOf(file));
            Assert.Equal(Errors.WandbErrorKind.InvalidArgument, error.Kind);
        }
    }
}
