using System;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    public class ArtifactTests : SampleRunsTest
    {
        [Fact]
        public void LoggedArtifactsAreTypedObjects()
        {
            var artifacts = Ps.Run("Get-WandbRun | Get-RunLoggedArtifact").ThrowOnError().Of<WandbArtifact>();
            Assert.Equal(new[] { "fin0001a model:latest", "fin0002b model:latest", "fin0003c confusion:latest", "offl008h mnist-prepared:latest" }, artifacts.Select(a => a.RunId + " " + a.Reference));
            WandbArtifact best = artifacts[1];
            Assert.Equal(("model", "model", ArtifactDirection.Logged), (best.Name, best.Type, best.Direction));
            Assert.Equal(new[] { "latest", "best" }, best.Aliases);
            Assert.Null(best.Version);
            Assert.IsType<long>(best.Size);
            Assert.True(best.Size > 0);
            Assert.Equal(60000L, artifacts[3].Metadata["rows"]);
        }

        [Fact]
        public void UsedArtifactsKeepTheReferenceTheRunPassed()
        {
            var used = Ps.Run("Get-WandbRun | Get-RunUsedArtifact").ThrowOnError().Of<WandbArtifact>();
            Assert.Equal(new[] { "fin0001a mnist:v3", "fin0002b mnist:latest", "fin0003c mnist:v3" }, used.Select(a => a.RunId + " " + a.Reference));
            Assert.Equal(("v3", (int?)3), (used[0].Version, used[0].VersionIndex));
            Assert.Empty(used[0].Aliases);
            Assert.Equal(new[] { "latest" }, used[1].Aliases);
            Assert.Equal(Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("Artifact:1001")), used[0].Id);
            Assert.All(used, a => Assert.Equal(ArtifactDirection.Used, a.Direction));
        }

        [Fact]
        public void NameSelectsByAliasVersionBareNameOrPattern()
        {
            Assert.Equal(new[] { "fin0001a", "fin0002b" }, RunIds("Get-WandbRun | Get-RunLoggedArtifact -Name model:latest -ErrorAction SilentlyContinue"));
            Assert.Equal(new[] { "fin0002b" }, RunIds("Get-WandbRun | Get-RunLoggedArtifact -Name model:best -ErrorAction SilentlyContinue"));
            Assert.Equal(new[] { "fin0001a", "fin0003c" }, RunIds("Get-WandbRun | Get-RunUsedArtifact -Name mnist:v3 -ErrorAction SilentlyContinue"));
            Assert.Equal(new[] { "fin0003c", "offl008h" }, RunIds("Get-WandbRun | Get-RunLoggedArtifact -Name conf*, *prepared*"));
            Assert.Equal(new[] { "fin0001a", "fin0002b", "fin0003c" }, RunIds("Get-WandbRun | Get-RunUsedArtifact -Name mnist -ErrorAction SilentlyContinue"));
        }

        [Fact]
        public void AnUnmatchedReferenceIsAnObjectNotFoundErrorNamingRunAndReference()
        {
            ScriptResult result = Ps.Run("Get-WandbRun -Id fin0003c, fin0001a | Get-RunLoggedArtifact -Name model:latest");
            Assert.Equal(new[] { "fin0001a" }, result.Of<WandbArtifact>().Select(a => a.RunId));
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("WandbArtifactNotFound,WandbRunOps.Commands.GetRunLoggedArtifactCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("model:latest", error.TargetObject);
            Assert.Contains("fin0003c", error.Exception.Message);
        }

        [Theory]
        [InlineData("model:")]
        [InlineData(":latest")]
        [InlineData("a:b:c")]
        public void AMalformedReferenceIsATerminatingInvalidArgument(string reference)
        {
            ScriptResult result = Ps.Run("try { Get-WandbRun -Id fin0001a | Get-RunLoggedArtifact -Name $args[0]; 'not reached' } catch { $_ }", reference);
            var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
            Assert.StartsWith("WandbInvalidArgument,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(reference, error.TargetObject);
        }

        [Fact]
        public void EachFinishedRunCanBeAskedWhetherItLoggedTheModel()
        {
            ScriptResult result = Ps.Run(
                "Get-WandbRun | Where-Object State -eq Finished | ForEach-Object { '{0}={1}' -f $_.Id, [bool]($_ | Get-RunLoggedArtifact -Name model:latest -ErrorAction SilentlyContinue) }");
            Assert.Equal(
                new object[] { "fin0001a=True", "resu007g=False", "fin0002b=True", "fin0003c=False", "offl008h=False" },
                result.ThrowOnError().Output.Select(o => o.BaseObject));
        }

        private string[] RunIds(string script) => Ps.Run(script).Of<WandbArtifact>().Select(a => a.RunId!).ToArray();
    }
}
