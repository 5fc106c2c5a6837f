using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Completion
{
    /// <summary>Tab completion over local run folders: run ids from folder names, config and summary keys, artifact names.</summary>
    public class LocalCompletionTests : SampleRunsTest
    {
        [Fact]
        public void RunIdsCompleteFromTheRunFoldersOfDotWandb()
        {
            Assert.Equal(new[] { "fin0001a", "fin0002b", "fin0003c" }, Completions.Texts(Ps, "Get-WandbRun -Id fin"));
            Assert.Equal(new[] { "fin0001a", "fin0002b", "fin0003c" }, Completions.Texts(Ps, "Get-WandbRun -Id FIN"));

            // A resumed run has two folders and one id; every run is offered, in order.
            Assert.Equal(new[] { "resu007g" }, Completions.Texts(Ps, "Get-RunConfig -Id r"));
            Assert.Equal(8, Completions.Texts(Ps, "Measure-RunRuntime -Id ").Count);
            CompletionResult first = Completions.Complete(Ps, "Get-WandbRun -Id fin0001").Single();
            Assert.Equal(CompletionResultType.ParameterValue, first.ResultType);
            Assert.Contains("run-", first.ToolTip);
        }

        [Fact]
        public void RunIdsCompleteFromTheTypedPathAndForCompareRunConfigsRuns()
        {
            string elsewhere = Samples.Scratch("elsewhere");
            Directory.CreateDirectory(elsewhere);
            Ps.SetLocation(elsewhere);
            Ps.SetVariable("wandb", Samples.Wandb);
            Assert.Equal(new[] { "fail004d", "fin0001a", "fin0002b", "fin0003c" }, Completions.Texts(Ps, "Get-WandbRun -Path $wandb -Id f"));
            Assert.Equal(new[] { "crsh005e" }, Completions.Texts(Ps, "Get-RunSummary -Path " + Quoted(Samples.Wandb) + " -Id c"));
            Assert.Equal(new[] { "offl008h" }, Completions.Texts(Ps, "Get-WandbRun -LiteralPath " + Quoted(Samples.Wandb) + " -Id o"));
            Assert.Equal(new[] { "live006f" }, Completions.Texts(Ps, "Compare-RunConfig -Path $wandb -ReferenceRun li"));
            Assert.Equal(new[] { "fin0002b" }, Completions.Texts(Ps, "Compare-RunConfig -Path $wandb fin0001a fin0002"));
        }

        [Fact]
        public void RunIdsAreFolderNamesOnlyNoLogIsRead()
        {
            // A run whose log is garbage still completes: completion never opens it.
            string wandb = Samples.Scratch("broken/wandb");
            string folder = Path.Combine(wandb, "run-20260101_000000-bad00001");
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, "run-bad00001.wandb"), new byte[] { 1, 2, 3, 4, 5 });
            Ps.SetLocation(Samples.Scratch("broken"));
            Assert.Equal(new[] { "bad00001" }, Completions.Texts(Ps, "Get-WandbRun -Id b"));
        }

        [Fact]
        public void AFolderWithoutWandbCompletesNothingAndRaisesNothing()
        {
            string empty = Samples.Scratch("empty");
            Directory.CreateDirectory(empty);
            Ps.SetLocation(empty);
            Assert.Empty(Completions.Texts(Ps, "Get-WandbRun -Id fin"));
            Assert.Empty(Completions.Texts(Ps, "Get-RunConfig -Key lea"));
            Assert.Empty(Completions.Texts(Ps, "Get-RunLoggedArtifact -Name mo"));
            Assert.Empty(Completions.Texts(Ps, "Get-WandbRun -Path ./nowhere -Id fin"));
            Assert.Empty(Ps.Run("$Error").Output);
        }

        [Fact]
        public void ConfigKeysComeFromTheNewestRuns()
        {
            Assert.Equal(new[] { "learning_rate" }, Completions.Texts(Ps, "Get-RunConfig -Key lea"));

            // PowerShell reads data.augment as one bareword argument, so it needs no quotes.
            Assert.Equal(new[] { "data.augment" }, Completions.Texts(Ps, "Get-RunConfig -Key dat"));
            Assert.Equal(
                new[] { "architecture", "batch_size", "data.augment", "epochs", "learning_rate", "optimizer" },
                Completions.Texts(Ps, "Get-WandbRun | Get-RunConfig -Key "));

            // The SDK's own keys only with -IncludeInternal; nested keys as dotted paths with -Flatten, as the command shows them.
            Assert.Empty(Completions.Texts(Ps, "Get-RunConfig -Key _"));
            Assert.Equal(new[] { "_wandb" }, Completions.Texts(Ps, "Get-RunConfig -IncludeInternal -Key _"));
            Assert.Equal(new[] { "optimizer.beta1", "optimizer.name" }, Completions.Texts(Ps, "Get-RunConfig -Flatten -Key opt"));
        }

        [Fact]
        public void KeysFollowTheTypedIdAndTheUsersQuote()
        {
            Assert.Equal(new[] { "'learning_rate'" }, Completions.Texts(Ps, "Get-RunConfig -Id fin0001a -Key 'lea"));
            Assert.Equal(new[] { "\"learning_rate\"" }, Completions.Texts(Ps, "Get-RunConfig -Id fin0001a -Key \"lea"));
            Assert.Equal(new[] { "learning_rate" }, Completions.Texts(Ps, "Get-RunConfig -Id fin0001a -Key l*r"));
            Assert.Contains("0.001", Completions.Complete(Ps, "Get-RunConfig -Id fin0001a -Key lea").Single().ToolTip);
        }

        [Fact]
        public void SummaryKeysForGetRunSummary()
        {
            List<string> keys = Completions.Texts(Ps, "Get-RunSummary -Id fin0002b -Key ");
            Assert.Contains("accuracy", keys);
            Assert.Contains("loss", keys);
            Assert.DoesNotContain("learning_rate", keys);
            Assert.DoesNotContain("_wandb", keys);
            Assert.Equal(new[] { "accuracy" }, Completions.Texts(Ps, "Get-RunSummary -Key acc"));
        }

        [Fact]
        public void HistoryKeysForGetRunHistory()
        {
            List<string> keys = Completions.Texts(Ps, "Get-RunHistory -Id fin0002b -Key ");
            Assert.Contains("accuracy", keys);
            Assert.Contains("_step", keys);
            Assert.DoesNotContain("learning_rate", keys);
            Assert.DoesNotContain("_wandb", keys);
            Assert.Equal(new[] { "loss" }, Completions.Texts(Ps, "Get-WandbRun -Id fin0002b | Get-RunHistory -Key lo"));
        }

        [Fact]
        public void RunFieldsOfGetWandbRunComeFromTheRuns()
        {
            Assert.Equal(new[] { "baseline", "best", "sweep" }, Completions.Texts(Ps, "Get-WandbRun -Tag "));
            Assert.Equal(new[] { "swp01" }, Completions.Texts(Ps, "Get-WandbRun -Sweep "));
            Assert.Equal(new[] { "ana", "ben" }, Completions.Texts(Ps, "Get-WandbRun -User "));
            Assert.Equal(new[] { "baseline" }, Completions.Texts(Ps, "Get-WandbRun -Group "));
            Assert.Equal(new[] { "train" }, Completions.Texts(Ps, "Get-WandbRun -JobType "));
            Assert.Equal(new[] { "calm-forest-2" }, Completions.Texts(Ps, "Get-WandbRun -Name calm"));
            Assert.Equal(new[] { "Summary.accuracy" }, Completions.Texts(Ps, "Get-WandbRun -OrderBy Summary.acc"));
            Assert.Equal(new[] { "'-Runtime'" }, Completions.Texts(Ps, "Get-WandbRun -OrderBy '-Runt"));
            Assert.Contains("Config.optimizer.name", Completions.Texts(Ps, "Get-WandbRun -OrderBy Config."));
        }

        [Fact]
        public void ArtifactNamesWithAliasesForTheChosenRun()
        {
            Assert.Equal(new[] { "model", "model:latest" }, Completions.Texts(Ps, "Get-RunLoggedArtifact -Id fin0001a -Name mo"));
            Assert.Equal(new[] { "model", "model:best", "model:latest" }, Completions.Texts(Ps, "Get-RunLoggedArtifact -Id fin0002b -Name mo"));
            Assert.Equal(new[] { "mnist", "mnist:v3" }, Completions.Texts(Ps, "Get-RunUsedArtifact -Id fin0001a -Name "));
            Assert.Empty(Completions.Texts(Ps, "Get-RunLoggedArtifact -Id fin0003c -Name mo"));
            Assert.Contains("model", Completions.Complete(Ps, "Get-RunLoggedArtifact -Id fin0001a -Name model:").Single().ToolTip);
        }

        [Fact]
        public void RunFileNamesCompleteFromTheRunsFiles()
        {
            Assert.Equal(new[] { "wandb-metadata.json", "wandb-summary.json" }, Completions.Texts(Ps, "Get-RunFile -Id fin0001a -Name wandb-"));
            Assert.Equal(new[] { "config.yaml" }, Completions.Texts(Ps, "Save-RunFile -Id fin0002b -Destination x -Name con"));
            Assert.Contains("587 bytes, run fin0001a", Completions.Complete(Ps, "Get-RunFile -Id fin0001a -Name config").Single().ToolTip);
        }

        [Fact]
        public void TabExpansion2CalledFromAScriptCompletesToo()
        {
            // What the Pester test (tests/Get-RunConfig.Tests.ps1) and PSReadLine do: call TabExpansion2 from script.
            Ps.SetVariable("wandb", Samples.Wandb);
            ScriptResult result = Ps.Run(
                "$line = \"Get-RunConfig -Path '$wandb' -Id fin\"; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText -join ','; " +
                "$line = \"Get-RunConfig -Path '$wandb' -Key lea\"; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText");
            Assert.Equal(new object[] { "fin0001a,fin0002b,fin0003c", "learning_rate" }, result.ThrowOnError().Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void LocalCompletionIsQuick()
        {
            Completions.Texts(Ps, "Get-WandbRun -Id f");
            var clock = Stopwatch.StartNew();
            Assert.Equal(3, Completions.Texts(Ps, "Get-WandbRun -Id fin").Count);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "completion took " + clock.Elapsed);
        }

        private static string Quoted(string path) => "'" + path.Replace("'", "''") + "'";
    }
}
