using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Local;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.SystemMetrics;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Inside
{
    /// <summary>
    /// System metrics and metadata over the API (the loopback server serving the sample run folders): the same keys,
    /// values and facts as the folders give, W&amp;B's sampling, runInfo for a run without a metadata file, bad rows.
    /// </summary>
    public class ApiInsideTests : IDisposable
    {
        private readonly ApiSamples _api = new ApiSamples();
        private readonly List<string> _warnings = new List<string>();

        public void Dispose() => _api.Dispose();

        private ApiRunSource Api() =>
            new ApiRunSource(
                new GraphQLClient(new Uri(_api.Server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter), new ApiClientOptions
                {
                    Retry = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(10), Random = () => 0 },
                }),
                FakeData.Entity,
                FakeData.Project,
                new ReadDiagnostics(_warnings.Add, null));

        private LocalRunSource Local() => new LocalRunSource(new[] { _api.Samples.Wandb }, ReadDiagnostics.None);

        private static List<WandbRun> Runs(IRunSource source) =>
            source.GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).ToList();

        private FakeRun Fake(string id)
        {
            lock (_api.Server.Data.SyncRoot)
            {
                return _api.Server.Data.Projects[0].Runs.Single(r => r.Id == id);
            }
        }

        [Fact]
        public void EveryRunHasTheSameSamplesKeysAndValuesFromBothSources()
        {
            List<WandbRun> local = Runs(Local());
            Dictionary<string, WandbRun> remote = Runs(Api()).ToDictionary(r => r.Id);
            int compared = 0;
            foreach (WandbRun run in local)
            {
                List<SystemMetricRow> expected = Local().SystemMetrics.Read(run, new SystemMetricQuery(), CancellationToken.None).ToList();
                List<SystemMetricRow> actual = Api().SystemMetrics.Read(remote[run.Id], new SystemMetricQuery(), CancellationToken.None).ToList();
                Assert.Equal(expected.Count, actual.Count);
                for (int i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i].Values.Keys, actual[i].Values.Keys);
                    Assert.Equal(expected[i].Values.Values, actual[i].Values.Values);
                    Assert.Equal(expected[i].Runtime, actual[i].Runtime);
                    Assert.Equal(expected[i].Timestamp!.Value, actual[i].Timestamp!.Value, TimeSpan.FromMilliseconds(1));
                    compared++;
                }
            }

            Assert.True(compared >= 8, "the sample runs have stats records");
            Assert.Empty(_warnings);
        }

        [Fact]
        public void EveryRunHasTheSameMetadataFromBothSources()
        {
            Dictionary<string, WandbRun> remote = Runs(Api()).ToDictionary(r => r.Id);
            foreach (WandbRun run in Runs(Local()))
            {
                RunMetadata expected = Local().Metadata.Read(run, CancellationToken.None);
                RunMetadata actual = Api().Metadata.Read(remote[run.Id], CancellationToken.None);
                Assert.False(expected.IsEmpty, run.Id);
                Assert.Equal(
                    (expected.Program, expected.GitRemote, expected.GitCommit, expected.Os, expected.Python, expected.Host, expected.Executable, expected.CpuCount, expected.GpuCount, expected.Gpu, expected.StartedAt),
                    (actual.Program, actual.GitRemote, actual.GitCommit, actual.Os, actual.Python, actual.Host, actual.Executable, actual.CpuCount, actual.GpuCount, actual.Gpu, actual.StartedAt));
                Assert.Equal(expected.Args, actual.Args);
            }
        }

        [Fact]
        public void SamplesIsSentToTheServerWhichSpreadsTheRowsEvenly()
        {
            FakeRun fake = Fake("fin0002b");
            lock (_api.Server.Data.SyncRoot)
            {
                fake.EventsRowsJson = Enumerable.Range(0, 9).Select(i => "{\"system.cpu\": " + i + ", \"_timestamp\": " + (1769904000 + i) + ", \"_runtime\": " + i + "}").ToList();
            }

            WandbRun run = Runs(Api()).Single(r => r.Id == "fin0002b");
            List<SystemMetricRow> rows = Api().SystemMetrics.Read(run, new SystemMetricQuery { Samples = 3, Keys = new[] { "system.c*" } }, CancellationToken.None).ToList();

            Assert.Equal(new object?[] { 0L, 4L, 8L }, rows.Select(r => r.Values["system.cpu"]));
            RecordedRequest request = _api.Server.Requests.Last(r => r.OperationName == "RunEvents");
            Assert.Contains("\"samples\":3", request.VariablesJson, StringComparison.Ordinal);
        }

        [Fact]
        public void ARowThatIsNotJsonIsSkippedWithOneWarningAndTheRestKept()
        {
            FakeRun fake = Fake("fin0003c");
            lock (_api.Server.Data.SyncRoot)
            {
                fake.EventsRowsJson = new List<string> { "{\"system.cpu\": 1, \"_timestamp\": 1769904000}", "not json", "[1, 2]", "{\"system.cpu\": 2, \"_timestamp\": 1769904001}" };
            }

            WandbRun run = Runs(Api()).Single(r => r.Id == "fin0003c");
            List<SystemMetricRow> rows = Api().SystemMetrics.Read(run, new SystemMetricQuery(), CancellationToken.None).ToList();

            Assert.Equal(2, rows.Count);
            string warning = Assert.Single(_warnings);
            Assert.Contains("2 system metric rows were not a JSON object", warning, StringComparison.Ordinal);
        }

        [Fact]
        public void ARunWithoutAMetadataFileIsDescribedByItsRunInfo()
        {
            FakeRun fake = Fake("fail004d");
            lock (_api.Server.Data.SyncRoot)
            {
                fake.MetadataJson = null;
                fake.RunInfo = new FakeRunInfo { Program = "eval.py", Args = new List<string> { "--x" }, Os = "Linux", Python = "3.10", Gpu = "T4", GpuCount = 2, CpuCount = 4, GitRemote = "r", GitCommit = "c" };
            }

            WandbRun run = Runs(Api()).Single(r => r.Id == "fail004d");
            RunMetadata metadata = Api().Metadata.Read(run, CancellationToken.None);

            Assert.Equal("eval.py", metadata.Program);
            Assert.Equal(new[] { "--x" }, metadata.Args);
            Assert.Equal(("Linux", "3.10", "T4", 2, 4, "r", "c"), (metadata.Os, metadata.Python, metadata.Gpu, metadata.GpuCount, metadata.CpuCount, metadata.GitRemote, metadata.GitCommit));
            Assert.Null(metadata.Host);
            Assert.Null(metadata.StartedAt);
        }

        [Fact]
        public void MetadataThatIsNotAJsonObjectIsAProtocolError()
        {
            FakeRun fake = Fake("fin0001a");
            lock (_api.Server.Data.SyncRoot)
            {
                fake.MetadataJson = "{\"program\": ";
            }

            WandbRun run = Runs(Api()).Single(r => r.Id == "fin0001a");
            WandbException error = Assert.Throws<WandbException>(() => Api().Metadata.Read(run, CancellationToken.None));
            Assert.Equal(WandbErrorKind.ProtocolError, error.Kind);
            Assert.Equal(FakeData.Entity + "/" + FakeData.Project + "/fin0001a", error.Target);
        }

        [Fact]
        public void ARunDeletedOnTheServerIsRunNotFound()
        {
            WandbRun run = Runs(Api()).Single(r => r.Id == "fin0001a");
            lock (_api.Server.Data.SyncRoot)
            {
                _api.Server.Data.Projects[0].Runs.RemoveAll(r => r.Id == "fin0001a");
            }

            Assert.Equal(WandbErrorKind.RunNotFound, Assert.Throws<WandbException>(() => Api().SystemMetrics.Read(run, new SystemMetricQuery(), CancellationToken.None).ToList()).Kind);
            Assert.Equal(WandbErrorKind.RunNotFound, Assert.Throws<WandbException>(() => Api().Metadata.Read(run, CancellationToken.None)).Kind);
        }
    }
}
