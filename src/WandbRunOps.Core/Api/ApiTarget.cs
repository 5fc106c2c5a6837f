using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;

namespace WandbRunOps.Api
{
    /// <summary>
    /// Resolves where API calls go and with which key, the way the wandb CLI does, so a user who ran `wandb login`
    /// needs nothing more. Base URL: parameter, connection, WANDB_BASE_URL, settings files, https://api.wandb.ai.
    /// Key: parameter, connection (same base URL), WANDB_API_KEY, netrc. Entity and project: parameter, connection,
    /// WANDB_ENTITY/WANDB_PROJECT, settings files.
    /// </summary>
    public sealed class ApiTarget
    {
        public static readonly Uri DefaultBaseUrl = new Uri("https://api.wandb.ai");

        private ApiTarget(Uri baseUrl, ApiCredential credential, string? entity, string? project)
        {
            BaseUrl = baseUrl;
            Credential = credential;
            Entity = entity;
            Project = project;
        }

        public Uri BaseUrl { get; }

        public ApiCredential Credential { get; }

        /// <summary>Null when nothing names one: the viewer's default entity is then used.</summary>
        public string? Entity { get; }

        public string? Project { get; }

        /// <summary>
        /// Where calls go and with which key. Plain http:// to a host that is not loopback is refused unless
        /// <paramref name="allowInsecure"/>; a netrc key in a file others can read is warned about on <paramref name="diagnostics"/>.
        /// </summary>
        public static ApiTarget Resolve(
            string? baseUrl, ApiCredential? key, string? entity, string? project, WandbConnection? session, ApiEnvironment environment,
            bool allowInsecure = false, ReadDiagnostics? diagnostics = null)
        {
            Dictionary<string, string> settings = SettingsFile.Read(environment.GlobalSettingsPath, environment.WorkspaceSettingsPath);
            string? variable = NonEmpty(environment.Variable("WANDB_BASE_URL"));
            string? setting = Setting(settings, "base_url");
            Uri url = ParseBaseUrl(baseUrl ?? session?.BaseUrl.ToString() ?? variable ?? setting ?? DefaultBaseUrl.ToString());

            // A session's address was checked (or explicitly allowed) when Connect-Wandb made it.
            if (baseUrl is not null || session is null)
            {
                string origin = baseUrl is not null ? "-BaseUrl" : variable is not null ? "the WANDB_BASE_URL environment variable" : "the wandb settings file";
                RefuseInsecure(url, origin, allowInsecure);
            }

            WandbConnection? sameServer = session is not null && SameServer(session.BaseUrl, url) ? session : null;
            ApiCredential credential = key ?? sameServer?.Credential.AsSession() ?? FindKey(url, environment);
            if (credential.Source == ApiKeySource.Netrc && !environment.Windows && credential.Origin is string netrc && FilePermissions.OthersCanRead(netrc) is int mode)
            {
                diagnostics?.WarningOnce(
                    "The netrc file " + netrc + " that holds your W&B API key can be read by other users (mode " + Convert.ToString(mode, 8) +
                    "). Make it private: chmod 600 " + netrc);
            }

            return new ApiTarget(
                url,
                credential,
                entity ?? sameServer?.Entity ?? NonEmpty(environment.Variable("WANDB_ENTITY")) ?? Setting(settings, "entity"),
                project ?? sameServer?.Project ?? NonEmpty(environment.Variable("WANDB_PROJECT")) ?? Setting(settings, "project"));
        }

        /// <summary>The key from WANDB_API_KEY or the netrc file; null when neither has one.</summary>
        public static ApiCredential? TryFindKey(Uri baseUrl, ApiEnvironment environment, out string netrcPath)
        {
            netrcPath = NetrcFile.PathFor(environment.Variable, environment.Home, environment.Windows);
            string? variable = NonEmpty(environment.Variable("WANDB_API_KEY"));
            if (variable is not null)
            {
                return new ApiCredential(variable, ApiKeySource.Environment, "WANDB_API_KEY");
            }

            if (File.Exists(netrcPath))
            {
                string? password = NetrcFile.FindPassword(File.ReadAllText(netrcPath), NetrcFile.MachineFor(baseUrl));
                if (!string.IsNullOrWhiteSpace(password))
                {
                    return new ApiCredential(password!, ApiKeySource.Netrc, netrcPath);
                }
            }

            return null;
        }

        public static Uri ParseBaseUrl(string text)
        {
            if (!Uri.TryCreate(text.Trim().TrimEnd('/'), UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "'" + text + "' is not an http(s) W&B base URL, such as https://api.wandb.ai.", text);
            }

            return url;
        }

        /// <summary>True for addresses that never leave the machine: 127.0.0.0/8, ::1 and localhost.</summary>
        public static bool IsLoopback(Uri url) =>
            string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(url.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));

        /// <summary>Plain http:// to another machine would send the key and the runs unencrypted: refused unless allowed.</summary>
        private static void RefuseInsecure(Uri url, string origin, bool allowInsecure)
        {
            if (allowInsecure || url.Scheme != Uri.UriSchemeHttp || IsLoopback(url))
            {
                return;
            }

            throw new WandbException(
                WandbErrorKind.InsecureConnection,
                "Refusing plain HTTP to " + url + " (from " + origin + "): the API key and the runs would cross the network unencrypted. " +
                "Use https://, or pass -AllowInsecure to accept that (only loopback addresses may use http:// without it).",
                url.ToString());
        }

        private static ApiCredential FindKey(Uri baseUrl, ApiEnvironment environment) =>
            TryFindKey(baseUrl, environment, out string netrcPath) ?? throw new WandbException(
                WandbErrorKind.ApiKeyMissing,
                "No W&B API key was found for " + baseUrl + ". Looked in: the -ApiKey parameter, a Connect-Wandb connection, the WANDB_API_KEY environment variable, and the netrc file " +
                netrcPath + " (machine " + NetrcFile.MachineFor(baseUrl) + "). Run `wandb login`, set WANDB_API_KEY, or use Connect-Wandb -ApiKey.",
                baseUrl.ToString());

        private static bool SameServer(Uri a, Uri b) => Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

        private static string? Setting(Dictionary<string, string> settings, string key) => settings.TryGetValue(key, out string? value) ? NonEmpty(value) : null;

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
