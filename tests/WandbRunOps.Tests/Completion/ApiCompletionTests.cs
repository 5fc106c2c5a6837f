using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using WandbRunOps.FakeWandb;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Completion
{
    /// <summary>Tab completion against the loopback W&amp;B server: projects, entities, run ids, keys, artifacts; cache and time budget.</summary>
    public class ApiCompletionTests : IDisposable
    {
        private const string Server = "-BaseUrl $url -ApiKey $key";
        private const string Api = Server + " -Project acme-ml/mnist-sweep";
        private readonly ApiSamples _api = new ApiSamples();
        private readonly ModuleRunspace _ps;

        public ApiCompletionTests()
        {
            lock (_api.Server.Data.SyncRoot)
            {
                _api.Server.Data.Projects.Add(new FakeProject { Entity = FakeData.Entity, Name = "cifar-resnet" });
                _api.Server.Data.Projects.Add(new FakeProject { Entity = "vision-lab", Name = "detector" });
                _api.Server.Data.Projects.Add(new FakeProject { Entity = "someone-else", Name = "private-project" });
                _api.Server.Data.Users[0].Teams.Add("vision-lab");
            }

            // Away from ./wandb, so only the API can answer.
            string elsewhere = _api.Samples.Scratch("elsewhere");
            Directory.CreateDirectory(elsewhere);
            _ps = _api.Runspace(elsewhere);

            // The completer gives up after its 2-second budget: the first use of the API client in this process (JIT
            // of the client and of the in-process server) is paid here, so a loaded machine cannot spend the budget
            // on it and complete nothing.
            _ps.Run("$null = Get-WandbRun " + Api + " -Id fin0002b | Get-RunLoggedArtifact").ThrowOnError();
        }

        public void Dispose()
        {
            _ps.Dispose();
            _api.Dispose();
        }

        [Fact]
        public void TypedVariablesReachTheCompleterAsValues()
        {
            // -BaseUrl $url -ApiKey $key: PowerShell evaluates variables for fakeBoundParameters, so no Connect-Wandb is needed.
            Assert.Equal(new[] { "fin0001a", "fin0002b", "fin0003c" }, Completions.Texts(_ps, "Get-WandbRun " + Api + " -Id fin"));
            Assert.Equal(new[] { "fin0001a", "fin0002b", "fin0003c" }, Completions.Texts(_ps, "Measure-RunRuntime " + Server + " -Project mnist-sweep -Entity acme-ml -Id fin"));
            Assert.Contains("calm-forest-2", Completions.Complete(_ps, "Get-WandbRun " + Api + " -Id fin0002").Single().ToolTip);
        }

        [Fact]
        public void ProjectsOfTheEntity()
        {
            // No entity typed: the key's default entity (acme-ml).
            Assert.Equal(new[] { "cifar-resnet", "mnist-sweep" }, Completions.Texts(_ps, "Get-WandbRun " + Server + " -Project "));
            Assert.Equal(new[] { "mnist-sweep" }, Completions.Texts(_ps, "Get-RunConfig " + Server + " -Project mn"));
            Assert.Equal(new[] { "detector" }, Completions.Texts(_ps, "Get-WandbRun " + Server + " -Entity vision-lab -Project "));
            Assert.Equal(new[] { "vision-lab/detector" }, Completions.Texts(_ps, "Connect-Wandb " + Server + " -Project vision-lab/"));
            Assert.Equal(new[] { "acme-ml/cifar-resnet", "acme-ml/mnist-sweep" }, Completions.Texts(_ps, "Compare-RunConfig " + Server + " -Project acme-ml/"));
            Assert.Contains(_api.Server.Requests, r => r.OperationName == "CompletionProjects");
        }

        [Fact]
        public void EntitiesAreTheViewersAndItsTeams()
        {
            Assert.Equal(new[] { "acme-ml", "ana", "vision-lab" }, Completions.Texts(_ps, "Get-WandbRun " + Server + " -Entity "));
            Assert.Equal(new[] { "vision-lab" }, Completions.Texts(_ps, "Connect-Wandb " + Server + " -Entity vi"));
        }

        [Fact]
        public void AConnectionIsTheDefaultSourceAndItsEntityIsOffered()
        {
            _ps.Run("Connect-Wandb -Project vision-lab/detector -BaseUrl $url -ApiKey $key").ThrowOnError();
            Assert.Equal(new[] { "acme-ml", "ana", "vision-lab" }, Completions.Texts(_ps, "Get-WandbRun -Entity "));
            Assert.Equal(new[] { "detector" }, Completions.Texts(_ps, "Get-WandbRun -Project "));

            _ps.Run("Connect-Wandb -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key").ThrowOnError();
            Assert.Equal(new[] { "fin0001a", "fin0002b", "fin0003c" }, Completions.Texts(_ps, "Get-WandbRun -Id fin"));
            Assert.Equal(new[] { "learning_rate" }, Completions.Texts(_ps, "Get-RunConfig -Key lea"));
        }

        [Fact]
        public void ConfigAndSummaryKeysOfTheProjectsRuns()
        {
            Assert.Equal(new[] { "learning_rate" }, Completions.Texts(_ps, "Get-RunConfig " + Api + " -Key lea"));
            Assert.Equal(new[] { "data.augment" }, Completions.Texts(_ps, "Get-RunConfig " + Api + " -Id fin0001a -Key d"));
            Assert.Equal(new[] { "accuracy" }, Completions.Texts(_ps, "Get-RunSummary " + Api + " -Id fin0002b -Key a"));
            Assert.Empty(Completions.Texts(_ps, "Get-RunSummary " + Api + " -Key lea"));
        }

        [Fact]
        public void ArtifactNamesWithAliasesAndServerVersions()
        {
            Assert.Equal(new[] { "model", "model:best", "model:latest", "model:v0" }, Completions.Texts(_ps, "Get-RunLoggedArtifact " + Api + " -Id fin0002b -Name mo"));
            Assert.Equal(new[] { "mnist", "mnist:v3" }, Completions.Texts(_ps, "Get-RunUsedArtifact " + Api + " -Id fin0001a -Name mn"));
        }

        [Fact]
        public void ASecondCompletionWithinTheTtlAsksTheServerNothing()
        {
            Assert.Equal(3, Completions.Texts(_ps, "Get-WandbRun " + Api + " -Id fin").Count);
            Assert.Equal(2, Completions.Texts(_ps, "Get-WandbRun " + Server + " -Project ").Count);
            int requests = _api.Server.Requests.Count;
            Assert.True(requests > 0);

            Assert.Equal(3, Completions.Texts(_ps, "Get-WandbRun " + Api + " -Id fin").Count);
            Assert.Equal(new[] { "fin0002b" }, Completions.Texts(_ps, "Get-WandbRun " + Api + " -Id fin0002"));
            Assert.Equal(new[] { "mnist-sweep" }, Completions.Texts(_ps, "Get-WandbRun " + Server + " -Project m"));
            Assert.Equal(requests, _api.Server.Requests.Count);

            // Another project is another cache entry.
            Assert.Empty(Completions.Texts(_ps, "Get-WandbRun " + Server + " -Project acme-ml/cifar-resnet -Id fin"));
            Assert.True(_api.Server.Requests.Count > requests);
        }

        [Fact]
        public void AHangingServerCostsOneBudgetAndCompletesNothing()
        {
            _api.Server.Faults.Enqueue(new DelayFault(TimeSpan.FromSeconds(30)), 5);
            var clock = Stopwatch.StartNew();
            Assert.Empty(Completions.Texts(_ps, "Get-WandbRun " + Api + " -Id fin"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "completion took " + clock.Elapsed);

            clock.Restart();
            Assert.Empty(Completions.Texts(_ps, "Get-WandbRun " + Server + " -Project "));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "completion took " + clock.Elapsed);

            // The failure is remembered briefly: pressing Tab again does not wait again.
            clock.Restart();
            Assert.Empty(Completions.Texts(_ps, "Get-WandbRun " + Api + " -Id fin"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "second completion took " + clock.Elapsed);
            Assert.Empty(_ps.Run("$Error").Output);
        }

        [Fact]
        public void ABadKeyCompletesNothing()
        {
            _ps.SetVariable("bad", ApiSamples.Secure("not-a-key-0123456789"));
            Assert.Empty(Completions.Texts(_ps, "Get-WandbRun -BaseUrl $url -ApiKey $bad -Project "));
            Assert.Empty(Completions.Texts(_ps, "Get-WandbRun -BaseUrl $url -ApiKey $bad -Entity "));
            Assert.Empty(Completions.Texts(_ps, "Get-WandbRun -BaseUrl $url -ApiKey $bad -Project acme-ml/mnist-sweep -Id f"));
        }

        [Fact]
        public void NamesWithSpacesQuotesAndWildcardsAreQuotedAsPowerShellNeeds()
        {
            lock (_api.Server.Data.SyncRoot)
            {
                FakeRun run = _api.Server.Data.Projects[0].Runs.First(r => r.Id == "fin0001a");
                run.ConfigJson = "{\"learning rate\": {\"value\": 1}, \"it's\": {\"value\": 2}, \"layer[0]\": {\"value\": 3}, \"1e3\": {\"value\": 4}, " +
                                 "\"-x\": {\"value\": 5}, \"a$b\": {\"value\": 6}, \"data.augment\": {\"value\": true}, \"model:latest\": {\"value\": 7}}";
                _api.Server.Data.Projects.Add(new FakeProject { Entity = FakeData.Entity, Name = "team's project" });
            }

            string config = "Get-RunConfig " + Api + " -Id fin0001a -Key ";
            Assert.Equal(new[] { "'learning rate'" }, Completions.Texts(_ps, config + "lea"));
            Assert.Equal(new[] { "'it''s'" }, Completions.Texts(_ps, config + "it"));
            Assert.Equal(new[] { "\"it's\"" }, Completions.Texts(_ps, config + "\"it"));
            Assert.Equal(new[] { "'learning rate'" }, Completions.Texts(_ps, config + "'learning"));

            // -Key takes wildcards, so [ ] are escaped to match literally; the backticks then need quotes.
            Assert.Equal(new[] { "'layer`[0`]'" }, Completions.Texts(_ps, config + "lay"));
            Assert.Equal(new[] { "\"layer``[0``]\"" }, Completions.Texts(_ps, config + "\"lay"));
            Assert.Equal(new[] { "'1e3'" }, Completions.Texts(_ps, config + "1"));
            Assert.Contains("'-x'", Completions.Texts(_ps, config));
            Assert.Equal(new[] { "'a$b'" }, Completions.Texts(_ps, config + "a"));
            Assert.Equal(new[] { "data.augment" }, Completions.Texts(_ps, config + "da"));
            Assert.Equal(new[] { "model:latest" }, Completions.Texts(_ps, config + "mo"));
            Assert.Equal(new[] { "'team''s project'" }, Completions.Texts(_ps, "Get-WandbRun " + Server + " -Project te"));

            // What completion inserts is what the command needs: each one selects its key.
            foreach (string completed in new[] { "'learning rate'", "'it''s'", "\"it's\"", "'layer`[0`]'", "\"layer``[0``]\"", "'1e3'", "'-x'", "'a$b'", "data.augment", "model:latest" })
            {
                List<string> keys = _ps.Run("Get-RunConfig " + Api + " -Id fin0001a -Key " + completed + " | ForEach-Object { $_.psobject.Properties.Name } | Where-Object { $_ -notlike 'Run*' }")
                    .ThrowOnError().Output.Select(o => o.ToString()).ToList();
                Assert.Single(keys);
            }
        }
    }
}
