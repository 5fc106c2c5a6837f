using System;

namespace WandbRunOps.Api
{
    /// <summary>
    /// A session's connection to W&amp;B, made by Connect-Wandb: where, as whom, and the default entity and project.
    /// It holds the key (to reuse it) but never shows it: no property returns the key.
    /// </summary>
    public sealed class WandbConnection
    {
        public WandbConnection(Uri baseUrl, ApiCredential credential, string? username, string? entity, string? project, DateTime connectedAt)
        {
            BaseUrl = baseUrl;
            Credential = credential;
            Username = username;
            Entity = entity;
            Project = project;
            ConnectedAt = connectedAt;
        }

        public Uri BaseUrl { get; }

        /// <summary>The W&amp;B user the key belongs to.</summary>
        public string? Username { get; }

        /// <summary>The default entity (team or user) for commands that name none.</summary>
        public string? Entity { get; }

        /// <summary>The default project for commands that name none.</summary>
        public string? Project { get; }

        /// <summary>Where the key came from (never the key).</summary>
        public ApiKeySource KeySource => Credential.Source;

        public DateTime ConnectedAt { get; }

        internal ApiCredential Credential { get; }

        public override string ToString() => BaseUrl + " as " + (Username ?? "?") + (Entity is null ? string.Empty : " (" + Entity + (Project is null ? string.Empty : "/" + Project) + ")");
    }
}
