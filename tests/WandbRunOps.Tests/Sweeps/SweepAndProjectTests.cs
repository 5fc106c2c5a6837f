using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Sweeps;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Sweeps
{
    /// <summary>
    /// Sweeps and projects from both sources on the same runs (the samples, and the loopback server holding them): the
    /// same ids, counts, times and best run; the best run by W&amp;B's rule; missing ids are errors for that id.
    /// </summary>
    public sealed class SweepAndProjectTests : IClassFixture<SweepAndProjectTests.Samples>
    {
        private readonly ApiSamples _samples;
        private readonly List<WandbException> _errors = new List<WandbException>();

        public SweepAndProjectTests(Samples samples) => _samples = samples.Api;

        private IRunSource Local => RunSources.Local(new[] { _samples.Samples.Wandb }, ReadDiagnostics.None);

        private GraphQLClient Client => new GraphQLClient(new Uri(_samples.Server.BaseUrl), new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter));

        private IRunSource Api => RunSources.Api(Client, FakeData.Entity, FakeData.Project, ReadDiagnostics.None);

        private List<WandbSweep> Sweeps(IRunSource source, SweepQuery query) => source.Sweeps.GetSweeps(query, _errors.Add, CancellationToken.None).ToList();

        private static WandbRun Run(string id, object? accuracy)
        {
            var run = new WandbRun { Id = id };
            run.Summary.Set("accuracy", accuracy);
            return run;
        }

        /// <summary>The sample runs and the loopback server holding them, shared by the tests of this class.</summary>
        public sealed class Samples : IDisposable
        {
            public ApiSamples Api { get; } = new ApiSamples();

            public void Dispose() => Api.Dispose();
        }

        [Theory]
        [InlineData("maximize", "high")]
        [InlineData("minimize", "low")]
        public void TheBestRunHasTheBestNumberAndRunsWithoutOneAreNeverBest(string goal, string expected)
        {
            var sweep = new WandbSweep();
            SweepMetric.Apply(sweep, "accuracy", goal);
            SweepMetric.ChooseBest(sweep, new[] { Run("none", null), Run("nan", double.NaN), Run("text", "0.99"), Run("low", 0.5), Run("high", 9L), Run("mid", 0.7) });
            Assert.Equal(expected, sweep.BestRun!.Id);
            Assert.Equal(expected == "high" ? 9.0 : 0.5, sweep.BestValue);
        }

        [Fact]
        public void TheMetricComesFromTheSweepsConfigurationUnlessNamedAndTheGoalDefaultsToMinimize()
        {
            var sweep = new WandbSweep { Config = new WandbMap { { "metric", new WandbMap { { "name", "val_loss" } } } } };
            SweepMetric.Apply(sweep, null, null);
            Assert.Equal(("val_loss", "minimize"), (sweep.MetricName, sweep.MetricGoal));

            SweepMetric.Apply(sweep, "accuracy", "Maximize");
            Assert.Equal(("accuracy", "maximize"), (sweep.MetricName, sweep.MetricGoal));

            var none = new WandbSweep();
            SweepMetric.Apply(none, null, null);
            SweepMetric.ChooseBest(none, new[] { Run("a", 1.0) });
            Assert.Null(none.MetricName);
            Assert.Null(none.BestRun);
        }

        [Fact]
        public void BothSourcesGiveTheSameSweepAndBestRun()
        {
            // The server knows the sweep's metric from its configuration; the folders need it named.
            WandbSweep api = Assert.Single(Sweeps(Api, new SweepQuery()));
            WandbSweep local = Assert.Single(Sweeps(Local, new SweepQuery { Metric = "accuracy", Goal = "maximize" }));
            Assert.Empty(_errors);

            Assert.Equal("swp01", api.Id);
            Assert.Equal((api.Id, api.RunCount, api.CreatedAt, api.State, api.MetricName, api.MetricGoal), (local.Id, local.RunCount, local.CreatedAt, local.State, local.MetricName, local.MetricGoal));
            Assert.Equal(3, api.RunCount);
            Assert.Equal("fin0002b", api.BestRun!.Id);
            Assert.Equal("fin0002b", local.BestRun!.Id);
            Assert.Equal(0.95, api.BestValue);
            Assert.Equal(api.BestValue, local.BestValue);
            Assert.Equal("bayes", api.Method);
            Assert.Null(local.Method);
        }

        [Fact]
        public void ALocalSweepWithoutAMetricHasNoBestRun()
        {
            WandbSweep local = Assert.Single(Sweeps(Local, new SweepQuery()));
            Assert.Null(local.MetricName);
            Assert.Null(local.BestRun);
        }

        [Fact]
        public void AnIdThatNamesNoSweepIsAnErrorForThatIdOnBothSources()
        {
            Assert.Equal("swp01", Assert.Single(Sweeps(Api, new SweepQuery { Ids = new[] { "nope0", "swp01" } })).Id);
            Assert.Equal("swp01", Assert.Single(Sweeps(Local, new SweepQuery { Ids = new[] { "nope0", "swp01" } })).Id);
            Assert.Equal(new[] { FakeData.Entity + "/" + FakeData.Project + "/nope0", "nope0" }, _errors.Select(e => e.Target));
            Assert.All(_errors, e => Assert.Equal(WandbErrorKind.SweepNotFound, e.Kind));
            Assert.Empty(Sweeps(Api, new SweepQuery { Ids = new[] { "nope*" } }));
            Assert.Equal(2, _errors.Count);
        }

        [Fact]
        public void BothSourcesGiveTheSameProjectWithItsRunCountAndTimes()
        {
            WandbProject api = Assert.Single(RunSources.ApiProjects(Client, FakeData.Entity, ReadDiagnostics.None).GetProjects(Array.Empty<Wildcard>(), _errors.Add, CancellationToken.None));
            WandbProject local = Assert.Single(RunSources.LocalProjects(new[] { _samples.Samples.Wandb }, ReadDiagnostics.None).GetProjects(Array.Empty<Wildcard>(), _errors.Add, CancellationToken.None));
            Assert.Empty(_errors);
            Assert.Equal((FakeData.Entity, FakeData.Project), (api.Entity, api.Name));
            Assert.Equal((api.Entity, api.Name, api.RunCount, api.CreatedAt, api.LastActiveAt), (local.Entity, local.Name, local.RunCount, local.CreatedAt, local.LastActiveAt));
            Assert.Equal(8, local.RunCount);
        }

        [Fact]
        public void ProjectNamesMatchWildcards()
        {
            IProjectLister api = RunSources.ApiProjects(Client, null, ReadDiagnostics.None);
            Assert.Single(api.GetProjects(new[] { new Wildcard("mnist*") }, _errors.Add, CancellationToken.None));
            Assert.Empty(api.GetProjects(new[] { new Wildcard("other*") }, _errors.Add, CancellationToken.None));
        }
    }
}
