using System.Collections.Generic;
using System.Management.Automation;
using System;
using System.Linq;
using WandbRunOps.Artifacts;
using WandbRunOps.Commands.Base;
using WandbRunOps.Commands.Filtering;
using WandbRunOps.Filtering;
using WandbRunOps.Values;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands
{
    /// <summary>
    /// Gets W&amp;B runs, one object per run id: from local run folders (./wandb by default, or -Path) or from a W&amp;B
    /// project over the API (-Project). The same WandbRun objects either way.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WandbRun", DefaultParameterSetName = PathSet, SupportsPaging = true, HelpUri = HelpLinks.Docs + "Get-WandbRun.md")]
    [OutputType(typeof(WandbRun))]
    public sealed class GetWandbRunCommand : SourceCmdlet, RunAddress.IParameters
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ProjectSet = "Project";
        private const int ProgressActivityId = 0x57414E;

        private readonly HashSet<string> _emitted = new HashSet<string>(System.StringComparer.Ordinal);
        private ICollection<string> _typed = System.Array.Empty<string>();
        private ProgressDisplay? _progress;
        private ulong _skipped;
        private ulong _written;

        /// <summary>A wandb folder, a project folder holding one, a run folder, or a .wandb file. Wildcards allowed.</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        /// <summary>Like -Path, but taken exactly as typed (no wildcards).</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>The W&amp;B project to list over the API; "entity/project" is accepted.</summary>
        [Parameter(ParameterSetName = ProjectSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString] // refused in BeginProcessing with the module's own error, as -Path and -Entity are
        [ArgumentCompleter(typeof(Completion.ProjectCompleter))]
        public string? Project { get; set; }

        /// <summary>The W&amp;B entity (team or user) of -Project; default: the connection, WANDB_ENTITY, or the key's own entity.</summary>
        [Parameter(ParameterSetName = ProjectSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.EntityCompleter))]
        public string? Entity { get; set; }

        /// <summary>Plain strings piped in are run ids, and run objects piped in are read again. Typed as RunIdentity so that only text and runs bind here, not any object turned into text.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public RunIdentity[]? InputObject { get; set; }

        /// <summary>The run id of a piped row, artifact or log line; it wins over the object's own Id (see RunAddress).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? RunId { get; set; }

        /// <summary>The run folder of a piped object that has a RunId.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? RunPath { get; set; }

        /// <summary>The W&amp;B project of a piped object that has a RunId.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? RunProject { get; set; }

        /// <summary>The W&amp;B entity of a piped object that has a RunId.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? RunEntity { get; set; }

        /// <summary>Runs per API request (1-1000); by default 50 for the first page, then 1000.</summary>
        [Parameter(ParameterSetName = ProjectSet)]
        [Parameter(ParameterSetName = PathSet)]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        /// <summary>Run ids; wildcards allowed. A literal id that matches no run is an error.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completion.RunIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary>Run display names; wildcards allowed. A literal name that matches no run is an error.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFieldCompleter))]
        public string[]? Name { get; set; }

        /// <summary>A W&amp;B run filter (hashtable or JSON), such as @{ 'config.lr' = @{ '$gt' = 0.01 } }; validated before use.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Filter { get; set; }

        /// <summary>Only runs in any of these states.</summary>
        [Parameter]
        public RunState[]? State { get; set; }

        /// <summary>Only runs that have all of these tags.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFieldCompleter))]
        public string[]? Tag { get; set; }

        /// <summary>Only runs of any of these job types.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFieldCompleter))]
        public string[]? JobType { get; set; }

        /// <summary>Only runs in any of these groups.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFieldCompleter))]
        public string[]? Group { get; set; }

        /// <summary>Only runs created by any of these users.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFieldCompleter))]
        public string[]? User { get; set; }

        /// <summary>Only runs of any of these sweeps.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFieldCompleter))]
        public string[]? Sweep { get; set; }

        /// <summary>Only runs created after this time.</summary>
        [Parameter]
        public DateTime? CreatedAfter { get; set; }

        /// <summary>Only runs created before this time.</summary>
        [Parameter]
        public DateTime? CreatedBefore { get; set; }

        /// <summary>Only the runs that used this artifact version ("name:alias", "name:vN", or "entity/project/name:alias").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ArtifactReferenceCompleter))]
        public string? UsedArtifact { get; set; }

        /// <summary>Only the run that logged this artifact version (its producer).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ArtifactReferenceCompleter))]
        public string? LoggedArtifact { get; set; }

        /// <summary>A PowerShell predicate over the run ($_), as for Where-Object; the parts that translate are sent to the server.</summary>
        [Parameter]
        [ValidateNotNull]
        public ScriptBlock? Where { get; set; }

        /// <summary>Sort keys: run properties, Config.key or Summary.key, with - for descending (CreatedAt, -Summary.accuracy).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.RunFieldCompleter))]
        public string[]? OrderBy { get; set; }

        /// <summary>Refuses empty location arguments typed on the command line, and notes what was typed: it wins over what the pipeline brings.</summary>
        protected override void BeginProcessing() => _typed = TypedLocation();

        protected override void ProcessRecord()
        {
            RunCore(() =>
            {
                SourceResolver sources = Sources;
                foreach (RunAddress address in RunAddress.Of(this, _typed, LiteralPath ?? Path, LiteralPath is not null, nameof(Path), nameof(LiteralPath), nameof(Project), nameof(Entity)))
                {
                    IRunSource? source = sources.For(address);
                    if (source is not null)
                    {
                        List(source, address.Run is null ? address.Ids : new[] { address.Run.Id });
                    }
                }
            });
        }

        /// <summary>Writes the runs of one source that the selection takes, with paging across every input.</summary>
        private void List(IRunSource source, string[]? ids)
        {
            RunSelector selector = Selector(ids);
            if (!ApplyLineage(source, selector))
            {
                return;
            }

            var options = new RunListOptions
            {
                // -PageSize belongs to this listing: the runs it yields do not carry it to the commands they are piped to.
                PageSize = MyInvocation.BoundParameters.ContainsKey(nameof(PageSize)) ? PageSize : (int?)null,
                Order = OrderBy is null ? null : new RunOrder(OrderBy),
                Progress = ShowProgress,
                TotalCount = PagingParameters.IncludeTotalCount ? (count, accuracy) => WriteObject(PagingParameters.NewTotalCount((ulong)count, accuracy)) : null,
            };

            try
            {
                foreach (WandbRun run in source.GetRuns(selector, options, WriteWandbError, Cancellation))
                {
                    if (!_emitted.Add(run.Path ?? source.TargetFor(run.Id)))
                    {
                        continue;
                    }

                    if (_skipped < PagingParameters.Skip)
                    {
                        _skipped++;
                        continue;
                    }

                    if (_written >= PagingParameters.First)
                    {
                        break;
                    }

                    WriteObject(run);
                    _written++;
                }
            }
            finally
            {
                _progress?.Complete();
                _progress = null;
            }

            if (_written < PagingParameters.First)
            {
                foreach (string missing in selector.UnmatchedLiterals)
                {
                    WriteWandbError(new WandbException(WandbErrorKind.RunNotFound, "No run with the id or name '" + missing + "' was found.", source.TargetFor(missing)));
                }
            }
        }

        /// <summary>
        /// -UsedArtifact and -LoggedArtifact: the runs the artifact's lineage names (by id over the API, so the listing
        /// costs what the lineage costs, not a scan of the project), or a check of each local run's records. False when
        /// the lineage names no run of this source: there is nothing to list.
        /// </summary>
        private bool ApplyLineage(IRunSource source, RunSelector selector)
        {
            foreach ((string? text, ArtifactDirection direction) in new[] { (UsedArtifact, ArtifactDirection.Used), (LoggedArtifact, ArtifactDirection.Logged) })
            {
                if (text is null)
                {
                    continue;
                }

                RunLineage lineage = source.Lineage.Find(ArtifactReference.Parse(text), direction, Cancellation);
                if (lineage.RunIds is IReadOnlyList<string> runIds)
                {
                    WriteVerbose("Runs that " + (direction == ArtifactDirection.Logged ? "logged " : "used ") + text + ": " + (runIds.Count == 0 ? "none" : string.Join(", ", runIds)) + ".");
                    if (runIds.Count == 0)
                    {
                        return false;
                    }

                    selector.Filter = new FilterBuilder().Add(selector.Filter).AnyOf("name", runIds.Cast<object?>()).Build();
                }

                if (lineage.Predicate is Func<WandbRun, bool> belongs)
                {
                    Func<WandbRun, bool>? other = selector.Predicate;
                    selector.Predicate = other is null ? belongs : run => belongs(run) && other(run);
                }
            }

            return true;
        }

        /// <summary>-Id, -Name, -Filter, the friendly filters and -Where, as one selection.</summary>
        private RunSelector Selector(string[]? ids)
        {
            var builder = new FilterBuilder();
            if (Filter is not null)
            {
                object? plain = PowerShellValues.ToPlain(Filter);
                builder.Add(plain is string json ? FilterParser.Parse(json) : FilterParser.Parse(plain));
            }

            builder.States(State).Tags(Tag)
                .AnyOf("jobType", JobType).AnyOf("group", Group).AnyOf("username", User).AnyOf("sweep", Sweep)
                .CreatedAfter(CreatedAfter).CreatedBefore(CreatedBefore);

            // Wildcard ids and names become regular expressions the server can apply; literal ids are fetched one by one.
            if (ids is not null && ids.Any(Wildcard.IsPattern))
            {
                builder.Patterns("name", ids);
            }

            if (Name is not null)
            {
                builder.Patterns("displayName", Name);
            }

            var selector = new RunSelector(ids, Name);
            WhereTranslation? translation = Where is null ? null : WhereTranslator.Translate(Where);
            builder.Add(translation?.ServerFilter);

            // Built (and so checked: nesting W&B filter JSON can hold) before the translation is written out below.
            selector.Filter = builder.Build();
            if (Where is not null && translation is not null)
            {
                WriteVerbose(
                    "-Where: " + (translation.ServerFilter is null ? "nothing could be translated to a W&B filter" : "translated to the filter " + FilterJson.Serialize(translation.ServerFilter)) +
                    (translation.Untranslated.Count == 0 ? string.Empty : "; not translatable, checked here only: " + string.Join(" | ", translation.Untranslated)) +
                    ". The whole predicate is checked here on every run, so the result is what Where-Object gives.");
                ScriptBlock predicate = Where;
                selector.Predicate = run => LanguagePrimitives.IsTrue(predicate.InvokeWithContext(null, new List<PSVariable> { new PSVariable("_", run) }));
            }

            return selector;
        }

        /// <summary>
        /// Progress of a listing: over run folders once the read has lasted a second, or at API page boundaries, with a
        /// percentage when the number of runs is known; pages show at once when more follow, and a listing that one
        /// quick page answers shows none (see <see cref="ProgressDisplay"/>).
        /// </summary>
        private void ShowProgress(ListingProgress at)
        {
            _progress ??= new ProgressDisplay(WriteProgress, ProgressActivityId, at.Page == 0 ? "Reading W&B runs" : "Listing W&B runs");
            _progress.Update(
                at.Done + (at.Total is long all ? " of " + all : string.Empty) + " runs",
                at.Total is long known && known > 0 ? (int)System.Math.Min(100, 100L * at.Done / known) : -1,
                spansPages: at.Page > 1 || (at.Page == 1 && at.Total is long count && count > at.Done));
        }
    }
}
