using System.Linq;
using System.Management.Automation;
using WandbRunOps.Commands.Output;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Shared by Get-RunConfig and Get-RunSummary: a run's key/value map as one row per run, every row of a command
    /// with the same columns (see <see cref="RunRowBuilder"/>).
    /// </summary>
    public abstract class RunValuesCmdlet : RunInputCmdlet
    {
        private RunRowBuilder? _rows;
        private MissingKeyCheck? _missingKeys;

        /// <summary>Only these keys (wildcards allowed); with -Flatten, dotted paths such as optimizer.*.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.KeyCompleter))]
        public string[]? Key { get; set; }

        /// <summary>Nested maps become dotted properties (optimizer.lr) instead of one map-valued property.</summary>
        [Parameter]
        public SwitchParameter Flatten { get; set; }

        /// <summary>Also show the SDK's own keys (_wandb, and wandb_version in configs).</summary>
        [Parameter]
        public SwitchParameter IncludeInternal { get; set; }

        /// <summary>The PowerShell type name of the rows (for format views).</summary>
        private protected abstract string RowTypeName { get; }

        /// <summary>What the keys are, for messages: "config" or "summary".</summary>
        private protected abstract string KeyKind { get; }

        /// <summary>The prefix a key gets when it collides with an identity property.</summary>
        private protected abstract string CollisionPrefix { get; }

        private protected abstract WandbMap ValuesOf(WandbRun run);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RunCore(() => _rows = new RunRowBuilder(RowTypeName, CollisionPrefix, Key, Flatten, IncludeInternal));
            _missingKeys = new MissingKeyCheck(Key, KeyKind);
        }

        private protected override void ProcessRun(WandbRun run)
        {
            WandbMap values = ValuesOf(run);
            _rows!.Add(this, run, values, WriteObject, WriteWarning);
            _missingKeys!.SawRun();
            if (Flatten)
            {
                _missingKeys.Saw(ValueTree.Flatten(values).Select(pair => pair.Key));
            }
            else
            {
                _missingKeys.Saw(values);
            }
        }

        /// <summary>
        /// Rows without -Key wait for the end of input, so every row carries the union of the keys; then one warning
        /// for each -Key name that no run had.
        /// </summary>
        protected override void EndProcessing()
        {
            _rows?.Finish(this, WriteObject);
            _missingKeys?.Warn(WriteWarning);
        }
    }
}
