using System;
using System.Management.Automation;
using WandbRunOps.Errors;

namespace WandbRunOps.Commands.Base
{
    /// <summary>The one mapping from Core's error kinds to PowerShell error records: stable id, real category, failing item as target.</summary>
    internal static class ErrorCatalog
    {
        public static ErrorRecord ToRecord(WandbException exception)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), exception.Target);
            string? action = RecommendedAction(exception.Kind);
            if (action is not null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = action };
            }

            return record;
        }

        /// <summary>
        /// The last line of defence: an exception that is neither a catalogue error nor PowerShell's own, as the
        /// catalogue error nearest to what failed (the transport, reading a file, or else the input the command was
        /// given), saying that it is a defect. No raw .NET exception id ever reaches $Error.
        /// </summary>
        public static WandbException Unexpected(Exception exception, string command, object? target)
        {
            WandbErrorKind kind = exception switch
            {
                System.Net.Http.HttpRequestException _ => WandbErrorKind.ConnectionFailed,
                System.Net.WebException _ => WandbErrorKind.ConnectionFailed,
                System.Net.Sockets.SocketException _ => WandbErrorKind.ConnectionFailed,
                TimeoutException _ => WandbErrorKind.ConnectionFailed,
                OperationCanceledException _ => WandbErrorKind.ConnectionFailed,
                System.IO.IOException _ => WandbErrorKind.LogDamaged,
                UnauthorizedAccessException _ => WandbErrorKind.PermissionDenied,
                _ => WandbErrorKind.InvalidArgument,
            };
            return new WandbException(
                kind,
                command + " failed unexpectedly" + (target is null ? string.Empty : " on '" + target + "'") + ": " + exception.GetType().Name + ": " + exception.Message +
                " This is a defect in WandbRunOps; please report it with the command that caused it.",
                target,
                exception);
        }

        /// <summary>
        /// True for exceptions that are PowerShell's own: they pass through. Pipeline stopped, -ErrorAction Stop, binder
        /// and script errors carry an error record; break, continue and exit in a downstream script block are flow
        /// control (BreakException and its kin, which carry none).
        /// </summary>
        public static bool IsPowerShells(Exception exception) =>
            exception is IContainsErrorRecord || exception.GetType().Namespace == typeof(PSObject).Namespace;

        public static ErrorCategory CategoryOf(WandbErrorKind kind) => kind switch
        {
            WandbErrorKind.NoSource => ErrorCategory.ObjectNotFound,
            WandbErrorKind.PathNotFound => ErrorCategory.ObjectNotFound,
            WandbErrorKind.RunNotFound => ErrorCategory.ObjectNotFound,
            WandbErrorKind.ProjectNotFound => ErrorCategory.ObjectNotFound,
            WandbErrorKind.ArtifactNotFound => ErrorCategory.ObjectNotFound,
            WandbErrorKind.ApiKeyMissing => ErrorCategory.AuthenticationError,
            WandbErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
            WandbErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
            WandbErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
            WandbErrorKind.ProtocolError => ErrorCategory.ProtocolError,
            WandbErrorKind.InvalidFilter => ErrorCategory.InvalidArgument,
            WandbErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            WandbErrorKind.LogDamaged => ErrorCategory.ReadError,
            WandbErrorKind.InsecureConnection => ErrorCategory.SecurityError,
            WandbErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            WandbErrorKind.ReadOnlySource => ErrorCategory.InvalidOperation,
            WandbErrorKind.WaitTimeout => ErrorCategory.OperationTimeout,
            WandbErrorKind.SweepNotFound => ErrorCategory.ObjectNotFound,
            WandbErrorKind.DigestMismatch => ErrorCategory.InvalidResult,
            _ => ErrorCategory.NotSpecified,
        };

        private static string? RecommendedAction(WandbErrorKind kind) => kind switch
        {
            WandbErrorKind.NoSource => "Pass -Path with a wandb folder, a run folder or a .wandb file, or change to the folder that holds your wandb/ directory.",
            WandbErrorKind.RunNotFound => "List the runs with Get-WandbRun to see the ids and names that exist.",
            WandbErrorKind.ArtifactNotFound => "List the artifacts without -Name (Get-WandbArtifact, or a run's with Get-RunLoggedArtifact) to see their names, versions and aliases.",
            WandbErrorKind.SweepNotFound => "List the sweeps with Get-WandbSweep (no -Id) to see the ids that exist.",
            WandbErrorKind.WaitTimeout => "Wait again with a longer -TimeoutSec, or look at the run's console log (Get-RunLog -Tail 20) to see whether it is still making progress.",
            WandbErrorKind.DigestMismatch => "Run the command again: files already saved and verified are skipped, and this one is fetched anew.",
            WandbErrorKind.InsecureConnection => "Use an https:// base URL, or pass -AllowInsecure to accept sending the key and runs unencrypted.",
            _ => null,
        };
    }
}
