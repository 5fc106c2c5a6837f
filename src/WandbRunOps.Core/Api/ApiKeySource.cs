namespace WandbRunOps.Api
{
    /// <summary>Where an API key was found, in the order the module (like the wandb CLI) looks.</summary>
    public enum ApiKeySource
    {
        /// <summary>The -ApiKey parameter of the command.</summary>
        Parameter,

        /// <summary>The connection made with Connect-Wandb.</summary>
        Session,

        /// <summary>The WANDB_API_KEY environment variable.</summary>
        Environment,

        /// <summary>The netrc file `wandb login` writes.</summary>
        Netrc,
    }
}
