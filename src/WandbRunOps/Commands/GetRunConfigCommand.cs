using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets each run's config as one object with one property per key, plus RunId, RunName, RunProject, RunEntity and RunPath.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RunConfig", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunConfig.md")]
    [OutputType("WandbRunOps.Model.RunConfig")]
    public sealed class GetRunConfigCommand : RunValuesCmdlet
    {
        private protected override string RowTypeName => "WandbRunOps.Model.RunConfig";

        private protected override string KeyKind => "config";

        private protected override string CollisionPrefix => "Config_";

        private protected override WandbMap ValuesOf(WandbRun run) => run.Config;
    }
}
