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
            Assert.Equal(new[] { "Compare-RunConfig", "Connect-Wandb", "Disconnect-Wandb", "Get-RunConfig", "Get-RunFile", "Get-RunHistory", "Get-RunLog", "Get-RunLoggedArtifact", "Get-RunMetadata", "Get-RunSummary", "Get-RunSystemMetric", "Get-RunUsedArtifact", "Get-WandbArtifact", "Get-WandbConnection", "Get-WandbProject", "Get-WandbRun", "Get-WandbSweep", "Measure-RunRuntime", "Remove-WandbRun", "Save-RunFile", "Save-WandbArtifact", "Set-WandbRun", "Stop-WandbRun", "Wait-WandbRun" }, names);
        }

        [Fact]
        public void TheHostedEngineHasPowerShellsOwnUtilityAndManagementCmdlets()
        {
            // The output tests rely on the real Sort-Object, Format-Table, Export-Csv… (no stand-ins): this fails if the
            // engine is ever hosted without its built-in modules again.
            using var ps = new ModuleRunspace();
            var sources = ps.Run("'Sort-Object', 'Group-Object', 'Measure-Object', 'Select-Object', 'Format-Table', 'Format-List', 'ConvertTo-Json', 'Export-Csv', 'Set-Location' | ForEach-Object { (Get-Command $_).Source }").ThrowOnError()
                .Output.Select(o => o.BaseObject.ToString()).Distinct().OrderBy(s => s).ToArray();
            Assert.Equal(new[] { "Microsoft.PowerShell.Management", "Microsoft.PowerShell.Utility" }, sources);
            Assert.Equal("1,2.5,10", ps.Run("(10, 2.5, 1 | Sort-Object) -join ','").ThrowOnError().Output.Single().ToString());
            Assert.Equal("a,A,B", ps.Run("('B', 'A', 'a' | Sort-Object -CaseSensitive) -join ','").ThrowOnError().Output.Single().ToString());
        }
    }
}
