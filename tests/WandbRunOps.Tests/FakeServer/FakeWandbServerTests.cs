using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using WandbRunOps.FakeWandb;
using Xunit;

namespace WandbRunOps.Tests.FakeServer
{
    /// <summary>
    /// The loopback W&amp;B server checked over real HTTP, one case per behaviour the other tests rely on (binding,
    /// auth, paging, filters, encodings, faults, the admin endpoints). The checks live beside the server
    /// (ServerChecks.cs); each case puts the shared server back to its starting state first.
    /// </summary>
    public sealed class FakeWandbServerTests : IClassFixture<FakeWandbServerTests.Server>
    {
        private readonly Server _server;

        public FakeWandbServerTests(Server server) => _server = server;

        public static IEnumerable<object[]> Checks => ServerChecks.CheckNames.Select(name => new object[] { name });

        [Theory]
        [MemberData(nameof(Checks))]
        public Task TheServerBehavesAsTheOtherTestsExpect(string check) => ServerChecks.RunCheckAsync(check, _server.Instance, _server.Http);

        /// <summary>One server and one client for the class (the cases run one after another).</summary>
        public sealed class Server : IDisposable
        {
            public FakeWandbServer Instance { get; } = FakeWandbServer.StartAsync(FakeSampleData.Create()).GetAwaiter().GetResult();

            public HttpClient Http { get; } = ServerChecks.NewClient();

            public void Dispose()
            {
                Http.Dispose();
                Instance.Dispose();
            }
        }
    }
}
