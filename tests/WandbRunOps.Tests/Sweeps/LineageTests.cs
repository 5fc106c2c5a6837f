using System;
using System.Linq;
using WandbRunOps.FakeWandb;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Sweeps
{
    /// <summary>
    /// Get-WandbRun -UsedArtifact / -LoggedArtifact on the samples (mnist:v3 used by fin0001a and fin0003c; model:best
    /// logged by fin0002b): both sources give the same runs, and over the API the question costs two requests however
    /// many runs the project holds.
    /// </summary>
    public sealed class LineageTests : IDisposable
    {
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
        private readonly ApiSamples _samples = new ApiSamples();
        private readonly ModuleRunspace _ps;

        public LineageTests() => _ps = _samples.Runspace();

        public void Dispose()
        {
            _ps.Dispose();
            _samples.Dispose();
        }

        private string[] Ids(string command) => _ps.Run(command).ThrowOnError().Output.Select(o => (string)o.Properties["Id"].Value).ToArray();

        [Theory]
        [InlineData("-UsedArtifact mnist:v3", new[] { "fin0001a", "fin0003c" })]
        [InlineData("-LoggedArtifact model:best", new[] { "fin0002b" })]
        [InlineData("-LoggedArtifact confusion", new[] { "fin0003c" })]
        [InlineData("-UsedArtifact mnist:v3 -State Finished -Where { $_.Id -ne 'fin0001a' }", new[] { "fin0003c" })]
        public void BothSourcesNameTheSameRuns(string question, string[] expected)
        {
            Assert.Equal(expected, Ids("Get-WandbRun " + question));
            Assert.Equal(expected, Ids("Get-WandbRun " + Api + " " + question));
        }

        [Fact]
        public void TheApiAnswersWithTwoRequestsHoweverManyRunsTheProjectHas()
        {
            lock (_samples.Server.Data.SyncRoot)
            {
                for (int i = 0; i < 5000; i++)
                {
                    _samples.Server.Data.Projects[0].Runs.Add(new FakeRun { Id = "bulk" + i.ToString("D4"), CreatedAt = DateTime.UtcNow, HeartbeatAt = DateTime.UtcNow, ConfigJson = "{}", SummaryJson = "{}" });
                }
            }

            _samples.Server.ClearRequests();
            Assert.Equal(new[] { "fin0001a", "fin0003c" }, Ids("Get-WandbRun " + Api + " -UsedArtifact mnist:v3"));
            Assert.Equal(new[] { "ArtifactLineage", "Runs" }, _samples.Server.Requests.Select(r => r.OperationName));
        }

        [Fact]
        public void AnArtifactThatDoesNotExistEndsTheCommandWithArtifactNotFound()
        {
            ScriptResult result = _ps.Run("try { Get-WandbRun " + Api + " -UsedArtifact nope:v1 } catch { 'ended: ' + $_.FullyQualifiedErrorId + ' ' + $_.TargetObject }");
            Assert.Equal("ended: WandbArtifactNotFound,WandbRunOps.Commands.GetWandbRunCommand acme-ml/mnist-sweep/nope:v1", Assert.Single(result.Output).ToString());
        }
    }
}
