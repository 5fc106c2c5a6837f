using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Api
{
    /// <summary>The cmdlets over the W&amp;B API (the loopback server), compared with the same runs read locally.</summary>
    public class ApiCmdletTests : IDisposable
    {
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
        private readonly ApiSamples _api = new ApiSamples();
        private readonly ModuleRunspace _ps;

        public ApiCmdletTests() => _ps = _api.Runspace();

        public void Dispose()
        {
            _ps.Dispose();
            _api.Dispose();
        }

        [Fact]
        public void ApiRunsAreTheSameObjectsAsLocalRuns()
        {
            List<WandbRun> local = _ps.Run("Get-WandbRun").ThrowOnError().Of<WandbRun>();
            List<WandbRun> remote = _ps.Run("Get-WandbRun " + Api).ThrowOnError().Of<WandbRun>();
            Assert.Equal(local.Select(r => r.Id), remote.Select(r => r.Id));
            foreach (var (l, r) in local.Zip(remote))
            {
                Assert.Equal(RunSource.Api, r.Source);
                Assert.Equal((l.Name, l.State, l.JobType, l.Group, l.SweepId, l.Username), (r.Name, r.State, r.JobType, r.Group, r.SweepId, r.Username));
                Assert.Equal(l.Tags, r.Tags);
                Assert.Equal(DateTimeKind.Utc, r.CreatedAt.Kind);
                Assert.Equal(l.CreatedAt, r.CreatedAt, TimeSpan.FromTicks(10));
                Assert.Equal(l.HeartbeatAt, r.HeartbeatAt, TimeSpan.FromTicks(10));
                Assert.Equal(l.ReportedSeconds, r.ReportedSeconds);
                Assert.Equal(ExtendedJson.Serialize(l.Config), ExtendedJson.Serialize(r.Config));
                Assert.Equal(ExtendedJson.Serialize(l.Summary), ExtendedJson.Serialize(r.Summary));
                Assert.Equal("http://127.0.0.1:" + new Uri(_api.Server.BaseUrl).Port + "/acme-ml/mnist-sweep/runs/" + r.Id, r.Url);
            }
        }

        [Theory]
        [InlineData("Get-WandbRun @source | Get-RunConfig | Where-Object learning_rate -gt 0.01 | ForEach-Object RunId")]
        [InlineData("Get-WandbRun @source | Where-Object State -eq Failed | ForEach-Object Id")]
        [InlineData("Get-WandbRun @source | Where-Object { $_.Summary.accuracy -is [double] -and -not [double]::IsNaN($_.Summary.accuracy) -and $_.Summary.accuracy -gt 0.9 } | ForEach-Object Id")]
        [InlineData("Get-WandbRun @source | Measure-RunRuntime | Where-Object Runtime -gt ([timespan]::FromHours(1)) | ForEach-Object RunId")]
        [InlineData("Get-WandbRun @source | Where-Object State -eq Finished | ForEach-Object { '{0}={1}' -f $_.Id, [bool]($_ | Get-RunLoggedArtifact -Name model:latest -ErrorAction SilentlyContinue) }")]
        [InlineData("Get-WandbRun @source -Id fin0001a | Get-RunUsedArtifact | ForEach-Object { $_.Name + ':' + $_.Type }")]
        [InlineData("Get-WandbRun @source | Get-RunSummary -Key accuracy | Where-Object accuracy -gt 0.85 | ForEach-Object RunId")]
        [InlineData("(Get-WandbRun @source | Measure-RunRuntime -Statistics).Count")]
        [InlineData("$all = @(Get-WandbRun @source); Compare-RunConfig -ReferenceRun $all[0] -DifferenceRun $all[1..7] | ForEach-Object { '{0} {1} {2}' -f $_.DifferenceRunId, $_.Key, $_.SideIndicator }")]
        public void TheSameRunbookGivesTheSameAnswersLocallyAndOverTheApi(string runbook)
        {
            var local = _ps.Run("$source = @{ Path = './wandb' }; " + runbook).ThrowOnError().Output.Select(o => o.ToString()).ToList();
            var remote = _ps.Run("$source = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $url; ApiKey = $key }; " + runbook).ThrowOnError().Output.Select(o => o.ToString()).ToList();
            Assert.NotEmpty(local);
            Assert.Equal(local, remote);
        }

        [Fact]
        public void PageSizeOfAListingDoesNotReachTheCommandsItsRunsArePipedTo()
        {
            // Get-WandbRun -PageSize 1 lists runs one per request. The runs keep their source (same server and key) but
            // not that listing's page size, so Get-RunLoggedArtifact pages artifacts at its own size, not one per request.
            int expected = _ps.Run("Get-WandbRun | Get-RunLoggedArtifact").ThrowOnError().Of<WandbArtifact>().Count;
            _api.Server.ClearRequests();
            List<WandbArtifact> artifacts = _ps.Run("Get-WandbRun " + Api + " -PageSize 1 | Get-RunLoggedArtifact").ThrowOnError().Of<WandbArtifact>();
            Assert.Equal(expected, artifacts.Count);
            long[] runPages = PerPage("Runs");
            Assert.True(runPages.Length > 1, "the listing itself pages at -PageSize 1");
            Assert.All(runPages, size => Assert.Equal(1L, size));
            long[] artifactPages = PerPage("RunOutputArtifacts");
            Assert.Equal(_ps.Run("Get-WandbRun " + Api).ThrowOnError().Of<WandbRun>().Count, artifactPages.Length);
            Assert.All(artifactPages, size => Assert.Equal(1000L, size));
        }

        private long[] PerPage(string operation) => _api.Server.Requests
            .Where(r => r.OperationName == operation)
            .Select(r => (long)((WandbMap)ExtendedJson.Parse(r.VariablesJson)!)["perPage"]!)
            .ToArray();

        [Fact]
        public void ArtifactsComeWithServerVersions()
        {
            var logged = _ps.Run("Get-WandbRun " + Api + " -Id fin0002b | Get-RunLoggedArtifact").ThrowOnError().Of<WandbArtifact>();
            WandbArtifact model = Assert.Single(logged);
            Assert.Equal(("model", "v0", (int?)0, "model:v0", "COMMITTED"), (model.Name, model.Version, model.VersionIndex, model.Reference, model.State));
            Assert.Equal(new[] { "latest", "best" }, model.Aliases);
            Assert.NotNull(model.Id);

            var used = _ps.Run("Get-WandbRun " + Api + " -Id fin0001a | Get-RunUsedArtifact -Name mnist:v3").ThrowOnError().Of<WandbArtifact>();
            Assert.Equal("mnist:v3", Assert.Single(used).Reference);
        }

        [Fact]
        public void RunCmdletsTakeProjectAndIdDirectly()
        {
            ScriptResult config = _ps.Run("Get-RunConfig -Project mnist-sweep -Entity acme-ml -Id fin0003c -BaseUrl $url -ApiKey $key | ForEach-Object { $_.RunId + '=' + $_.learning_rate }");
            Assert.Equal(new object[] { "fin0003c=0.05" }, config.ThrowOnError().Output.Select(o => o.BaseObject));
            ScriptResult runtime = _ps.Run("Measure-RunRuntime " + Api + " -Id fin0002b | ForEach-Object Seconds");
            Assert.Equal(new object[] { 4500d }, runtime.ThrowOnError().Output.Select(o => o.BaseObject));
            ScriptResult used = _ps.Run("Get-RunUsedArtifact " + Api + " -Id fin0002b | ForEach-Object Reference");
            Assert.Equal(new object[] { "mnist:v4" }, used.ThrowOnError().Output.Select(o => o.BaseObject));
            ScriptResult compared = _ps.Run("Compare-RunConfig fin0001a fin0003c, zzzz9999 " + Api);
            Assert.Equal(new[] { "learning_rate" }, compared.Of<WandbRunOps.Model.ConfigDifference>().Select(d => d.Key));
            Assert.Equal("acme-ml/mnist-sweep/zzzz9999", Assert.Single(compared.Errors).TargetObject);
        }

        [Fact]
        public void RequestsGoThroughTheProxyWhenOneIsGiven()
        {
            // The loopback server doubles as the HTTP proxy: requests for an unresolvable host reach it only through -Proxy
            // (plain http:// to a host that is not loopback, hence -AllowInsecure).
            _api.Server.ClearRequests();
            ScriptResult result = _ps.Run("Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl http://wandb.invalid:8080 -ApiKey $key -Proxy $url -AllowInsecure");
            Assert.Equal(8, result.ThrowOnError().Of<WandbRun>().Count);
            Assert.Contains(_api.Server.Requests, r => r.OperationName == "Runs");
        }

        [Fact]
        public void RowsFromApiRunsRebindThroughTheirIdentity()
        {
            ScriptResult result = _ps.Run(
                "Get-WandbRun " + Api + " -Id fin0002b, fin0003c | Get-RunConfig | Get-RunSummary -BaseUrl $url -ApiKey $key | ForEach-Object { $_.RunId + '=' + $_.accuracy + '@' + $_.RunProject }");
            Assert.Equal(new object[] { "fin0002b=0.95@mnist-sweep", "fin0003c=0.88@mnist-sweep" }, result.ThrowOnError().Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void LiteralIdsFetchSingleRunsAndMissingOnesAreObjectNotFound()
        {
            _api.Server.ClearRequests();
            ScriptResult result = _ps.Run("Get-WandbRun " + Api + " -Id fin0001a, zzzz9999");
            Assert.Equal(new[] { "fin0001a" }, result.Of<WandbRun>().Select(r => r.Id));
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("WandbRunNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("acme-ml/mnist-sweep/zzzz9999", error.TargetObject);
            Assert.Equal(new[] { "Run", "Run" }, _api.Server.Requests.Select(r => r.OperationName));
        }

        [Fact]
        public void AMissingProjectIsANonTerminatingObjectNotFoundNamingEntityAndProject()
        {
            ScriptResult result = _ps.Run("Get-WandbRun -Project acme-ml/nope -BaseUrl $url -ApiKey $key; 'carried on'");
            Assert.Equal(new object[] { "carried on" }, result.Output.Select(o => o.BaseObject));
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("WandbProjectNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("acme-ml/nope", error.TargetObject);

            ScriptResult byId = _ps.Run("Get-WandbRun -Project acme-ml/nope -Id a1, a2 -BaseUrl $url -ApiKey $key");
            Assert.StartsWith("WandbProjectNotFound,", Assert.Single(byId.Errors).FullyQualifiedErrorId);

            ScriptResult stop = _ps.Run("try { Get-WandbRun -Project acme-ml/nope -BaseUrl $url -ApiKey $key -ErrorAction Stop; 'not reached' } catch { $_.FullyQualifiedErrorId }");
            Assert.StartsWith("WandbProjectNotFound,", (string)Assert.Single(stop.Output).BaseObject);
        }

        [Fact]
        public void ABadKeyIsATerminatingAuthenticationErrorThatNamesItsSourceNotTheKey()
        {
            _ps.SetVariable("bad", ApiSamples.Secure("bad-key-do-not-print-0123456789abcdef01234"));
            ScriptResult result = _ps.Run("try { Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $bad -Verbose; 'not reached' } catch { $_ }");
            var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
            Assert.StartsWith("WandbAuthenticationFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("the -ApiKey parameter", error.Exception.Message);
            Assert.DoesNotContain("do-not-print", AllText(result));
        }

        [Fact]
        public void VerboseExplainsEachRequestAndDebugShowsStatusAndRetries()
        {
            _api.Server.Faults.Enqueue(new FakeWandb.StatusFault(503));
            _ps.Run("$DebugPreference = 'Continue'").ThrowOnError();
            ScriptResult result = _ps.Run("Get-WandbRun " + Api + " -RetryIntervalSec 0.01 -Verbose -Debug");
            Assert.Equal(8, result.ThrowOnError().Of<WandbRun>().Count);
            Assert.Contains(result.Verbose, v => v.Contains("/graphql Runs acme-ml/mnist-sweep page 1: 8 run(s)") && v.Contains(" ms") && v.Contains("1 retry"));
            Assert.Contains(result.Verbose, v => v.Contains("Using W&B at") && v.Contains("API key from the -ApiKey parameter"));
            Assert.DoesNotContain(FakeData.ApiKey, AllText(result));
        }

        [Fact]
        public void ConnectWandbSetsTheSessionDefaultsAndNeverShowsTheKey()
        {
            ScriptResult connect = _ps.Run("Connect-Wandb -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key");
            PSObject connection = Assert.Single(connect.ThrowOnError().Output);
            Assert.Equal(("ana", "acme-ml", "mnist-sweep"), ((string)connection.Prop("Username")!, (string)connection.Prop("Entity")!, (string)connection.Prop("Project")!));
            Assert.Equal("Parameter", connection.Prop("KeySource")!.ToString());
            Assert.DoesNotContain(FakeData.ApiKey, string.Join("|", connection.Properties.Select(p => p.Value?.ToString())) + connection);

            // A connection with a project wins over ./wandb, so the bare command lists the project.
            Assert.All(_ps.Run("Get-WandbRun").ThrowOnError().Of<WandbRun>(), r => Assert.Equal(RunSource.Api, r.Source));
            Assert.Single(_ps.Run("Get-WandbConnection").ThrowOnError().Output);
            Assert.Equal(new object[] { "fin0002b=0.95" }, _ps.Run("Get-RunSummary -Id fin0002b | ForEach-Object { $_.RunId + '=' + $_.accuracy }").ThrowOnError().Output.Select(o => o.BaseObject));

            _ps.Run("Disconnect-Wandb").ThrowOnError();
            Assert.Empty(_ps.Run("Get-WandbConnection").ThrowOnError().Output);
            Assert.All(_ps.Run("Get-WandbRun").ThrowOnError().Of<WandbRun>(), r => Assert.Equal(RunSource.Local, r.Source));
        }

        [Fact]
        public void ConnectingWithABadKeyFailsAndLeavesNoConnection()
        {
            _ps.SetVariable("bad", ApiSamples.Secure("another-bad-key"));
            ScriptResult result = _ps.Run("try { Connect-Wandb -BaseUrl $url -ApiKey $bad } catch { $_.FullyQualifiedErrorId }");
            Assert.StartsWith("WandbAuthenticationFailed,", (string)Assert.Single(result.Output).BaseObject);
            Assert.Empty(_ps.Run("Get-WandbConnection").Output);
        }

        [Fact]
        public void StoppingTheCommandCancelsASlowRequestAtOnce()
        {
            _api.Server.Faults.Enqueue(new FakeWandb.DelayFault(TimeSpan.FromSeconds(30)));
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _ps.RawRunspace;
            shell.AddScript("Get-WandbRun " + Api);
            IAsyncResult running = shell.BeginInvoke();
            WaitUntil(() => _api.Server.Requests.Count > 0 || running.IsCompleted, TimeSpan.FromSeconds(10));
            var clock = Stopwatch.StartNew();
            shell.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "Stop took " + clock.Elapsed);
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        }

        private static void WaitUntil(Func<bool> condition, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (!condition() && clock.Elapsed < limit)
            {
                System.Threading.Thread.Sleep(10);
            }
        }

        private static string AllText(ScriptResult result) =>
            string.Join("\n", result.Output.Select(o => o.ToString())
                .Concat(result.Errors.Select(e => e.ToString() + e.Exception))
                .Concat(result.Warnings)
                .Concat(result.Verbose)
                .Concat(new[] { result.Terminating?.ToString() ?? string.Empty }));
    }
}
