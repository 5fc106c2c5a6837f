using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets each run's summary (the last, or aggregated, value of each metric) as one object with one property per
    /// key, plus RunId, RunName, RunProject, RunEntity and RunPath.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RunSummary", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunSummary.md")]
    [OutputType("WandbRunOps.Model.RunSummary")]
    public sealed class GetRunSummaryCommand : RunValuesCmdlet
    {
        private protected override string RowTypeName => "WandbRunOps.Model.RunSummary";

        private protected override string KeyKind => "summary";

        private protected override string CollisionPrefix => "Summary_";

        private protected override WandbMap ValuesOf(WandbRun run) => run.Summary;
    }
}
