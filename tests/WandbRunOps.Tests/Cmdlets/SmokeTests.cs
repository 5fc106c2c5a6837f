using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Cmdlets
{
    public class SmokeTests
    {
        [Fact]
        public void ModuleImportsAndExportsItsCmdlets()
        {
            using var ps = new ModuleRunspace();
            var names = ps.Run("(Get-Command -Module WandbRunOps).Name").ThrowOnError().Output.Select(o => o.BaseObject.ToString()).OrderBy(n => n).ToArray();
            Assert.Equal(new[] { "Compare-RunConfig", "Connect-Wandb", "Disconnect-Wandb", "Get-RunConfig", "Get-RunHistory", "Get-RunLoggedArtifact", "Get-RunSummary", "Get-RunUsedArtifact", "Get-WandbConnection", "Get-WandbRun", "Measure-RunRuntime" }, names);
        }
    }
}
