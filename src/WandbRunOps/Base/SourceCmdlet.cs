using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Security;
using WandbRunOps.Api;
using WandbRunOps.Errors;
using WandbRunOps.Local;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Base of the cmdlets that read runs from either source. It carries the connection parameters every API-capable
    /// cmdlet takes (-BaseUrl, -ApiKey, -AllowInsecure, -TimeoutSec, -Proxy) and decides the source: a -Path means local folders, a
    /// -Project means the API; with neither, a Connect-Wandb project, then ./wandb, then WANDB_PROJECT with a key.
    /// </summary>
    public abstract class SourceCmdlet : WandbCmdlet
    {
        /// <summary>The W&amp;B server's API address (default: WANDB_BASE_URL, the settings files, or https://api.wandb.ai).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BaseUrl { get; set; }

        /// <summary>The API key for this call (default: Connect-Wandb, WANDB_API_KEY, then the netrc file).</summary>
        [Parameter]
        [ValidateNotNull]
        [SecureKeyTransformation]
        public SecureString? ApiKey { get; set; }

        /// <summary>How long one API request may take before it is retried or fails (seconds; default 30).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        /// <summary>How many times a failed API request (429, 5xx, connection failure) is retried (default 7).</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        public int MaximumRetryCount { get; set; } = 7;

        /// <summary>The first wait between retries in seconds, doubling each time (default 1); a Retry-After from the server wins.</summary>
        [Parameter]
        [ValidateRange(0.0, 600.0)]
        public double RetryIntervalSec { get; set; } = 1;

        /// <summary>Accept plain http:// to a host that is not loopback (the key and runs then cross the network unencrypted).</summary>
        [Parameter]
        public SwitchParameter AllowInsecure { get; set; }

        /// <summary>An HTTP proxy for API requests.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        private protected ApiClientOptions ClientOptions => new ApiClientOptions
        {
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            Proxy = Proxy,
            Retry = new RetryPolicy { MaxAttempts = MaximumRetryCount + 1, BaseDelay = TimeSpan.FromSeconds(RetryIntervalSec) },
        };

        /// <summary>The API source for a project, resolving base URL, key and entity the way the wandb CLI does.</summary>
        private protected ApiRunSource ApiSource(string? entity, string? project) => Resolver.ApiSource(entity, project);

        /// <summary>Accepts -Project "entity/project", as W&amp;B paths are written.</summary>
        private protected static void SplitProject(ref string? entity, ref string? project) => SourceResolver.SplitProject(ref entity, ref project);

        private protected ApiTarget ResolveTarget(string? entity, string? project) => Resolver.ResolveTarget(entity, project);

        private protected ApiEnvironment Environment => Resolver.Environment;

        /// <summary>
        /// The source when the command names none: a Connect-Wandb project, ./wandb, WANDB_PROJECT with a findable key,
        /// else a WandbNoSource error that names every way to choose one.
        /// </summary>
        private protected IRunSource DefaultSource(string? entity) => Resolver.DefaultSource(entity);

        /// <summary>The source rules (shared with tab completion), over this call's parameters and the session's location.</summary>
        private SourceResolver Resolver => new SourceResolver(SessionState.Path.CurrentFileSystemLocation.ProviderPath, BaseUrl, ApiKey, ClientOptions, Diagnostics, AllowInsecure.IsPresent);

        private protected LocalRunSource LocalSourceFor(IReadOnlyList<string> paths) => new LocalRunSource(paths, Diagnostics);
    }
}
