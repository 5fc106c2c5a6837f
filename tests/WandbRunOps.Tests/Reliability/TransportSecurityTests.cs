using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.FakeWandb;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>The key only travels encrypted (or stays on the machine), over certificates that are checked, and a netrc others can read is pointed out.</summary>
    public class TransportSecurityTests : IDisposable
    {
        private readonly TempDirectory _home = new TempDirectory();
        private readonly Dictionary<string, string> _variables = new Dictionary<string, string>();

        public void Dispose() => _home.Dispose();

        private ApiEnvironment Environment(bool windows = false) =>
            new ApiEnvironment(n => _variables.TryGetValue(n, out string? v) ? v : null, _home.Path, _home.Combine("work"), windows);

        private static ApiCredential Key => new ApiCredential(FakeData.ApiKey, ApiKeySource.Parameter);

        [Theory]
        [InlineData("http://127.0.0.1:8080")]
        [InlineData("http://127.8.9.10")]
        [InlineData("http://[::1]:8080")]
        [InlineData("http://localhost:8080")]
        [InlineData("http://LocalHost")]
        [InlineData("https://wandb.corp")]
        [InlineData("https://10.0.0.7:8443")]
        public void LoopbackAndHttpsAddressesAreAccepted(string url) =>
            Assert.Equal(new Uri(url), ApiTarget.Resolve(url, Key, null, "p", null, Environment()).BaseUrl);

        [Theory]
        [InlineData("http://wandb.corp")]
        [InlineData("http://10.0.0.7:8080")]
        [InlineData("http://[fe80::1]")]
        [InlineData("http://127.0.0.1.nip.io")]
        [InlineData("http://localhost.evil.example")]
        public void PlainHttpToAnotherMachineIsRefusedUnlessAllowed(string url)
        {
            var error = Assert.Throws<WandbException>(() => ApiTarget.Resolve(url, Key, null, "p", null, Environment()));
            Assert.Equal(WandbErrorKind.InsecureConnection, error.Kind);
            Assert.Equal("WandbInsecureConnection", error.ErrorId);
            Assert.Contains("-AllowInsecure", error.Message);
            Assert.Contains("-BaseUrl", error.Message);
            Assert.Equal(new Uri(url).ToString(), error.Target);

            Assert.Equal(new Uri(url), ApiTarget.Resolve(url, Key, null, "p", null, Environment(), allowInsecure: true).BaseUrl);
        }

        [Fact]
        public void TheVariableAndTheSettingsFileAreCheckedTooAndTheErrorSaysWhichNamedTheAddress()
        {
            Directory.CreateDirectory(_home.Combine(".config", "wandb"));
            File.WriteAllText(_home.Combine(".config", "wandb", "settings"), "[default]\nbase_url = http://wandb.corp\n");
            var fromSettings = Assert.Throws<WandbException>(() => ApiTarget.Resolve(null, Key, null, "p", null, Environment()));
            Assert.Equal(WandbErrorKind.InsecureConnection, fromSettings.Kind);
            Assert.Contains("settings file", fromSettings.Message);

            _variables["WANDB_BASE_URL"] = "http://10.1.2.3:8080";
            var fromVariable = Assert.Throws<WandbException>(() => ApiTarget.Resolve(null, Key, null, "p", null, Environment()));
            Assert.Contains("WANDB_BASE_URL", fromVariable.Message);
            Assert.Equal("http://10.1.2.3:8080/", fromVariable.Target);
            Assert.Equal(8080, ApiTarget.Resolve(null, Key, null, "p", null, Environment(), allowInsecure: true).BaseUrl.Port);

            // Connect-Wandb checked (or was told to allow) the address it keeps.
            var session = new WandbConnection(new Uri("http://10.1.2.3:8080"), Key, "u", "e", "p", DateTime.UtcNow);
            Assert.Equal(session.BaseUrl, ApiTarget.Resolve(null, null, null, null, session, Environment()).BaseUrl);
        }

        [Fact]
        public void TheCmdletsRefusePlainHttpBeforeSendingAnythingAndAllowItWithAllowInsecure()
        {
            // The loopback server doubles as an HTTP proxy: a request for wandb.invalid can only reach it through -Proxy,
            // so its empty request log shows nothing left the command.
            using var api = new ApiSamples();
            using ModuleRunspace ps = api.Runspace();
            const string Insecure = " -BaseUrl http://wandb.invalid:8080 -Proxy $url";
            foreach (string command in new[] { "Get-WandbRun -Project acme-ml/mnist-sweep -ApiKey $key", "Connect-Wandb -Project acme-ml/mnist-sweep -ApiKey $key", "Get-RunSummary -Project acme-ml/mnist-sweep -ApiKey $key -Id fin0001a" })
            {
                ScriptResult refused = ps.Run("try { " + command + Insecure + "; 'not reached' } catch { $_ }");
                var error = Assert.IsType<ErrorRecord>(Assert.Single(refused.Output).BaseObject);
                Assert.StartsWith("WandbInsecureConnection,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
                Assert.Equal("http://wandb.invalid:8080/", error.TargetObject);
                Assert.Contains("-AllowInsecure", error.ErrorDetails.RecommendedAction);
                Assert.Empty(api.Server.Requests);
            }

            Assert.Equal(8, ps.Run("Get-WandbRun -Project acme-ml/mnist-sweep -ApiKey $key -AllowInsecure" + Insecure).ThrowOnError().Of<WandbRun>().Count);

            // A connection made with -AllowInsecure keeps serving its address without the switch.
            ps.Run("Connect-Wandb -Project acme-ml/mnist-sweep -ApiKey $key -AllowInsecure" + Insecure).ThrowOnError();
            Assert.Equal(8, ps.Run("Get-WandbRun -Proxy $url").ThrowOnError().Of<WandbRun>().Count);
        }

        [Fact]
        public async Task AnUntrustedCertificateFailsAtOnceWithAConnectionErrorThatSaysSoAndTheKeyIsNeverSent()
        {
            using X509Certificate2 certificate = SelfSignedLoopbackCertificate();
            await using FakeWandbServer server = await FakeWandbServer.StartAsync(FakeData.Synthetic(3), new FakeServerOptions { Certificate = certificate });
            Assert.StartsWith("https://127.0.0.1:", server.BaseUrl);
            using var ps = new ModuleRunspace();
            ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));

            // The default retries (7, from 1 s doubling) would take minutes: a certificate failure is not retried.
            var clock = Stopwatch.StartNew();
            ScriptResult result = ps.Run("try { Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $args[0] -ApiKey $key; 'not reached' } catch { $_ }", server.BaseUrl);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "took " + clock.Elapsed);
            var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
            Assert.StartsWith("WandbConnectionFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("certificate was not accepted", error.Exception.Message);
            Assert.Contains(server.BaseUrl, error.Exception.Message);
            Assert.Empty(server.Requests);
        }

        [UnixFact]
        public void ANetrcOthersCanReadIsWarnedAboutOnceWithTheFixButNeverOnWindows()
        {
            string netrc = _home.Combine(".netrc");
            File.WriteAllText(netrc, "machine api.wandb.ai login user password " + FakeData.ApiKey + "\n");
            var warnings = new List<string>();
            var diagnostics = new ReadDiagnostics(warnings.Add, null);

            UnixPermissions.Set(netrc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            ApiTarget.Resolve(null, null, null, "p", null, Environment(), diagnostics: diagnostics);
            Assert.Empty(warnings);

            UnixPermissions.Set(netrc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            ApiTarget.Resolve(null, null, null, "p", null, Environment(), diagnostics: diagnostics);
            ApiTarget.Resolve(null, null, null, "p", null, Environment(), diagnostics: diagnostics);
            string warning = Assert.Single(warnings);
            Assert.Contains("The netrc file " + netrc, warning);
            Assert.Contains("mode 644", warning);
            Assert.EndsWith("chmod 600 " + netrc, warning);
            Assert.DoesNotContain(FakeData.ApiKey, warning);

            UnixPermissions.Set(netrc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            var groupOnly = new List<string>();
            ApiTarget.Resolve(null, null, null, "p", null, Environment(), diagnostics: new ReadDiagnostics(groupOnly.Add, null));
            Assert.Contains("mode 640", Assert.Single(groupOnly));

            var onWindows = new List<string>();
            UnixPermissions.Set(netrc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            ApiTarget.Resolve(null, null, null, "p", null, Environment(windows: true), diagnostics: new ReadDiagnostics(onWindows.Add, null));
            Assert.Empty(onWindows);
        }

        private static X509Certificate2 SelfSignedLoopbackCertificate()
        {
            using RSA rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, critical: false));
            using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

            // A PFX round trip gives Kestrel a certificate whose private key it can use on every platform.
            return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        }
    }
}
