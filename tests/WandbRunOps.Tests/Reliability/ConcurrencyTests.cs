using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;
using Xunit.Abstractions;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// The cmdlets in 8 runspaces at once (a runspace pool, as ForEach-Object -Parallel uses): listings and history
    /// from the loopback server and from local folders, tab completion, and Connect-Wandb, all at the same time. Every
    /// answer must equal the one a single runspace gives alone: the shared HTTP clients, the completion cache and the
    /// per-session connection store must not mix anything up.
    /// </summary>
    public sealed class ConcurrencyTests : IDisposable
    {
        private const int Runspaces = 8;
        private const int Rounds = 3;

        private readonly ITestOutputHelper _output;
        private readonly ApiSamples _api = new ApiSamples();

        public ConcurrencyTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _api.Dispose();

        /// <summary>Each command, run alone first for the expected answer, then <see cref="Rounds"/> times in each of the 8 runspaces at once.</summary>
        [Fact]
        public void ParallelRunspacesGetTheSameAnswersAsOneRunspaceAlone()
        {
            string api = "-Project acme-ml/mnist-sweep -BaseUrl '" + _api.Server.BaseUrl + "' -ApiKey $key";
            string local = "-Path '" + _api.Samples.Wandb + "'";
            var commands = new[]
            {
                "Get-WandbRun " + api + " -PageSize 3",
                "Get-WandbRun " + local,
                "Get-WandbRun " + api + " -OrderBy '-Summary.accuracy' -State Finished, Failed",
                "Get-RunHistory " + api + " -Id fin0001a, resu007g -PageSize 4",
                "Get-RunHistory " + local + " -Id fin0001a, resu007g",
                "Get-WandbRun " + local + " | Get-RunSummary -Key accuracy, loss",
                "Get-WandbRun " + api + " -Id fin0001a | Get-RunLoggedArtifact",
                Completion("Get-WandbRun " + api + " -Id fin"),
                Completion("Get-RunConfig " + api + " -Key lea"),
                Completion("Get-WandbRun " + local + " -Id "),
                Completion("Get-RunSummary " + local + " -Key "),
            };

            Dictionary<string, string> expected;
            using (ModuleRunspace alone = _api.Runspace())
            {
                expected = commands.ToDictionary(c => c, c => Canonical(alone.Run(c).ThrowOnError().Output));
            }

            Assert.All(expected, pair => Assert.NotEqual(string.Empty, pair.Value));

            using RunspacePool pool = OpenPool();
            var jobs = new List<(string Command, PowerShell Shell, IAsyncResult Running)>();
            for (int round = 0; round < Rounds; round++)
            {
                for (int worker = 0; worker < Runspaces; worker++)
                {
                    // Each worker starts at a different command, so different commands overlap.
                    foreach (string command in commands.Skip(worker % commands.Length).Concat(commands.Take(worker % commands.Length)))
                    {
                        PowerShell shell = PowerShell.Create();
                        shell.RunspacePool = pool;
                        shell.AddScript("param($key) " + command).AddArgument(Key());
                        jobs.Add((command, shell, shell.BeginInvoke()));
                    }
                }
            }

            var mismatches = new List<string>();
            foreach (var (command, shell, running) in jobs)
            {
                using (shell)
                {
                    string actual = Canonical(shell.EndInvoke(running).ToList());
                    if (shell.HadErrors || actual != expected[command])
                    {
                        mismatches.Add(command + ": " + string.Join(" | ", shell.Streams.Error) + "\n  expected " + expected[command] + "\n  actual   " + actual);
                    }
                }
            }

            _output.WriteLine(jobs.Count + " invocations of " + commands.Length + " commands in " + Runspaces + " runspaces at once, " + mismatches.Count + " mismatches");
            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        }

        [Fact]
        public void EachRunspaceKeepsItsOwnConnection()
        {
            using RunspacePool pool = OpenPool();
            var jobs = new List<(string Project, PowerShell Shell, IAsyncResult Running)>();
            for (int i = 0; i < Runspaces * Rounds; i++)
            {
                string project = "project-" + i.ToString(CultureInfo.InvariantCulture);
                PowerShell shell = PowerShell.Create();
                shell.RunspacePool = pool;

                // Connect, read the connection back a few times while the others connect, then disconnect.
                shell.AddScript(
                    "param($url, $key, $project) $null = Connect-Wandb -BaseUrl $url -ApiKey $key -Project $project; " +
                    "foreach ($i in 1..20) { (Get-WandbConnection).Project }; Disconnect-Wandb; @(Get-WandbConnection).Count")
                    .AddArgument(_api.Server.BaseUrl).AddArgument(Key()).AddArgument(project);
                jobs.Add((project, shell, shell.BeginInvoke()));
            }

            foreach (var (project, shell, running) in jobs)
            {
                using (shell)
                {
                    List<object> seen = shell.EndInvoke(running).Select(o => o.BaseObject).ToList();
                    Assert.False(shell.HadErrors, string.Join(" | ", shell.Streams.Error));
                    Assert.Equal(Enumerable.Repeat<object>(project, 20).Append(0), seen);
                }
            }
        }

        private static RunspacePool OpenPool()
        {
            RunspacePool pool = RunspaceFactory.CreateRunspacePool(HostedEngine.SessionState());
            pool.SetMaxRunspaces(Runspaces);
            pool.SetMinRunspaces(Runspaces);
            pool.Open();
            return pool;
        }

        private static SecureString Key() => ApiSamples.Secure(FakeData.ApiKey);

        /// <summary>What Tab offers for <paramref name="input"/> (cursor at the end).</summary>
        private static string Completion(string input) =>
            "(TabExpansion2 -inputScript \"" + input.Replace("$", "`$", StringComparison.Ordinal) + "\" -cursorColumn " + input.Length + ").CompletionMatches | ForEach-Object CompletionText";

        /// <summary>A command's output as text that holds every value a user sees, in order.</summary>
        private static string Canonical(IEnumerable<PSObject> output) => string.Join("\n", output.Select(o => o.BaseObject switch
        {
            WandbRun run => string.Join(
                "|",
                run.Id,
                run.Name,
                run.Entity,
                run.Project,
                run.State,
                run.CreatedAt.Ticks,
                run.HeartbeatAt.Ticks,
                run.ReportedSeconds,
                run.HistoryCount,
                run.Path,
                string.Join(",", run.Tags),
                ExtendedJson.Serialize(run.Config),
                ExtendedJson.Serialize(run.Summary)),
            WandbArtifact artifact => string.Join("|", artifact.RunId, artifact.Reference, artifact.Type, artifact.Digest, artifact.Size, string.Join(",", artifact.Aliases)),
            PSCustomObject => string.Join("|", o.Properties.Select(p => p.Name + "=" + Value(p.Value))),
            var other => other.ToString(),
        }));

        private static string Value(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
        {
            null => "$null",
            DateTime time => time.Ticks.ToString(CultureInfo.InvariantCulture),
            double number => number.ToString("R", CultureInfo.InvariantCulture),
            WandbMap map => ExtendedJson.Serialize(map),
            var other => other.ToString() ?? string.Empty,
        };
    }
}
