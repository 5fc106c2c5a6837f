using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
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
    /// <summary>The one HTTP path against the loopback server: auth, retries, Retry-After, readable failures.</summary>
    public class GraphQLClientTests : IAsyncLifetime
    {
        private const string Viewer = "query Viewer { viewer { id entity username } }";
        private FakeWandbServer _server = null!;

        public async Task InitializeAsync() => _server = await FakeWandbServer.StartAsync(FakeData.Synthetic(3));

        public async Task DisposeAsync() => await _server.DisposeAsync();

        private GraphQLClient Client(string key = FakeData.ApiKey, int attempts = 4, double baseSeconds = 0.01, double timeoutSeconds = 5) =>
            new GraphQLClient(new Uri(_server.BaseUrl), new ApiCredential(key, ApiKeySource.Parameter), new ApiClientOptions
            {
                Timeout = TimeSpan.FromSeconds(timeoutSeconds),
                Retry = new RetryPolicy { MaxAttempts = attempts, BaseDelay = TimeSpan.FromSeconds(baseSeconds), Random = () => 0 },
            });

        [Fact]
        public async Task SendsBasicAuthAsApiAndGetsTheViewer()
        {
            GraphQLResponse response = await Client().QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None);
            Assert.Equal("ana", ((WandbMap)response.Data["viewer"]!)["username"]);
            RecordedRequest request = Assert.Single(_server.Requests);
            Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("api:" + FakeData.ApiKey)), request.Authorization);
            Assert.Equal("Viewer", request.OperationName);
            Assert.True(request.AcceptGzip);
            Assert.StartsWith("W&B Public Client", request.UserAgent);
        }

        [Fact]
        public async Task ABadKeyFailsAtOnceSayingWhereTheKeyCameFromButNotTheKey()
        {
            var error = await Assert.ThrowsAsync<WandbException>(() => Client("wrong-key-that-is-secret").QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None));
            Assert.Equal(WandbErrorKind.AuthenticationFailed, error.Kind);
            Assert.Contains("the -ApiKey parameter", error.Message);
            Assert.Contains("401", error.Message);
            Assert.DoesNotContain("wrong-key-that-is-secret", error.ToString());
            Assert.Single(_server.Requests);
        }

        [Fact]
        public async Task RetryAfterIsHonouredAndTheRetrySucceeds()
        {
            _server.Faults.Enqueue(new StatusFault(429, "{\"error\":\"rate limit exceeded\"}", RetryAfter: "1"));
            var clock = Stopwatch.StartNew();
            GraphQLResponse response = await Client(baseSeconds: 0.01).QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), "waited only " + clock.Elapsed);
            Assert.Equal(2, response.Attempts);
            Assert.Contains(response.Log, l => l.Debug && l.Message.Contains("HTTP 429") && l.Message.Contains("as Retry-After asks"));
            Assert.Equal(new[] { 429, 200 }, _server.Requests.Select(r => r.StatusCode));
        }

        [Fact]
        public async Task RetryAfterAsAnHttpDateIsHonoured()
        {
            _server.Faults.Enqueue(new StatusFault(503, RetryAfter: DateTime.UtcNow.AddSeconds(2).ToString("R")));
            var clock = Stopwatch.StartNew();
            GraphQLResponse response = await Client().QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None);
            Assert.Equal(2, response.Attempts);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), "waited only " + clock.Elapsed);
        }

        [Fact]
        public async Task ServerErrorsResetsAndTruncatedBodiesAreRetried()
        {
            _server.Faults.Enqueue(new StatusFault(503));
            _server.Faults.Enqueue(new ResetFault());
            _server.Faults.Enqueue(new TruncatedBodyFault());
            GraphQLResponse response = await Client(attempts: 5).QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None);
            Assert.Equal(4, response.Attempts);
            Assert.Equal("ana", ((WandbMap)response.Data["viewer"]!)["username"]);
        }

        [Fact]
        public async Task GivingUpSaysHowManyAttemptsWereMadeAndReadsAnHtmlPage()
        {
            _server.Faults.Enqueue(new HtmlErrorFault(502), times: 3);
            var error = await Assert.ThrowsAsync<WandbException>(() => Client(attempts: 3).QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None));
            Assert.Equal(WandbErrorKind.ConnectionFailed, error.Kind);
            Assert.Contains("after 3 attempts", error.Message);
            Assert.Contains("HTML page", error.Message);
            Assert.Contains("502", error.Message);
            Assert.Equal(3, _server.Requests.Count);
        }

        [Fact]
        public async Task RateLimitingThatOutlastsTheRetriesIsRateLimited()
        {
            _server.Faults.Enqueue(new StatusFault(429, "{\"error\":\"rate limit exceeded\"}"), times: 2);
            var error = await Assert.ThrowsAsync<WandbException>(() => Client(attempts: 2).QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None));
            Assert.Equal(WandbErrorKind.RateLimited, error.Kind);
            Assert.Contains("rate limit exceeded", error.Message);
        }

        [Fact]
        public async Task ARetryAfterLongerThanTheBudgetGivesUpAtOnce()
        {
            _server.Faults.Enqueue(new StatusFault(429, RetryAfter: "3600"));
            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<WandbException>(() => Client().QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
            Assert.Contains("would pass the", error.Message);
        }

        [Fact]
        public async Task BadRequestsAreNotRetriedAndTheServersMessageIsShown()
        {
            var error = await Assert.ThrowsAsync<WandbException>(() => Client().QueryAsync("Bad", "query Bad { viewer { nosuchfield } }", new WandbMap(), CancellationToken.None));
            Assert.Equal(WandbErrorKind.ProtocolError, error.Kind);
            Assert.Contains("nosuchfield", error.Message);
            Assert.Single(_server.Requests);
        }

        [Fact]
        public async Task PartialDataComesBackWithItsErrors()
        {
            _server.Faults.Enqueue(new GraphQLErrorFault("resolver exploded", WithPartialData: true));
            GraphQLResponse response = await Client().QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None);
            Assert.Contains("resolver exploded", Assert.Single(response.Errors));

            _server.Faults.Enqueue(new GraphQLErrorFault("nothing at all", WithPartialData: false));
            var error = await Assert.ThrowsAsync<WandbException>(() => Client().QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None));
            Assert.Contains("nothing at all", error.Message);
        }

        [Fact]
        public async Task ASlowAnswerTimesOutAndCancellationStopsTheRequestAtOnce()
        {
            _server.Faults.Enqueue(new DelayFault(TimeSpan.FromSeconds(30)), times: 2);
            var timeout = await Assert.ThrowsAsync<WandbException>(() => Client(attempts: 1, timeoutSeconds: 0.3).QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None));
            Assert.Contains("no answer within 0.3 s", timeout.Message);

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(timeoutSeconds: 60).QueryAsync("Viewer", Viewer, new WandbMap(), cancel.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "cancellation took " + clock.Elapsed);
        }

        [Fact]
        public async Task AnAnswerCancelledMidBodyLeavesNoReadRunningAndItsConnectionIsNotReused()
        {
            // Half the body, then a pause: the cancellation lands while a read of the body is in progress.
            GraphQLClient client = Client(timeoutSeconds: 60);
            _server.Faults.Enqueue(new StalledBodyFault(TimeSpan.FromSeconds(1)));
            using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryAsync("Viewer", Viewer, new WandbMap(), cancel.Token));
            }

            // Past the pause, the rest of the cancelled body has been sent: a read left running would have taken part
            // of it, and a connection drained and pooled meanwhile would hand the next request a broken answer.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            GraphQLResponse next = await client.QueryAsync("Viewer", Viewer, new WandbMap(), CancellationToken.None);
            Assert.Equal(1, next.Attempts);
            RecordedRequest[] requests = _server.Requests.ToArray();
            Assert.Equal(2, requests.Length);
            Assert.NotEqual(requests[0].ConnectionId, requests[1].ConnectionId);
        }

        [Theory]
        [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/graphql")]
        [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/graphql")]
        [InlineData("https://wandb.mycorp.com/wandb/", "https://wandb.mycorp.com/wandb/graphql")]
        public void TheEndpointIsTheBaseUrlWithOneSlashBeforeGraphql(string baseUrl, string endpoint)
        {
            var client = new GraphQLClient(new Uri(baseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter));
            Assert.Equal(endpoint, client.Endpoint.ToString());
        }
    }
}
