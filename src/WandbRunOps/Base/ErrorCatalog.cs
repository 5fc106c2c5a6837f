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
            _ => ErrorCategory.NotSpecified,
        };

        private static string? RecommendedAction(WandbErrorKind kind) => kind switch
        {
            WandbErrorKind.NoSource => "Pass -Path with a wandb folder, a run folder or a .wandb file, or change to the folder that holds your wandb/ directory.",
            WandbErrorKind.RunNotFound => "List the runs with Get-WandbRun to see the ids and names that exist.",
            WandbErrorKind.ArtifactNotFound => "List the run's artifacts without -Name to see their names, versions and aliases.",
            WandbErrorKind.InsecureConnection => "Use an https:// base URL, or pass -AllowInsecure to accept sending the key and runs unencrypted.",
            _ => null,
        };
    }
}
