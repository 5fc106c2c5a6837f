using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Get-WandbRun listing 250 runs, 25 a page, while the server fails after the third page in one way per scenario:
    /// the listing either finishes with every run exactly once, or stops with a clear catalogue error after the runs it
    /// had (still exactly once). Attempts are counted by the server (and by the raw front for what Kestrel cannot send);
    /// memory is what the whole process allocated meanwhile, so the class runs alone. Each case writes its row of the
    /// reliability table:
    /// dotnet test -c Release --no-build --filter FullyQualifiedName~FailingServerTests --logger "console;verbosity=detailed" | grep '^ *| '
    /// </summary>
    [Collection(MemoryMeasuredCollection.Name)]
    public class FailingServerTests : IDisposable
    {
        private const int RunCount = 250;
        private const int PageSize = 25;
        private const int Pages = RunCount / PageSize;
        private const int GoodPagesFirst = 3;
        private const string RateLimitBody = "{\"error\":\"rate limit exceeded\"}";

        /// <summary>Answers normally (a zero delay): lets the first pages through before the scenario's faults.</summary>
        private static readonly Fault Pass = new DelayFault(TimeSpan.Zero);

        private static readonly Scenario[] Scenarios =
        {
            new("429 x3, no Retry-After", () => Times(3, new StatusFault(429, RateLimitBody))),
            new("429, Retry-After 1 (seconds)", () => new Fault[] { new StatusFault(429, RateLimitBody, RetryAfter: "1") }, Says: "as Retry-After asks", MinimumWall: TimeSpan.FromSeconds(1)),
            new("503, Retry-After HTTP-date (+2 s)", () => new Fault[] { new StatusFault(503, RetryAfter: DateTime.UtcNow.AddSeconds(2).ToString("R", CultureInfo.InvariantCulture)) }, Says: "as Retry-After asks", MinimumWall: TimeSpan.FromSeconds(0.5)),
            new("429 storm past the retries", () => Times(4, new StatusFault(429, RateLimitBody)), "WandbRateLimited", ErrorCategory.LimitsExceeded, FailingAttempts: 4, Says: "rate limit exceeded"),
            new("500 x2", () => Times(2, new StatusFault(500))),
            new("502 x2", () => Times(2, new StatusFault(502))),
            new("503 x2", () => Times(2, new StatusFault(503))),
            new("500 storm past the retries", () => Times(4, new StatusFault(500)), "WandbConnectionFailed", ErrorCategory.ConnectionError, FailingAttempts: 4, Says: "after 4 attempts"),
            new("connection reset before the answer x2", () => Times(2, new ResetFault())),
            new("connection reset mid-body x2", () => Times(2, new TruncatedBodyFault())),
            new("truncated JSON body (complete response) x2", () => Times(2, new TruncatedJsonFault())),
            new("body stalls past -TimeoutSec 1", () => new Fault[] { new StalledBodyFault(TimeSpan.FromSeconds(5)) }, Says: "no answer within 1 s", MinimumWall: TimeSpan.FromSeconds(1), TimeoutSec: 1),
            new("answer later than -TimeoutSec 1", () => new Fault[] { new DelayFault(TimeSpan.FromSeconds(5)) }, Says: "no answer within 1 s", MinimumWall: TimeSpan.FromSeconds(1), TimeoutSec: 1),
            new("no answer within -TimeoutSec 1, twice", () => Times(2, new DelayFault(TimeSpan.FromSeconds(5))), "WandbConnectionFailed", ErrorCategory.ConnectionError, FailingAttempts: 2, Says: "no answer within 1 s", MaximumRetryCount: 1, TimeoutSec: 1),
            new("GraphQL errors with partial data", () => new Fault[] { new GraphQLErrorFault("summaryMetrics resolver timed out", WithPartialData: true) }, Says: "partial data: summaryMetrics resolver timed out", Retried: false),
            new("GraphQL errors without data", () => new Fault[] { new GraphQLErrorFault("internal resolver failure", WithPartialData: false) }, "WandbProtocolError", ErrorCategory.ProtocolError, FailingAttempts: 1, Says: "internal resolver failure"),
            new("HTML 502 page x2", () => Times(2, new HtmlErrorFault(502))),
            new("HTML 503 pages past the retries", () => Times(4, new HtmlErrorFault(503)), "WandbConnectionFailed", ErrorCategory.ConnectionError, FailingAttempts: 4, Says: "an HTML page (503 Service Unavailable)"),
            new("401 in the middle of the listing", () => new Fault[] { new StatusFault(401, "{\"errors\":[{\"message\":\"token expired\"}]}") }, "WandbAuthenticationFailed", ErrorCategory.AuthenticationError, FailingAttempts: 1, Says: "rejected the API key from the -ApiKey parameter"),
            new("endless body (200, blank space for ever)", () => new Fault[] { new EndlessBodyFault() }, "WandbProtocolError", ErrorCategory.ProtocolError, FailingAttempts: 1, Says: "went on past the 256 MiB limit", MaximumAllocation: 640L << 20),
            new("huge Content-Length (1 TiB announced)", () => new Fault[] { new HugeContentLengthFault() }, "WandbProtocolError", ErrorCategory.ProtocolError, FailingAttempts: 1, Says: "announces 1,048,576 MiB (Content-Length)", MaximumAllocation: 64L << 20),
            new("body drips a byte every 50 ms past -TimeoutSec 1", () => new Fault[] { new DripBodyFault(TimeSpan.FromMilliseconds(50)) }, Says: "no answer within 1 s", MinimumWall: TimeSpan.FromSeconds(1), TimeoutSec: 1),
            new("body drips past -TimeoutSec 1, twice", () => Times(2, new DripBodyFault(TimeSpan.FromMilliseconds(50))), "WandbConnectionFailed", ErrorCategory.ConnectionError, FailingAttempts: 2, Says: "no answer within 1 s", MaximumRetryCount: 1, TimeoutSec: 1),
            new("invalid gzip (Content-Encoding: gzip over plain JSON) x2", () => Times(2, new InvalidGzipFault()), Says: "not valid gzip or deflate"),
            new("invalid gzip past the retries", () => Times(4, new InvalidGzipFault()), "WandbProtocolError", ErrorCategory.ProtocolError, FailingAttempts: 4, Says: "not valid gzip or deflate"),
            new("broken chunked framing x2 (raw socket)", NoFaults, Raw: () => Times(2, RawFaultFront.BrokenChunkedFraming)),
            new("garbled status line x2 (raw socket)", NoFaults, Raw: () => Times(2, RawFaultFront.GarbledStatusLine)),
            new("garbled headers x2 (raw socket)", NoFaults, Raw: () => Times(2, RawFaultFront.GarbledHeaders)),
            new("garbled status line past the retries (raw socket)", NoFaults, "WandbConnectionFailed", ErrorCategory.ConnectionError, FailingAttempts: 4, Says: "after 4 attempts", Raw: () => Times(4, RawFaultFront.GarbledStatusLine)),
        };

        private readonly ITestOutputHelper _output;
        private readonly FakeWandbServer _server = FakeWandbServer.StartAsync(FakeData.Synthetic(RunCount)).GetAwaiter().GetResult();
        private readonly ModuleRunspace _ps = new ModuleRunspace();
        private readonly RawFaultFront _front;

        public FailingServerTests(ITestOutputHelper output)
        {
            _output = output;
            _front = RawFaultFront.Start(_server.BaseUrl);
            _ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            _ps.SetVariable("url", _server.BaseUrl);
            _ps.Run("$DebugPreference = 'Continue'").ThrowOnError();

            // A first, cold request (JIT on both sides) can take a second on a busy machine: warm up before counting.
            _ps.Run(Listing(30, 3)).ThrowOnError();
            _server.ClearRequests();
        }

        public static IEnumerable<object[]> ScenarioNames => Scenarios.Select(s => new object[] { s.Name });

        public void Dispose()
        {
            _ps.Dispose();
            _front.Dispose();
            _server.Dispose();
        }

        [Theory]
        [MemberData(nameof(ScenarioNames))]
        public void AListingEitherDeliversEveryRunOnceOrStopsWithAClearError(string name)
        {
            Scenario scenario = Scenarios.Single(s => s.Name == name);
            _server.Faults.Enqueue(Pass, GoodPagesFirst);
            Fault[] faults = scenario.Faults();
            foreach (Fault fault in faults)
            {
                _server.Faults.Enqueue(fault);
            }

            byte[][] raw = scenario.Raw?.Invoke() ?? Array.Empty<byte[]>();
            if (raw.Length > 0)
            {
                // The first pages pass through the raw front to the server, then the raw answers come.
                _front.Enqueue(null, GoodPagesFirst);
                foreach (byte[] answer in raw)
                {
                    _front.Enqueue(answer);
                }

                _ps.SetVariable("url", _front.BaseUrl);
            }

            MemoryProbe probe = MemoryProbe.Start();
            var clock = Stopwatch.StartNew();
            ScriptResult result = _ps.Run("try { " + Listing(scenario.TimeoutSec, scenario.MaximumRetryCount) + " } catch { $_ }");
            TimeSpan wall = clock.Elapsed;
            MemoryProbe.Growth memory = probe.Stop();

            Assert.Null(result.Terminating);
            List<string> ids = result.Of<WandbRun>().Select(r => r.Id).ToList();
            ErrorRecord? error = result.Of<ErrorRecord>().SingleOrDefault();
            int expectedAttempts = scenario.ErrorId is null ? Pages + (scenario.Retried ? faults.Length + raw.Length : 0) : GoodPagesFirst + scenario.FailingAttempts;

            // A request the client gave up on is recorded once the server notices the client went away, which can be
            // just after the command returns. Raw answers are counted by the front (the server never sees them).
            int attempts = RunsRequestsWithin(TimeSpan.FromSeconds(3), expectedAttempts - _front.Served) + _front.Served;
            int expectedRuns = scenario.ErrorId is null ? RunCount : GoodPagesFirst * PageSize;
            int lost = expectedRuns - ids.Distinct().Count();
            int duplicated = ids.Count - ids.Distinct().Count();
            string said = string.Join("\n", result.Warnings.Concat(result.Debug).Append(error?.Exception.Message ?? string.Empty));
            _output.WriteLine(
                "| {0} | {1} | {2} | {3:0.00} s | {4} | {5} | {6} | {7} |",
                name,
                error is null ? (scenario.Retried ? "retried, succeeded" : "succeeded, not retried; " + result.Warnings.Count + " warning(s)") : "stopped: " + error.FullyQualifiedErrorId.Split(',')[0] + " (" + error.CategoryInfo.Category + ")",
                attempts,
                wall.TotalSeconds,
                ids.Count,
                lost,
                duplicated,
                memory);

            // Exactly once: the runs that arrived are the first runs of the project, in order, none twice.
            Assert.Equal(Enumerable.Range(0, expectedRuns).Select(i => "r" + i.ToString("D7", CultureInfo.InvariantCulture)), ids);
            if (scenario.ErrorId is null)
            {
                Assert.Empty(result.Errors);
                Assert.Null(error);
            }
            else
            {
                Assert.NotNull(error);
                Assert.StartsWith(scenario.ErrorId + ",", error!.FullyQualifiedErrorId);
                Assert.Equal(scenario.Category, error.CategoryInfo.Category);
            }

            Assert.Equal(expectedAttempts, attempts);

            Assert.Equal(0, _server.Faults.Pending);
            Assert.Equal(0, _front.Pending);
            Assert.True(memory.AllocatedBytes <= scenario.MaximumAllocation, "allocated " + memory + ", more than " + (scenario.MaximumAllocation >> 20) + " MiB");
            if (scenario.Says is not null)
            {
                Assert.Contains(scenario.Says, said);
            }

            Assert.True(wall >= scenario.MinimumWall, "the wait was not honoured: " + wall);
            Assert.DoesNotContain(FakeData.ApiKey, said);
        }

        private static string Listing(int timeoutSec, int maximumRetryCount) =>
            "Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key -PageSize " + PageSize +
            " -TimeoutSec " + timeoutSec + " -RetryIntervalSec 0.01 -MaximumRetryCount " + maximumRetryCount;

        private int RunsRequestsWithin(TimeSpan limit, int expected)
        {
            var clock = Stopwatch.StartNew();
            int count;
            while ((count = _server.Requests.Count(r => r.OperationName == "Runs")) < expected && clock.Elapsed < limit)
            {
                System.Threading.Thread.Sleep(20);
            }

            return count;
        }

        private static T[] Times<T>(int count, T fault) => Enumerable.Repeat(fault, count).ToArray();

        private static Fault[] NoFaults() => Array.Empty<Fault>();

        /// <summary>
        /// One way of failing. Without <paramref name="ErrorId"/> the listing must succeed after retries; with it, it
        /// must stop with that id and category after <paramref name="FailingAttempts"/> attempts at the failing page.
        /// <paramref name="Says"/> must appear in the warnings, debug lines or error message. A fault that is not
        /// <paramref name="Retried"/> costs no extra request. Only the time-out scenarios use a 1 s -TimeoutSec, so a slow
        /// moment on a busy machine cannot turn a passing page into a retry. <paramref name="Raw"/> answers come from a raw
        /// socket in front of the server (what Kestrel cannot send). The whole command may allocate at most
        /// <paramref name="MaximumAllocation"/> bytes (client and in-process server together).
        /// </summary>
        public sealed record Scenario(
            string Name,
            Func<Fault[]> Faults,
            string? ErrorId = null,
            ErrorCategory Category = ErrorCategory.NotSpecified,
            int FailingAttempts = 0,
            string? Says = null,
            int MaximumRetryCount = 3,
            TimeSpan MinimumWall = default,
            bool Retried = true,
            int TimeoutSec = 30,
            Func<byte[][]>? Raw = null,
            long MaximumAllocation = 128L << 20);
    }
}
