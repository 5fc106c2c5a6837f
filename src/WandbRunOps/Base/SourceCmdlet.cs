using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Security;
using WandbRunOps.Api;
using WandbRunOps.Errors;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Base of the cmdlets that read runs from either source. It carries the connection parameters every API-capable
    /// cmdlet takes (-BaseUrl, -ApiKey, -AllowInsecure, -TimeoutSec, -Proxy), and gives its commands the one source
    /// resolver (<see cref="Sources"/>) over them.
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
        public virtual int TimeoutSec { get; set; } = 30;

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

        /// <summary>How long one API request may take: -TimeoutSec, unless a command gives -TimeoutSec another meaning (Wait-WandbRun).</summary>
        private protected virtual TimeSpan RequestTimeout => TimeSpan.FromSeconds(TimeoutSec);

        private protected ApiClientOptions ClientOptions => new ApiClientOptions
        {
            Timeout = RequestTimeout,
            Proxy = Proxy,
            Retry = new RetryPolicy { MaxAttempts = MaximumRetryCount + 1, BaseDelay = TimeSpan.FromSeconds(RetryIntervalSec) },
        };

        /// <summary>
        /// Refuses an empty -Id, -Path, -Project or -Entity typed on the command line (they bind rows by property name,
        /// so they take no ValidateNotNullOrEmpty), and returns the names of the parameters typed: what was typed wins
        /// over what the pipeline brings (see <see cref="RunAddress"/>). Call it in BeginProcessing.
        /// </summary>
        private protected ICollection<string> TypedLocation()
        {
            RefuseBlankArguments("Id", "Path", "Project", "Entity");
            return new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Accepts -Project "entity/project", as W&amp;B paths are written.</summary>
        private protected static void SplitProject(ref string? entity, ref string? project) => SourceResolver.SplitProject(ref entity, ref project);

        private protected ApiTarget ResolveTarget(string? entity, string? project) => Sources.ResolveTarget(entity, project);

        /// <summary>
        /// The one source resolver (shared with tab completion), over this call's parameters and the session's location;
        /// a -Path that resolves to nothing is reported as a non-terminating WandbPathNotFound error.
        /// </summary>
        private protected SourceResolver Sources => new SourceResolver(SessionState.Path, WriteWandbError, BaseUrl, ApiKey, ClientOptions, Diagnostics, AllowInsecure.IsPresent);
    }
}
