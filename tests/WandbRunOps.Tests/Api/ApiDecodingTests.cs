using System;
using System.Linq;
using WandbRunOps.Api;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Api
{
    /// <summary>W&amp;B's encodings: JSON strings inside JSON, {value, desc} configs, zone-less UTC times, foreign aliases.</summary>
    public class ApiDecodingTests
    {
        private static WandbMap Node(string json) => (WandbMap)ExtendedJson.Parse(json)!;

        [Fact]
        public void RunNodesDecodeToTypedRuns()
        {
            WandbMap node = Node(
                "{\"id\":\"UnVuOjE=\",\"name\":\"abc12345\",\"displayName\":\"happy-run\",\"state\":\"finished\"," +
                "\"config\":\"{\\\"lr\\\": {\\\"value\\\": 0.01, \\\"desc\\\": null}, \\\"opt\\\": {\\\"value\\\": {\\\"name\\\": \\\"adam\\\"}}, \\\"_wandb\\\": {\\\"value\\\": {\\\"t\\\": 1}}}\"," +
                "\"summaryMetrics\":\"{\\\"acc\\\": NaN, \\\"_wandb\\\": {\\\"runtime\\\": 42}}\",\"createdAt\":\"2023-11-05T17:46:35\",\"heartbeatAt\":\"2023-11-05T18:46:35.5\"," +
                "\"tags\":[\"a\"],\"group\":null,\"jobType\":\"train\",\"sweepName\":\"sw1\",\"notes\":null,\"host\":\"box\",\"computeSeconds\":null,\"historyLineCount\":12," +
                "\"user\":{\"name\":\"Ana\",\"username\":\"ana\"}}");
            WandbRun run = ApiRunDecoder.Run(node, "team", "proj", ApiRunDecoder.AppUrlFor(new Uri("https://api.wandb.ai")));
            Assert.Equal(("abc12345", "happy-run", RunState.Finished, RunSource.Api), (run.Id, run.Name, run.State, run.Source));
            Assert.Equal(new DateTime(2023, 11, 5, 17, 46, 35, DateTimeKind.Utc), run.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, run.HeartbeatAt.Kind);
            Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(500), run.Runtime);
            Assert.Equal(0.01, run.Config["lr"]);
            Assert.Equal("adam", ((WandbMap)run.Config["opt"]!)["name"]);
            Assert.Equal(1L, ((WandbMap)run.Config["_wandb"]!)["t"]);
            Assert.True(double.IsNaN((double)run.Summary["acc"]!));
            Assert.Equal(42d, run.ReportedSeconds);
            Assert.Equal(("ana", "Ana"), (run.Username, run.User!.Name));
            Assert.Equal(12, run.HistoryCount);
            Assert.Equal("https://wandb.ai/team/proj/runs/abc12345", run.Url);
            Assert.Equal("sw1", run.SweepId);
        }

        [Theory]
        [InlineData("https://api.wandb.ai", "https://wandb.ai/")]
        [InlineData("https://api.corp.example", "https://app.corp.example/")]
        [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
        public void AppUrlsFollowTheSdksRule(string api, string app) => Assert.Equal(app, ApiRunDecoder.AppUrlFor(new Uri(api)).ToString());

        [Fact]
        public void ArtifactAliasesOfOtherCollectionsAndVersionsAreLeftOut()
        {
            WandbMap node = Node(
                "{\"id\":\"QXJ0aWZhY3Q6Nw==\",\"versionIndex\":3,\"state\":\"COMMITTED\",\"size\":1024,\"digest\":\"d1\",\"fileCount\":2,\"createdAt\":\"2024-01-02T03:04:05\"," +
                "\"description\":null,\"metadata\":\"{\\\"rows\\\": 5}\",\"artifactType\":{\"name\":\"model\"},\"artifactSequence\":{\"name\":\"model\",\"project\":{\"name\":\"p\",\"entityName\":\"e\"}}," +
                "\"aliases\":[{\"alias\":\"latest\",\"artifactCollection\":{\"name\":\"model\",\"project\":{\"name\":\"p\",\"entityName\":\"e\"}}}," +
                "{\"alias\":\"v3\",\"artifactCollection\":{\"name\":\"model\",\"project\":{\"name\":\"p\",\"entityName\":\"e\"}}}," +
                "{\"alias\":\"production\",\"artifactCollection\":{\"name\":\"registry-models\",\"project\":{\"name\":\"model-registry\",\"entityName\":\"e\"}}}]}");
            WandbArtifact artifact = ApiRunDecoder.Artifact(node, new WandbRun { Id = "r1" }, ArtifactDirection.Logged);
            Assert.Equal(("model", "v3", (int?)3, "model:v3"), (artifact.Name, artifact.Version, artifact.VersionIndex, artifact.Reference));
            Assert.Equal(new[] { "latest" }, artifact.Aliases);
            Assert.Equal(1024L, artifact.Size);
            Assert.Equal(5L, artifact.Metadata["rows"]);
            Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), artifact.CreatedAt);
            Assert.Equal(("e", "p", "r1", ArtifactDirection.Logged), (artifact.Entity, artifact.Project, artifact.RunId, artifact.Direction));
        }

        [Fact]
        public void ABrokenConfigStringIsAFormatError() =>
            Assert.Throws<FormatException>(() => ApiRunDecoder.Run(Node("{\"name\":\"x\",\"createdAt\":\"2023-01-01T00:00:00\",\"config\":\"{broken\"}"), "e", "p", new Uri("http://h/")));

        [Fact]
        public void BackoffGrowsIsCappedAndJitterIsBounded()
        {
            var policy = new RetryPolicy { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(10), Random = () => 0.0 };
            Assert.Equal(new[] { 1d, 2d, 4d, 8d, 10d, 10d }, Enumerable.Range(1, 6).Select(a => policy.Backoff(a).TotalSeconds));
            policy.Random = () => 0.999;
            Assert.InRange(policy.Backoff(1).TotalSeconds, 1.24, 1.25);
            Assert.True(RetryPolicy.IsRetryable(429));
            Assert.True(RetryPolicy.IsRetryable(503));
            Assert.False(RetryPolicy.IsRetryable(501));
            Assert.All(new[] { 400, 401, 403, 404 }, s => Assert.False(RetryPolicy.IsRetryable(s)));
        }

        [Fact]
        public void ExtendedJsonWritesWhatItReads()
        {
            var map = new WandbMap { { "s", "a\"b\\c\n\u0001" }, { "n", 1L }, { "d", 0.5 }, { "nan", double.NaN }, { "inf", double.NegativeInfinity }, { "b", true }, { "z", null }, { "list", new object?[] { 1L, "x" } } };
            string json = ExtendedJson.Serialize(map);
            Assert.Equal("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":1,\"d\":0.5,\"nan\":NaN,\"inf\":-Infinity,\"b\":true,\"z\":null,\"list\":[1,\"x\"]}", json);
            var back = (WandbMap)ExtendedJson.Parse(json)!;
            Assert.Equal(map["s"], back["s"]);
            Assert.True(double.IsNaN((double)back["nan"]!));
        }
    }
}
