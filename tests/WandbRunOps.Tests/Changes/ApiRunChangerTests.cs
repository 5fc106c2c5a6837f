using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Api;
using WandbRunOps.Changes;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Changes
{
    /// <summary>Changes against the loopback server, and the faults a change must survive without losing or doubling an effect.</summary>
    public sealed class ApiRunChangerTests : IAsyncLifetime
    {
        private FakeWandbServer _server = null!;

        public async Task InitializeAsync()
        {
            FakeDataset data = FakeData.Synthetic(3);
            data.Projects[0].Runs[0].Tags = new() { "keep", "old" };
            _server = await FakeWandbServer.StartAsync(data);
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        private ApiRunChanger Changer() => new ApiRunChanger(
            new GraphQLClient(new Uri(_server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter), new ApiClientOptions
            {
                Timeout = TimeSpan.FromSeconds(5),
                Retry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10), Random = () => 0 },
            }),
            ReadDiagnostics.None);

        private FakeRun Stored(string id) => _server.Data.Projects[0].Runs.Single(r => r.Id == id);

        private async Task<RunChangePlan> Plan(string id, RunChangeRequest request) =>
            RunChangePlan.For(await Changer().ReadAsync(FakeData.Entity, FakeData.Project, id, CancellationToken.None), request);

        private int Mutations => _server.Requests.Count(r => r.IsMutation);

        [Fact]
        public async Task AddingATagSendsTheFreshListAndReturnsTheRunAsTheServerHasIt()
        {
            RunChangePlan plan = await Plan("r0000000", new RunChangeRequest { AddTags = new[] { "new" }, RemoveTags = new[] { "old" } });
            WandbRun changed = await Changer().ApplyAsync(plan, CancellationToken.None);
            Assert.Equal(new[] { "keep", "new" }, changed.Tags);
            Assert.Equal(new[] { "keep", "new" }, Stored("r0000000").Tags);
            Assert.Equal(1, Mutations);
        }

        [Theory]
        [InlineData("lost-answer")]
        [InlineData("429")]
        [InlineData("500")]
        public async Task ARetriedTagChangeLeavesTheTagsOnceWhateverHappenedToTheFirstAttempt(string fault)
        {
            RunChangePlan plan = await Plan("r0000000", new RunChangeRequest { AddTags = new[] { "new" } });
            _server.Faults.Enqueue(Fault(fault), target: new FaultTarget(MutationsOnly: true));
            WandbRun changed = await Changer().ApplyAsync(plan, CancellationToken.None);
            Assert.Equal(new[] { "keep", "old", "new" }, Stored("r0000000").Tags);
            Assert.Equal(new[] { "keep", "old", "new" }, changed.Tags);
            Assert.Equal(2, Mutations);
        }

        [Theory]
        [InlineData("lost-answer")]
        [InlineData("429")]
        [InlineData("500")]
        public async Task ADeleteWhoseFirstAnswerWasLostOrFailedIsDoneOnceAndReportedAsDone(string fault)
        {
            RunSnapshot run = await Changer().ReadAsync(FakeData.Entity, FakeData.Project, "r0000001", CancellationToken.None);
            _server.Faults.Enqueue(Fault(fault), target: new FaultTarget(MutationsOnly: true));
            await Changer().DeleteAsync(run, deleteArtifacts: false, CancellationToken.None);
            Assert.DoesNotContain(_server.Data.Projects[0].Runs, r => r.Id == "r0000001");
            Assert.Equal(2, _server.Data.Projects[0].Runs.Count);
        }

        [Theory]
        [InlineData("lost-answer")]
        [InlineData("429")]
        [InlineData("500")]
        public async Task AStopIsSafeToRepeat(string fault)
        {
            RunSnapshot run = await Changer().ReadAsync(FakeData.Entity, FakeData.Project, "r0000002", CancellationToken.None);
            _server.Faults.Enqueue(Fault(fault), target: new FaultTarget(MutationsOnly: true));
            await Changer().StopAsync(run, CancellationToken.None);
            Assert.True(Stored("r0000002").Stopped);
        }

        [Fact]
        public async Task A403OnAChangeIsPermissionDeniedNamingTheRunNotABadKey()
        {
            RunChangePlan plan = await Plan("r0000000", new RunChangeRequest { Notes = "x" });
            _server.Faults.Enqueue(new StatusFault(403, "{\"errors\":[{\"message\":\"permission denied\"}]}"), target: new FaultTarget(MutationsOnly: true));
            WandbException error = await Assert.ThrowsAsync<WandbException>(() => Changer().ApplyAsync(plan, CancellationToken.None));
            Assert.Equal("WandbPermissionDenied", error.ErrorId);
            Assert.Equal("acme-ml/mnist-sweep/r0000000", error.Target);
            Assert.Contains("(run-0)", error.Message);
            Assert.Null(Stored("r0000000").Notes);
        }

        [Fact]
        public async Task AReadOnlyProjectRefusesEveryChangeWithPermissionDenied()
        {
            RunSnapshot run = await Changer().ReadAsync(FakeData.Entity, FakeData.Project, "r0000002", CancellationToken.None);
            _server.Data.Projects[0].ReadOnly = true;
            WandbException error = await Assert.ThrowsAsync<WandbException>(() => Changer().DeleteAsync(run, false, CancellationToken.None));
            Assert.Equal("WandbPermissionDenied", error.ErrorId);
            Assert.Contains(_server.Data.Projects[0].Runs, r => r.Id == "r0000002");
        }

        [Fact]
        public async Task ARunDeletedMeanwhileIsRunNotFoundForAChange()
        {
            RunChangePlan plan = await Plan("r0000001", new RunChangeRequest { Notes = "late" });
            _server.Data.Projects[0].Runs.RemoveAll(r => r.Id == "r0000001");
            WandbException error = await Assert.ThrowsAsync<WandbException>(() => Changer().ApplyAsync(plan, CancellationToken.None));
            Assert.Equal("WandbRunNotFound", error.ErrorId);
            Assert.Equal("acme-ml/mnist-sweep/r0000001", error.Target);
        }

        [Fact]
        public async Task ReadingARunThatDoesNotExistIsRunNotFound()
        {
            WandbException error = await Assert.ThrowsAsync<WandbException>(() => Changer().ReadAsync(FakeData.Entity, FakeData.Project, "nosuch01", CancellationToken.None));
            Assert.Equal("WandbRunNotFound", error.ErrorId);
        }

        public static TheoryData<string, string> FaultMatrix()
        {
            var data = new TheoryData<string, string>();
            foreach (string operation in new[] { "set-tags", "stop", "delete" })
            {
                foreach (string fault in new[] { "lost-answer", "429", "500", "403" })
                {
                    data.Add(operation, fault);
                }
            }

            return data;
        }

        /// <summary>docs/reliability.md's fault table: each change under each fault ends changed once, or refused with nothing changed.</summary>
        [Theory]
        [MemberData(nameof(FaultMatrix))]
        public async Task EachChangeUnderEachFaultIsAppliedExactlyOnceOrRefusedWithNothingChanged(string operation, string fault)
        {
            RunSnapshot run = await Changer().ReadAsync(FakeData.Entity, FakeData.Project, "r0000000", CancellationToken.None);
            _server.Faults.Enqueue(fault == "403" ? new StatusFault(403, "{\"errors\":[{\"message\":\"permission denied\"}]}") : Fault(fault), target: new FaultTarget(MutationsOnly: true));
            Task change = operation switch
            {
                "set-tags" => Changer().ApplyAsync(RunChangePlan.For(run, new RunChangeRequest { AddTags = new[] { "rc" } }), CancellationToken.None),
                "stop" => Changer().StopAsync(run, CancellationToken.None),
                _ => Changer().DeleteAsync(run, false, CancellationToken.None),
            };

            FakeRun? stored() => _server.Data.Projects[0].Runs.SingleOrDefault(r => r.Id == "r0000000");
            if (fault == "403")
            {
                WandbException error = await Assert.ThrowsAsync<WandbException>(() => change);
                Assert.Equal(("WandbPermissionDenied", "acme-ml/mnist-sweep/r0000000"), (error.ErrorId, (string?)error.Target));
                Assert.Equal("keep,old stopped=False", string.Join(",", stored()!.Tags) + " stopped=" + stored()!.Stopped);
                Assert.Equal(1, Mutations);
                return;
            }

            await change;
            Assert.Equal(2, Mutations); // the faulted attempt and one retry: nothing sent a third time
            switch (operation)
            {
                case "set-tags":
                    Assert.Equal(new[] { "keep", "old", "rc" }, stored()!.Tags);
                    break;
                case "stop":
                    Assert.True(stored()!.Stopped);
                    break;
                default:
                    Assert.Null(stored());
                    Assert.Equal(2, _server.Data.Projects[0].Runs.Count);
                    break;
            }
        }

        private static Fault Fault(string kind) => kind switch
        {
            "lost-answer" => new LostAnswerFault(),
            "429" => new StatusFault(429, "{\"error\":\"rate limit exceeded\"}", RetryAfter: "0"),
            _ => new StatusFault(500),
        };
    }
}
