using System;
using System.Collections.Generic;
using System.IO;
using WandbRunOps.Api;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Api
{
    /// <summary>Key, base URL, entity and project are found where the wandb CLI keeps them.</summary>
    public class CredentialDiscoveryTests : IDisposable
    {
        private const string NetrcKey = "local-netrc0000000000000000000000000000000000";
        private readonly TempDirectory _home = new TempDirectory();
        private readonly Dictionary<string, string> _variables = new Dictionary<string, string>();

        public void Dispose() => _home.Dispose();

        private ApiEnvironment Environment => new ApiEnvironment(n => _variables.TryGetValue(n, out string? v) ? v : null, _home.Path, _home.Combine("work"), windows: false);

        [Fact]
        public void NetrcMatchesTheBaseUrlsHostAndPort()
        {
            const string netrc = "machine api.wandb.ai\n  login user\n  password cloudkey\n# a comment\nmachine wandb.corp:8080 login user password \"corp key\"\ndefault login x password fallback\n";
            Assert.Equal("cloudkey", NetrcFile.FindPassword(netrc, "api.wandb.ai"));
            Assert.Equal("corp key", NetrcFile.FindPassword(netrc, "wandb.corp:8080"));
            Assert.Equal("fallback", NetrcFile.FindPassword(netrc, "elsewhere"));
            Assert.Equal("wandb.corp:8080", NetrcFile.MachineFor(new Uri("https://wandb.corp:8080")));
            Assert.Equal("api.wandb.ai", NetrcFile.MachineFor(new Uri("https://api.wandb.ai")));
            Assert.Null(NetrcFile.FindPassword("machine a login b password c", "x"));
        }

        [Fact]
        public void KeyOrderIsParameterThenSessionThenEnvironmentThenNetrc()
        {
            File.WriteAllText(_home.Combine(".netrc"), "machine api.wandb.ai login user password " + NetrcKey + "\n");
            ApiTarget fromNetrc = ApiTarget.Resolve(null, null, null, "p", null, Environment);
            Assert.Equal(ApiKeySource.Netrc, fromNetrc.Credential.Source);
            Assert.Equal(_home.Combine(".netrc"), fromNetrc.Credential.Origin);

            _variables["WANDB_API_KEY"] = "env-key-0000000000000000000000000000000000000";
            Assert.Equal(ApiKeySource.Environment, ApiTarget.Resolve(null, null, null, "p", null, Environment).Credential.Source);

            var session = new WandbConnection(ApiTarget.DefaultBaseUrl, new ApiCredential("session-key-00000000000000000000000000000", ApiKeySource.Parameter), "u", "team", "proj", DateTime.UtcNow);
            ApiTarget fromSession = ApiTarget.Resolve(null, null, null, null, session, Environment);
            Assert.True(fromSession.Credential.SameKey(session.Credential));
            Assert.Equal(ApiKeySource.Session, fromSession.Credential.Source);
            Assert.Equal("the connection made with Connect-Wandb (from the -ApiKey parameter)", fromSession.Credential.Description);
            Assert.Equal(("team", "proj"), (fromSession.Entity, fromSession.Project));

            var parameter = new ApiCredential("param-key-000000000000000000000000000000000", ApiKeySource.Parameter);
            Assert.Same(parameter, ApiTarget.Resolve(null, parameter, null, null, session, Environment).Credential);
        }

        [Fact]
        public void ASessionOnAnotherServerIsNotUsedForThisOne()
        {
            var session = new WandbConnection(new Uri("https://wandb.corp"), new ApiCredential("session-key", ApiKeySource.Parameter), "u", "team", "proj", DateTime.UtcNow);
            _variables["WANDB_API_KEY"] = "env-key";
            ApiTarget target = ApiTarget.Resolve("https://api.wandb.ai", null, null, "p", session, Environment);
            Assert.Equal(ApiKeySource.Environment, target.Credential.Source);
            Assert.Null(target.Entity);
        }

        [Fact]
        public void NetrcVariableAndUnderscoreFileAreHonoured()
        {
            File.WriteAllText(_home.Combine("_netrc"), "machine api.wandb.ai login user password underscore\n");
            Assert.Equal("underscore", Describe(ApiTarget.Resolve(null, null, null, "p", null, Environment)));
            string custom = _home.Combine("custom-netrc");
            File.WriteAllText(custom, "machine api.wandb.ai login user password custom\n");
            _variables["NETRC"] = custom;
            Assert.Equal(custom, ApiTarget.Resolve(null, null, null, "p", null, Environment).Credential.Origin);
        }

        [Fact]
        public void NoKeyAnywhereSaysWhereItLooked()
        {
            var error = Assert.Throws<WandbException>(() => ApiTarget.Resolve("http://127.0.0.1:9999", null, null, "p", null, Environment));
            Assert.Equal(WandbErrorKind.ApiKeyMissing, error.Kind);
            Assert.Contains("-ApiKey", error.Message);
            Assert.Contains("WANDB_API_KEY", error.Message);
            Assert.Contains(_home.Combine(".netrc"), error.Message);
            Assert.Contains("machine 127.0.0.1:9999", error.Message);
        }

        [Fact]
        public void BaseUrlEntityAndProjectComeFromVariablesThenSettingsFiles()
        {
            _variables["WANDB_API_KEY"] = "k";
            Directory.CreateDirectory(_home.Combine(".config", "wandb"));
            File.WriteAllText(_home.Combine(".config", "wandb", "settings"), "[default]\nbase_url = https://wandb.corp/\nentity = global-team\nproject = global-proj\n");
            Directory.CreateDirectory(_home.Combine("work", "wandb"));
            File.WriteAllText(_home.Combine("work", "wandb", "settings"), "[default]\nproject = workspace-proj\n");

            ApiTarget fromFiles = ApiTarget.Resolve(null, null, null, null, null, Environment);
            Assert.Equal(new Uri("https://wandb.corp"), fromFiles.BaseUrl);
            Assert.Equal(("global-team", "workspace-proj"), (fromFiles.Entity, fromFiles.Project));

            _variables["WANDB_BASE_URL"] = "http://127.0.0.1:8080";
            _variables["WANDB_ENTITY"] = "env-team";
            _variables["WANDB_PROJECT"] = "env-proj";
            ApiTarget fromVariables = ApiTarget.Resolve(null, null, null, null, null, Environment);
            Assert.Equal(("127.0.0.1", 8080, "env-team", "env-proj"), (fromVariables.BaseUrl.Host, fromVariables.BaseUrl.Port, fromVariables.Entity, fromVariables.Project));

            Assert.Equal(("e", "p"), (ApiTarget.Resolve(null, null, "e", "p", null, Environment).Entity, ApiTarget.Resolve(null, null, "e", "p", null, Environment).Project));
        }

        [Theory]
        [InlineData("ftp://x")]
        [InlineData("not a url")]
        public void ABadBaseUrlIsAnInvalidArgument(string url) =>
            Assert.Equal(WandbErrorKind.InvalidArgument, Assert.Throws<WandbException>(() => ApiTarget.ParseBaseUrl(url)).Kind);

        [Fact]
        public void ACredentialNeverShowsItsKey()
        {
            var credential = new ApiCredential("secret-0123456789abcdef0123456789abcdef01234", ApiKeySource.Netrc, "/home/u/.netrc");
            Assert.DoesNotContain("secret", credential.ToString());
            Assert.Equal("API key from the netrc file /home/u/.netrc", credential.ToString());
            var connection = new WandbConnection(new Uri("https://api.wandb.ai"), credential, "u", "e", "p", DateTime.UtcNow);
            Assert.DoesNotContain("secret", connection.ToString());
            Assert.DoesNotContain(typeof(WandbConnection).GetProperties(), p => p.PropertyType == typeof(ApiCredential));
        }

        private static string Describe(ApiTarget target) => Path.GetFileName(target.Credential.Origin!) == "_netrc" ? "underscore" : "?";
    }
}
