using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Api
{
    /// <summary>
    /// Answers no W&amp;B server sends: a body that never ends, a huge Content-Length, gzip that is not gzip. Each ends
    /// within the time-out, in bounded memory, as a catalogue error. Every query runs under its own 30 s bound, so a
    /// regression fails the test instead of hanging the run; disposing the server ends any body still being sent.
    /// </summary>
    [Collection(WandbRunOps.Tests.Reliability.MemoryMeasuredCollection.Name)]
    public class HostileAnswerTests : IAsyncLifetime
    {
        private const string Viewer = "query Viewer { viewer { id entity username } }";
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
        private FakeWandbServer _server = null!;

        public async Task InitializeAsync() => _server = await FakeWandbServer.StartAsync(FakeData.Synthetic(3));

        public async Task DisposeAsync() => await _server.DisposeAsync();

        [Theory]
        [InlineData("chunked")]
        [InlineData("content-length")]
        public async Task AnEndlessBodyIsCutOffByTheTimeOutThoughDataKeepsArriving(string framing)
        {
            // The limit is set out of reach (1 GiB) so that only the time-out can end this answer.
            _server.Faults.Enqueue(framing == "chunked" ? new EndlessBodyFault() : new HugeContentLengthFault((1L << 30) - 1));
            var clock = Stopwatch.StartNew();
            WandbException error = await Fails(Client(timeoutSeconds: 1, maxBytes: 1L << 30, attempts: 1));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "an endless body took " + clock.Elapsed + " to give up on with a 1 s time-out");
            Assert.Equal(WandbErrorKind.ConnectionFailed, error.Kind);
            Assert.Contains("no answer within 1 s", error.Message);
        }

        [Fact]
        public async Task AnEndlessBodyIsRefusedAtTheSizeLimitWithoutARetry()
        {
            _server.Faults.Enqueue(new EndlessBodyFault(), 4);
            MemoryProbe probe = MemoryProbe.Start();
            WandbException error = await Fails(Client(maxBytes: 4L << 20));
            MemoryProbe.Growth memory = probe.Stop();
            Assert.Equal(WandbErrorKind.ProtocolError, error.Kind);
            Assert.Contains("went on past the 4 MiB limit", error.Message);
            Assert.Contains("not retried", error.Message);
            Assert.Single(_server.Requests);
            Assert.True(memory.AllocatedBytes < 32L << 20, "refusing a 4 MiB-limited answer cost " + memory);
        }

        [Fact]
        public async Task AHugeContentLengthIsRefusedBeforeItsBodyIsRead()
        {
            _server.Faults.Enqueue(new HugeContentLengthFault(), 4);
            MemoryProbe probe = MemoryProbe.Start();
            var clock = Stopwatch.StartNew();
            WandbException error = await Fails(Client());
            MemoryProbe.Growth memory = probe.Stop();
            Assert.Equal(WandbErrorKind.ProtocolError, error.Kind);
            Assert.Contains("announces 1,048,576 MiB (Content-Length), more than the 256 MiB limit", error.Message);
            Assert.Single(_server.Requests);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "took " + clock.Elapsed);
            Assert.True(memory.AllocatedBytes < 16L << 20, "refusing an announced 1 TiB answer cost " + memory);
        }

        [Fact]
        public async Task AnAnswerJustUnderTheLimitIsRead()
        {
            // The viewer answer is a few hundred bytes: a limit of 1 KiB reads it whole.
            GraphQLResponse response = await Client(maxBytes: 1024).QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None).WaitAsync(Bound);
            Assert.Equal("ana", ((WandbMap)response.Data["viewer"]!)["username"]);
        }

        [Fact]
        public async Task InvalidGzipIsAProtocolErrorRetriedLikeAMalformedAnswer()
        {
            _server.Faults.Enqueue(new InvalidGzipFault());
            GraphQLResponse response = await Client().QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None).WaitAsync(Bound);
            Assert.Equal(2, response.Attempts);
            Assert.Contains(response.Log, l => l.Message.Contains("not valid gzip or deflate"));

            _server.Faults.Enqueue(new InvalidGzipFault(), 4);
            WandbException error = await Fails(Client());
            Assert.Equal(WandbErrorKind.ProtocolError, error.Kind);
            Assert.Contains("failed after 4 attempts", error.Message);
            Assert.Contains("not valid gzip or deflate", error.Message);
        }

        private async Task<WandbException> Fails(GraphQLClient client) =>
            await Assert.ThrowsAsync<WandbException>(() => client.QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None).WaitAsync(Bound));

        private GraphQLClient Client(double timeoutSeconds = 10, long maxBytes = ApiClientOptions.DefaultMaxResponseBytes, int attempts = 4) =>
            new GraphQLClient(new Uri(_server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter), new ApiClientOptions
            {
                Timeout = TimeSpan.FromSeconds(timeoutSeconds),
                MaxResponseBytes = maxBytes,
                Retry = new RetryPolicy { MaxAttempts = attempts, BaseDelay = TimeSpan.FromSeconds(0.01), Random = () => 0 },
            });
    }
}
