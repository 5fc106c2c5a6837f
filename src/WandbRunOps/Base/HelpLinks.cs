namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Where each cmdlet's help lives online (Get-Help -Online): its page in docs/en-US of the project's repository,
    /// the same address as the page's "online version" and under the manifest's ProjectUri.
    /// </summary>
    internal static class HelpLinks
    {
        public const string Docs = "https://github.com/wandbrunops/WandbRunOps/blob/main/docs/en-US/";
    }
}
