using System.Management.Automation;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// A run's metadata as one object: the run's identity (RunId, RunName, RunProject, RunEntity, RunPath), then
    /// every fact of <see cref="RunMetadata"/>, <c>$null</c> where the run recorded none (module/WandbRunOps.Format.ps1xml
    /// has its views).
    /// </summary>
    internal static class MetadataRowBuilder
    {
        public const string RowTypeName = "WandbRunOps.Model.RunMetadata";

        public static PSObject Build(WandbRun run, RunMetadata metadata)
        {
            PSObject row = RunRowBuilder.NewRow(RowTypeName, run);
            Add(row, nameof(RunMetadata.Program), metadata.Program);
            Add(row, nameof(RunMetadata.Args), metadata.Args);
            Add(row, nameof(RunMetadata.GitRemote), metadata.GitRemote);
            Add(row, nameof(RunMetadata.GitCommit), metadata.GitCommit);
            Add(row, nameof(RunMetadata.Os), metadata.Os);
            Add(row, nameof(RunMetadata.Python), metadata.Python);
            Add(row, nameof(RunMetadata.Host), metadata.Host);
            Add(row, nameof(RunMetadata.Executable), metadata.Executable);
            Add(row, nameof(RunMetadata.CpuCount), metadata.CpuCount);
            Add(row, nameof(RunMetadata.GpuCount), metadata.GpuCount);
            Add(row, nameof(RunMetadata.Gpu), metadata.Gpu);
            Add(row, nameof(RunMetadata.StartedAt), metadata.StartedAt);
            return row;
        }

        private static void Add(PSObject row, string name, object? value) => row.Properties.Add(new PSNoteProperty(name, value));
    }
}
