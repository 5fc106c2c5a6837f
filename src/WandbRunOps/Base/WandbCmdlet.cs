using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// What every WandbRunOps cmdlet shares: Ctrl+C that cancels Core work at once, Core diagnostics routed to the
    /// warning and verbose streams, catalogue errors, and the local source's default location.
    /// </summary>
    public abstract class WandbCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private ReadDiagnostics? _diagnostics;

        protected CancellationToken Cancellation => _stopping.Token;

        private protected ReadDiagnostics Diagnostics => _diagnostics ??= new ReadDiagnostics(WriteWarning, VerboseWanted ? WriteVerbose : null, WriteDebug);

        private bool VerboseWanted =>
            MyInvocation.BoundParameters.TryGetValue("Verbose", out object? verbose)
                ? ((SwitchParameter)verbose).IsPresent
                : !Equals(GetVariableValue("VerbosePreference"), ActionPreference.SilentlyContinue);

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>A per-item failure: reported, and the command carries on (honours -ErrorAction).</summary>
        private protected void WriteWandbError(WandbException exception) => WriteError(ErrorCatalog.ToRecord(exception));

        /// <summary>A failure that ends the command.</summary>
        private protected void ThrowWandbError(WandbException exception) => ThrowTerminatingError(ErrorCatalog.ToRecord(exception));

        /// <summary>
        /// Runs Core work so that Ctrl+C ends it quietly and Core's catalogue errors become terminating error records;
        /// any other exception that is not PowerShell's own becomes one too (<see cref="ErrorCatalog.Unexpected"/>).
        /// </summary>
        private protected void RunCore(Action work)
        {
            try
            {
                work();
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                // Stopped by Ctrl+C: PowerShell ends the pipeline itself; there is nothing to report.
            }
            catch (WandbException e)
            {
                ThrowWandbError(e);
            }
            catch (Exception e) when (!ErrorCatalog.IsPowerShells(e))
            {
                ThrowWandbError(ErrorCatalog.Unexpected(e, MyInvocation.MyCommand.Name, null));
            }
        }

        /// <summary>
        /// -ErrorAction Stop (or Inquire, or that preference in scope) ends the command at the first failed item: then no
        /// later run may be changed (or file written) before the earlier ones are known to have succeeded.
        /// </summary>
        private protected bool StopsAtFirstError()
        {
            object? preference = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? bound) ? bound : GetVariableValue("ErrorActionPreference");
            return preference is ActionPreference action
                ? action == ActionPreference.Stop || action == ActionPreference.Inquire
                : preference is string text && (text.Equals("Stop", System.StringComparison.OrdinalIgnoreCase) || text.Equals("Inquire", System.StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// Handles one item so that an unexpected failure (an exception that is neither a catalogue error nor
        /// PowerShell's own) is reported as a non-terminating catalogue error for that item, and the command goes on
        /// with the next. Catalogue errors keep their own meaning and pass through.
        /// </summary>
        private protected void RunItem(object? target, Action work)
        {
            try
            {
                work();
            }
            catch (Exception e) when (!(e is WandbException) && !ErrorCatalog.IsPowerShells(e) && !(e is OperationCanceledException && Cancellation.IsCancellationRequested))
            {
                WriteWandbError(ErrorCatalog.Unexpected(e, MyInvocation.MyCommand.Name, target));
            }
        }

        /// <summary>
        /// Refuses an empty value typed on the command line for parameters that also bind by property name, and so
        /// take no ValidateNotNullOrEmpty (an API row's RunPath, a CSV cell, is legitimately empty); typed empty they
        /// would silently fall back to the default source. Call it in BeginProcessing: only command-line arguments
        /// are bound before the first input object arrives.
        /// </summary>
        private protected void RefuseBlankArguments(params string[] names)
        {
            foreach (string name in names)
            {
                if (MyInvocation.BoundParameters.TryGetValue(name, out object? value) && IsBlank(value))
                {
                    ThrowWandbError(new WandbException(
                        WandbErrorKind.InvalidArgument, "-" + name + " is empty. Leave it out to use the default source, or give a value.", name));
                }
            }
        }

        private static bool IsBlank(object? value) => value switch
        {
            null => true,
            string text => text.Length == 0,
            string[] list => list.Length == 0 || Array.Exists(list, string.IsNullOrEmpty),
            _ => false,
        };
    }
}
