using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Commands.Output;
using WandbRunOps.Errors;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets how and where each run was started: program, arguments, git remote and commit, OS, Python, host,
    /// interpreter, CPU and GPU facts and start time, one object per run. Locally from the run's wandb-metadata.json,
    /// else its log's environment record; over the API from the server's copy of the metadata file.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RunMetadata", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunMetadata.md")]
    [OutputType(MetadataRowBuilder.RowTypeName)]
    public sealed class GetRunMetadataCommand : RunInputCmdlet
    {
        private protected override void ProcessRun(WandbRun run)
        {
            RunMetadata metadata;
            try
            {
                metadata = OriginOf(run).Metadata.Read(run, Cancellation);
            }
            catch (WandbException e)
            {
                WriteWandbError(e);
                return;
            }

            WriteObject(MetadataRowBuilder.Build(run, metadata));
        }
    }
}
