using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using WandbRunOps.FakeWandb;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Filtering
{
    /// <summary>
    /// Random runs on the loopback server and random predicates: -Where (translated and sent to the server, then
    /// checked here) returns exactly what piping every run to Where-Object returns.
    /// </summary>
    public sealed class WherePropertyTests : IDisposable
    {
        private readonly ModuleRunspace _ps = new ModuleRunspace();
        private readonly FakeWandbServer _server;

        public WherePropertyTests()
        {
            _server = FakeWandbServer.StartAsync(FakeData.Synthetic(0)).GetAwaiter().GetResult();
            _ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            _ps.SetVariable("url", _server.BaseUrl);
        }

        public void Dispose()
        {
            _ps.Dispose();
            _server.Dispose();
        }

        [Fact]
        public void WhereIsExactlyWhereObjectOverTheApi()
        {
            Gen<(FilterPropertyTests.Case Predicate, WandbRun[] Runs)> cases =
                from predicate in FilterPropertyTests.Filter(2)
                from runs in Gen.CollectToArray(Enumerable.Range(0, 12), FilterPropertyTests.Run)
                select (predicate, runs);

            Prop.ForAll(cases.ToArbitrary(), c =>
            {
                lock (_server.Data.SyncRoot)
                {
                    _server.Data.Projects[0].Runs.Clear();
                    _server.Data.Projects[0].Runs.AddRange(c.Runs.Select(ToFake));
                }

                string source = "Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key";
                string where = string.Join(",", _ps.Run(source + " -Where { " + c.Predicate.PowerShell + " } | ForEach-Object Id").ThrowOnError().Output);
                string whereObject = string.Join(",", _ps.Run(source + " | Where-Object { " + c.Predicate.PowerShell + " } | ForEach-Object Id").ThrowOnError().Output);
                return (where == whereObject).Label(c.Predicate.PowerShell + " | -Where " + where + " | Where-Object " + whereObject);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
        }

        private static FakeRun ToFake(WandbRun run)
        {
            var config = new WandbMap();
            foreach (var pair in run.Config)
            {
                config.Set(pair.Key, new WandbMap { { "value", pair.Value } });
            }

            return new FakeRun
            {
                Id = run.Id,
                State = run.State.ToString().ToLowerInvariant(),
                CreatedAt = run.CreatedAt,
                HeartbeatAt = run.CreatedAt.AddMinutes(5),
                Tags = run.Tags.ToList(),
                ConfigJson = ExtendedJson.Serialize(config),
                SummaryJson = ExtendedJson.Serialize(run.Summary),
            };
        }
    }
}
