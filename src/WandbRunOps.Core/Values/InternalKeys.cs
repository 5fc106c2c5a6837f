using System;

namespace WandbRunOps.Values
{
    /// <summary>Keys the SDK adds for itself: <c>_wandb</c> (config and summary) and <c>wandb_version</c> (config).</summary>
    public static class InternalKeys
    {
        public static bool IsInternal(string key) => key == "_wandb" || key == "wandb_version";

        public static bool IsInternalPath(string dottedPath) =>
            IsInternal(dottedPath) || dottedPath.StartsWith("_wandb.", StringComparison.Ordinal);
    }
}
