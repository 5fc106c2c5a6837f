using System;
using WandbRunOps.Api;

namespace WandbRunOps.Model
{
    /// <summary>
    /// A session's connection to W&amp;B, made by Connect-Wandb: where, as whom, and the default entity and project.
    /// It holds the key (to reuse it) but never shows it: no property returns the key.
    /// </summary>
    /// <remarks>A class, not a record, for the reasons given on <see cref="ConfigDifference"/>.</remarks>
    public sealed class WandbConnection(Uri baseUrl, ApiCredential credential, string? username, string? entity, string? project, DateTime connectedAt)
    {
        public Uri BaseUrl { get; } = baseUrl;

        /// <summary>The W&amp;B user the key belongs to.</summary>
        public string? Username { get; } = username;

        /// <summary>The default entity (team or user) for commands that name none.</summary>
        public string? Entity { get; } = entity;

        /// <summary>The default project for commands that name none.</summary>
        public string? Project { get; } = project;

        /// <summary>Where the key came from (never the key).</summary>
        public ApiKeySource KeySource => Credential.Source;

        public DateTime ConnectedAt { get; } = connectedAt;

        internal ApiCredential Credential { get; } = credential;

        public override string ToString() => BaseUrl + " as " + (Username ?? "?") + (Entity is null ? string.Empty : " (" + Entity + (Project is null ? string.Empty : "/" + Project) + ")");
    }
}
