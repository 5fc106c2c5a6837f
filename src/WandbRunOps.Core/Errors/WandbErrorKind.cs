namespace WandbRunOps.Errors
{
    /// <summary>
    /// The error catalogue. Each kind has a stable id (<c>Wandb</c> + name, e.g. <c>WandbRunNotFound</c>) that scripts
    /// can match in <c>FullyQualifiedErrorId</c>; about_WandbRunOps lists them.
    /// </summary>
    public enum WandbErrorKind
    {
        NoSource,
        PathNotFound,
        RunNotFound,
        ProjectNotFound,
        ArtifactNotFound,
        ApiKeyMissing,
        AuthenticationFailed,
        RateLimited,
        ConnectionFailed,
        ProtocolError,
        InvalidFilter,
        LogDamaged,
        InvalidArgument,

        /// <summary>Plain http:// to a host that is not loopback, without -AllowInsecure: the key would cross the network unencrypted.</summary>
        InsecureConnection,

        /// <summary>
        /// Refused: the server refused a change, or the file system refused to let this user read a run's log or
        /// folder (that run only; the others are still read).
        /// </summary>
        PermissionDenied,

        /// <summary>
        /// The source cannot take the change asked of it: local run folders are records of what a run did, so changing
        /// a local run's tags, notes or config, or stopping it, is refused (per run; nothing is written anywhere).
        /// </summary>
        ReadOnlySource,

        /// <summary>Wait-WandbRun's -TimeoutSec passed while the run was still running (per run; the run is output as it stands).</summary>
        WaitTimeout,

        /// <summary>A sweep id (no wildcards) that the project or the run folders do not have.</summary>
        SweepNotFound,

        /// <summary>
        /// What was written does not match what the source says it is (its size or MD5): a download cut short or
        /// changed on the way, a file that changed while it was copied. Nothing is left under the file's real name.
        /// </summary>
        DigestMismatch,
    }
}
