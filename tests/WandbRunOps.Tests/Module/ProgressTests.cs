using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.FakeWandb;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Module
{
    /// <summary>
    /// Get-WandbRun's progress as the engine passes it on: only for work that lasts (more than a second, or more than
    /// one API page), one activity id, page updates with a percentage, a final Completed record whenever a bar was
    /// shown, and nothing when progress is silenced. The timing rules themselves: ProgressDisplayTests.
    /// </summary>
    public sealed class ProgressTests : IDisposable
    {
        private const int FolderCount = 40;
        private const int ApiRunCount = 250;
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key -PageSize 50";

        private static readonly DateTime Start = new DateTime(2026, 2, 1, 9, 0, 0, DateTimeKind.Utc);

        private readonly TempDirectory _temp = new TempDirectory();
        private readonly FakeWandbServer _server;
        private readonly ModuleRunspace _ps;

        public ProgressTests()
        {
            string wandb = _temp.Combine("wandb");
            for (int i = 0; i < FolderCount; i++)
            {
                string id = "prog" + i.ToString("D4");
                RunFolderWriter.Write(wandb, new RunFolderSpec
                {
                    RunId = id,
                    FolderTime = Start.AddMinutes(i),
                    Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = id, Project = "p", StartTime = Start.AddMinutes(i) }) },
                });
            }

            _server = FakeWandbServer.StartAsync(FakeData.Synthetic(ApiRunCount)).GetAwaiter().GetResult();
            _ps = new ModuleRunspace(_temp.Path);
            _ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            _ps.SetVariable("url", _server.BaseUrl);
            _ps.SetVariable("runs", wandb);
        }

        public void Dispose()
        {
            _ps.Dispose();
            _server.Dispose();
            _temp.Dispose();
        }

        private static void AssertOneActivityEndingCompleted(List<ProgressRecord> progress)
        {
            Assert.NotEmpty(progress);
            Assert.Single(progress.Select(p => p.ActivityId).Distinct());
            Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
            Assert.Single(progress, p => p.RecordType == ProgressRecordType.Completed);
        }

        /// <summary>A read that ends within a second shows no bar at all, not even a Completed record (Start-Job keeps
        /// every progress record in its output): also when the pipeline stops early (the hosted engine has no
        /// Microsoft.PowerShell.Utility, so no real Select-Object).</summary>
        [Theory]
        [InlineData("@(Get-WandbRun -Path $runs)")]
        [InlineData("Get-WandbRun -Path $runs -First 1")]
        [InlineData("do { Get-WandbRun -Path $runs | ForEach-Object { $_; break } } while ($false)")]
        public void AQuickLocalReadShowsNoProgress(string script)
        {
            ScriptResult result = _ps.Run(script).ThrowOnError();
            Assert.NotEmpty(result.Output);
            Assert.Empty(result.Progress);
        }

        [Fact]
        public void TheActivityIdIsTheSameOnEveryCall()
        {
            int first = _ps.Run("$null = Get-WandbRun " + Api).ThrowOnError().Progress.Select(p => p.ActivityId).Distinct().Single();
            int again = _ps.Run("$null = Get-WandbRun " + Api).ThrowOnError().Progress.Select(p => p.ActivityId).Distinct().Single();
            Assert.Equal(first, again);
            Assert.NotEqual(0, first);
        }

        [Fact]
        public void AnApiListingThatOnePageAnswersShowsNoProgress()
        {
            ScriptResult result = _ps.Run("@(Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key -PageSize 1000).Count").ThrowOnError();
            Assert.Equal(ApiRunCount, result.Output.Single().BaseObject);
            Assert.Empty(result.Progress);
        }

        [Fact]
        public void StoppingAnApiListingEarlyStillCompletesTheProgressItShowed()
        {
            // Two pages shown (50 and 100 of 250), then the pipeline stops inside the third.
            ScriptResult result = _ps.Run("$n = 0; do { Get-WandbRun " + Api + " | ForEach-Object { $_; if (++$n -eq 120) { break } } } while ($false)").ThrowOnError();
            Assert.Equal(120, result.Output.Count);
            AssertOneActivityEndingCompleted(result.Progress);
            Assert.Equal(2, result.Progress.Count(p => p.RecordType == ProgressRecordType.Processing));
        }

        [Fact]
        public void StoppingAnApiListingWithinItsFirstPageShowsNoProgress()
        {
            ScriptResult result = _ps.Run("do { Get-WandbRun " + Api + " | ForEach-Object { $_; break } } while ($false)").ThrowOnError();
            Assert.Single(result.Output);
            Assert.Empty(result.Progress);
        }

        [Fact]
        public void AnApiListingShowsProgressAtEachPageWithAPercentageOfTheRunCount()
        {
            ScriptResult result = _ps.Run("@(Get-WandbRun " + Api + ").Count").ThrowOnError();
            Assert.Equal(ApiRunCount, result.Output.Single().BaseObject);

            AssertOneActivityEndingCompleted(result.Progress);
            List<ProgressRecord> pages = result.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
            Assert.Equal(new[] { 20, 40, 60, 80, 100 }, pages.Select(p => p.PercentComplete));
            Assert.Equal(new[] { "50 of 250 runs", "100 of 250 runs", "150 of 250 runs", "200 of 250 runs", "250 of 250 runs" }, pages.Select(p => p.StatusDescription));
        }

        [Theory]
        [InlineData("Get-WandbRun " + Api)]
        public void SilencedProgressWritesNoProgressRecords(string command)
        {
            ScriptResult result = _ps.Run("$ProgressPreference = 'SilentlyContinue'; @(" + command + ").Count").ThrowOnError();
            Assert.True((int)result.Output.Single().BaseObject > 1);
            Assert.Empty(result.Progress);
        }

        [Fact]
        public void TheProgressActionCommonParameterSilencesItToo()
        {
            ScriptResult result = _ps.Run("@(Get-WandbRun " + Api + " -ProgressAction SilentlyContinue).Count").ThrowOnError();
            Assert.Equal(ApiRunCount, result.Output.Single().BaseObject);
            Assert.Empty(result.Progress);
        }
    }
}
