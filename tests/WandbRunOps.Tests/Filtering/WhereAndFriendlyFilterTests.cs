using System;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Filtering
{
    /// <summary>-Filter, the friendly parameters, -Where and -OrderBy on both sources, against Where-Object.</summary>
    public class WhereAndFriendlyFilterTests : IDisposable
    {
        private const string Api = "-Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
        private readonly ApiSamples _api = new ApiSamples();
        private readonly ModuleRunspace _ps;

        public WhereAndFriendlyFilterTests() => _ps = _api.Runspace();

        public void Dispose()
        {
            _ps.Dispose();
            _api.Dispose();
        }

        [Theory]
        [InlineData("{ $_.Config.learning_rate -gt 0.01 -and $_.State -eq 'Finished' }")]
        [InlineData("{ $_.Config.learning_rate -lt 0.01 }")]
        [InlineData("{ $_.Config.learning_rate -le 0.003 -or $_.Summary.accuracy -ge 0.9 }")]
        [InlineData("{ $_.Name -like '*river*' -or $_.Tags -contains 'BEST' }")]
        [InlineData("{ $_.State -in 'Failed', 'crashed' }")]
        [InlineData("{ $_.Id -match '^fin' -and -not ($_.Tags -contains 'sweep') }")]
        [InlineData("{ $_.CreatedAt -gt [datetime]::UtcNow.AddDays(-3) }")]
        [InlineData("{ $_.Config.optimizer.name -eq 'ADAM' -and $_.Config.'data.augment' }")]
        [InlineData("{ $_.Runtime -gt [timespan]::FromMinutes(20) }")]
        [InlineData("{ $_.Summary.accuracy -is [double] -and [double]::IsNaN($_.Summary.accuracy) }")]
        [InlineData("{ $_.JobType -eq 'train' -and $_.Config.epochs -eq 10 }")]
        public void WhereGivesExactlyWhatWhereObjectGivesOnBothSources(string predicate)
        {
            foreach (string source in new[] { "-Path ./wandb", Api })
            {
                string[] expected = Ids("Get-WandbRun " + source + " | Where-Object " + predicate);
                ScriptResult result = _ps.Run("Get-WandbRun " + source + " -Verbose -Where " + predicate);
                Assert.Equal(expected, result.ThrowOnError().Of<WandbRun>().Select(r => r.Id).ToArray());
                Assert.Contains(result.Verbose, v => v.StartsWith("-Where:", StringComparison.Ordinal));
            }
        }

        [Fact]
        public void WhereSaysWhatWasTranslatedAndWhatRunsHere()
        {
            ScriptResult result = _ps.Run("Get-WandbRun " + Api + " -Verbose -Where { $_.State -eq 'finished' -and $_.Runtime -gt [timespan]::FromHours(1) }");
            string line = Assert.Single(result.ThrowOnError().Verbose, v => v.StartsWith("-Where:", StringComparison.Ordinal));
            Assert.Contains("translated to the filter {\"state\":{\"$regex\":\"(?i)^finished$\"}}", line);
            Assert.Contains("checked here only: $_.Runtime -gt [timespan]::FromHours(1)", line);
            Assert.Equal(new[] { "resu007g", "fin0002b" }, result.Of<WandbRun>().Select(r => r.Id));

            // The server was asked for finished runs only.
            Assert.Contains(_api.Server.Requests, r => r.OperationName == "Runs" && r.VariablesJson.Contains("(?i)^finished$"));
        }

        [Theory]
        [InlineData("-State Failed, Crashed", "fail004d,crsh005e")]
        [InlineData("-Tag sweep, best", "fin0002b")]
        [InlineData("-Tag SWEEP", "")]
        [InlineData("-Filter @{ tags = @{ '$all' = @('sweep', 'best') } }", "fin0002b")]
        [InlineData("-Filter @{ state = 'Finished' } -Tag sweep", "fin0002b,fin0003c")]
        [InlineData("-Filter @{ state = @{ '$in' = @('FAILED', 'Crashed') } }", "fail004d,crsh005e")]
        [InlineData("-JobType train -Sweep swp01", "fin0002b,fin0003c,fail004d")]
        [InlineData("-User ben", "fin0002b,fail004d")]
        [InlineData("-Group baseline", "fin0001a")]
        [InlineData("-Id fin*, *5e", "fin0001a,fin0002b,fin0003c,crsh005e")]
        [InlineData("-Name *storm*", "fail004d")]
        [InlineData("-Filter @{ 'config.learning_rate' = @{ '$gt' = 0.01 } }", "fin0003c,fail004d,crsh005e")]
        [InlineData("-Filter '{\"$or\": [{\"summary_metrics.accuracy\": {\"$gte\": 0.95}}, {\"state\": \"failed\"}]}'", "fin0002b,fail004d")]
        [InlineData("-Filter @{ 'config.data.augment' = $true } -State Finished", "fin0001a,resu007g,fin0002b,fin0003c,offl008h")]
        [InlineData("-OrderBy '-Summary.accuracy' -State Finished", "fin0002b,fin0001a,offl008h,resu007g,fin0003c")]
        [InlineData("-OrderBy Config.learning_rate, '-CreatedAt' -First 3", "offl008h,fin0001a,resu007g")]
        [InlineData("-OrderBy '-Summary.loss' -First 2", "fail004d,crsh005e")]
        public void FriendlyParametersFilterAndOrderTheSameWayOnBothSources(string parameters, string expected)
        {
            Assert.Equal(expected, string.Join(",", Ids("Get-WandbRun -Path ./wandb " + parameters)));
            Assert.Equal(expected, string.Join(",", Ids("Get-WandbRun " + Api + " " + parameters)));
        }

        [Fact]
        public void TagsAndStatesAreSentInTheFormsWandbsOwnClientsSend()
        {
            _api.Server.ClearRequests();
            ScriptResult result = _ps.Run("Get-WandbRun " + Api + " -Verbose -Tag sweep, best -Filter @{ state = 'Finished' }");
            Assert.Equal(new[] { "fin0002b" }, result.ThrowOnError().Of<WandbRun>().Select(r => r.Id));
            const string sent = "{\"$and\":[{\"state\":{\"$eq\":\"finished\"}},{\"tags\":{\"$in\":[\"sweep\"]}},{\"tags\":{\"$in\":[\"best\"]}}]}";
            Assert.Contains(result.Verbose, v => v == "Filter sent to the server: " + sent);
            string variables = Assert.Single(_api.Server.Requests, r => r.OperationName == "Runs").VariablesJson;
            Assert.DoesNotContain("$all", variables);
        }

        [Fact]
        public void TheLoopbackServerFailsOnAllUnderTagsAsWandbDoes()
        {
            // The check that catches a client sending $all: the loopback server answers it as W&B is reported to (500).
            var client = new WandbRunOps.Api.GraphQLClient(
                new Uri(_api.Server.BaseUrl),
                new WandbRunOps.Api.ApiCredential(FakeData.ApiKey, WandbRunOps.Api.ApiKeySource.Parameter),
                new WandbRunOps.Api.ApiClientOptions { Retry = new WandbRunOps.Api.RetryPolicy { MaxAttempts = 1 } });
            WandbRunOps.Values.WandbMap Variables(string filters) => new WandbRunOps.Values.WandbMap
            {
                { "entity", "acme-ml" }, { "project", "mnist-sweep" }, { "cursor", null }, { "perPage", 50 }, { "order", "+created_at" }, { "filters", filters }, { "withCount", false },
            };
            var error = Assert.Throws<WandbRunOps.Errors.WandbException>(() => client.Query("Runs", WandbRunOps.Api.Queries.Runs, Variables("{\"tags\": {\"$all\": [\"sweep\"]}}"), System.Threading.CancellationToken.None));
            Assert.Contains("HTTP 500", error.Message);
            Assert.NotNull(client.Query("Runs", WandbRunOps.Api.Queries.Runs, Variables("{\"tags\": {\"$in\": [\"sweep\"]}}"), System.Threading.CancellationToken.None).Data["project"]);
        }

        [Fact]
        public void CreatedAfterAndBeforeBoundTheCreationTime()
        {
            _ps.SetVariable("anchor", _api.Samples.Anchor);
            string[] expected = { "fin0003c", "fail004d" };
            Assert.Equal(expected, Ids("Get-WandbRun -CreatedAfter $anchor.AddDays(-3.5) -CreatedBefore $anchor.AddDays(-1.5)"));
            Assert.Equal(expected, Ids("Get-WandbRun " + Api + " -CreatedAfter $anchor.AddDays(-3.5) -CreatedBefore $anchor.AddDays(-1.5)"));
        }

        [Fact]
        public void ADottedConfigKeyIsFilteredHereAndSaidSo()
        {
            ScriptResult result = _ps.Run("Get-WandbRun " + Api + " -Verbose -Filter @{ 'config.data.augment' = $true; state = 'failed' }");
            Assert.Equal(new[] { "fail004d" }, result.ThrowOnError().Of<WandbRun>().Select(r => r.Id));
            Assert.Contains(result.Verbose, v => v.Contains("config.data.augment") && v.Contains("checked here"));
            Assert.Contains(result.Verbose, v => v.Contains("Filter sent to the server: {\"state\":{\"$eq\":\"failed\"}}"));
        }

        [Fact]
        public void ABadFilterIsATerminatingInvalidArgumentAndNoRequestIsSent()
        {
            _api.Server.ClearRequests();
            ScriptResult result = _ps.Run("try { Get-WandbRun " + Api + " -Filter @{ tags = @('a', 'b') }; 'not reached' } catch { $_ }");
            var error = Assert.IsType<System.Management.Automation.ErrorRecord>(Assert.Single(result.Output).BaseObject);
            Assert.StartsWith("WandbInvalidFilter,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("at tags:", error.Exception.Message);
            Assert.DoesNotContain(_api.Server.Requests, r => r.OperationName == "Runs");
        }

        private string[] Ids(string script) => _ps.Run(script).ThrowOnError().Of<WandbRun>().Select(r => r.Id).ToArray();
    }
}
