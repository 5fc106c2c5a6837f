using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Commands.Base;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Model;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets the files of runs: what the SDK saved in each run's <c>files/</c> folder (console output, requirements,
    /// diff, config, metadata, media, code) locally, or the run's files over the API; one <see cref="WandbRunFile"/>
    /// per file, in name order.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RunFile", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Docs + "Get-RunFile.md")]
    [OutputType(typeof(WandbRunFile))]
    public sealed class GetRunFileCommand : RunInputCmdlet
    {
        private FileNameFilter _names = FileNameFilter.All;

        /// <summary>Only files with these names (paths inside the run, <c>/</c>-separated); wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFileNameCompleter))]
        public string[]? Name { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RunCore(() => _names = new FileNameFilter(Name));
        }

        private protected override void ProcessRun(WandbRun run)
        {
            IReadOnlyList<WandbRunFile> files = OriginOf(run).Files.List(run, _names, Cancellation);
            foreach (WandbRunFile file in files)
            {
                WriteObject(file);
            }

            NotFound.Report(run, _names, files, OriginOf(run).TargetFor(run.Id), WriteWandbError);
        }

        /// <summary>A literal -Name a run has no file of is an error for that run (as Get-ChildItem says of a missing path).</summary>
        internal static class NotFound
        {
            public static void Report(WandbRun run, FileNameFilter names, IReadOnlyList<WandbRunFile> files, string runTarget, System.Action<WandbException> write)
            {
                foreach (string term in names.Terms.Where(t => !Values.Wildcard.IsPattern(t)))
                {
                    var exact = FileNameFilter.Exactly(Values.Wildcard.Unescape(term).Replace('\\', '/').TrimStart('/'));
                    if (!files.Any(f => exact.Matches(f.Name)))
                    {
                        write(new WandbException(WandbErrorKind.PathNotFound, "Run '" + run.Id + "' has no file named '" + term + "'.", runTarget + "/" + term));
                    }
                }
            }
        }
    }
}
