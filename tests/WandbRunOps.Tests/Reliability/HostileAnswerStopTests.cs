using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using WandbRunOps.FakeWandb;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Ctrl+C (PowerShell.Stop) in the middle of each hostile answer of the failing-server table ends Get-WandbRun within
    /// a second: while an endless or huge body is being read, while a body drips, and in the wait before retrying invalid
    /// gzip, broken chunked framing or a garbled status line or header (-RetryIntervalSec 10 holds the command there).
    /// </summary>
    public sealed class HostileAnswerStopTests : IDisposable
    {
        private const int GoodPagesFirst = 3;
        private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(1);

        private static readonly Dictionary<string, (Fault? Fault, byte[]? Raw)> Families = new()
        {
            ["endless body"] = (new EndlessBodyFault(), null),
            ["huge Content-Length under the limit (200 MiB, sent for ever)"] = (new HugeContentLengthFault(200L << 20), null),
            ["body drips a byte every 50 ms"] = (new DripBodyFault(TimeSpan.FromMilliseconds(50)), null),
            ["invalid gzip"] = (new InvalidGzipFault(), null),
            ["broken chunked framing"] = (null, RawFaultFront.BrokenChunkedFraming),
            ["garbled status line"] = (null, RawFaultFront.GarbledStatusLine),
            ["garbled headers"] = (null, RawFaultFront.GarbledHeaders),
        };

        private readonly ITestOutputHelper _output;
        private readonly FakeWandbServer _server = FakeWandbServer.StartAsync(FakeData.Synthetic(250)).GetAwaiter().GetResult();
        private readonly RawFaultFront _front;
        private readonly ModuleRunspace _ps = new ModuleRunspace();

        public HostileAnswerStopTests(ITestOutputHelper output)
        {
            _output = output;
            _front = RawFaultFront.Start(_server.BaseUrl);
            _ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
        }

        public static IEnumerable<object[]> FamilyNames => Families.Keys.Select(k => new object[] { k });

        public void Dispose()
        {
            _ps.Dispose();
            _front.Dispose();
            _server.Dispose();
        }

        [Theory]
        [MemberData(nameof(FamilyNames))]
        public void StopEndsTheListingWithinASecond(string family)
        {
            (Fault? fault, byte[]? raw) = Families[family];
            Func<bool> reached;
            if (fault is not null)
            {
                _server.Faults.Enqueue(new DelayFault(TimeSpan.Zero), GoodPagesFirst);
                _server.Faults.Enqueue(fault, 8);
                _ps.SetVariable("url", _server.BaseUrl);
                reached = () => _server.Requests.Count(r => r.OperationName == "Runs") > GoodPagesFirst;
            }
            else
            {
                _front.Enqueue(null, GoodPagesFirst);
                _front.Enqueue(raw, 8);
                _ps.SetVariable("url", _front.BaseUrl);
                reached = () => _front.Served > 0;
            }

            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _ps.RawRunspace;
            shell.AddScript("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key -PageSize 25 -TimeoutSec 30 -RetryIntervalSec 10 -MaximumRetryCount 7");
            IAsyncResult running = shell.BeginInvoke();
            var wait = Stopwatch.StartNew();
            while (!reached() && !running.IsCompleted && wait.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(5);
            }

            // Into the fault: reading the body, or waiting to retry.
            Thread.Sleep(150);
            Assert.True(reached(), "the listing did not reach the fault within 30 s");
            // (The streams of a running command are not read here: enumerating them waits for the command to end.)
            Assert.False(running.IsCompleted, "the listing ended before it could be stopped: " + shell.InvocationStateInfo.State);
            var clock = Stopwatch.StartNew();
            shell.Stop();
            TimeSpan elapsed = clock.Elapsed;
            _output.WriteLine("| {0} | Stop() returned in {1:0.0} ms |", family, elapsed.TotalMilliseconds);
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.True(elapsed < StopLimit, "Stop took " + elapsed);
        }
    }
}
