using System.Management.Automation;
using System.Security;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// -ApiKey takes a SecureString only. Windows PowerShell 5.1's own conversion error for a plain string quotes the
    /// value, which would print the key in the error stream and $Error (PowerShell 7 leaves it out); this refuses it on
    /// both with a message that never holds the value and says how to pass a key.
    /// </summary>
    internal sealed class SecureKeyTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is null || value is SecureString)
            {
                return value;
            }

            throw new ArgumentTransformationMetadataException(
                "-ApiKey takes a SecureString, such as (Read-Host -AsSecureString); a " + value.GetType().Name + " is refused so the key is not echoed back. " +
                "Without -ApiKey, the key comes from Connect-Wandb, WANDB_API_KEY or the netrc file.");
        }
    }
}
