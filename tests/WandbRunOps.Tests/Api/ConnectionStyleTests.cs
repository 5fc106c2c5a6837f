using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Api
{
    /// <summary>A user who ran `wandb login` (netrc) or exported WANDB_* needs nothing more.</summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class ConnectionStyleTests : IDisposable
    {
        private readonly ApiSamples _api = new ApiSamples();
        private readonly EnvironmentScope _environment = EnvironmentScope.Clean();
        private readonly string _elsewhere;

        public ConnectionStyleTests()
        {
            // A folder with no wandb/ in it, and a home with no netrc, so only what a test sets is found.
            _elsewhere = _api.Samples.Scratch("elsewhere");
            Directory.CreateDirectory(_elsewhere);
            _environment.Set("HOME", _api.Samples.Scratch("home"));
            Directory.CreateDirectory(_api.Samples.Scratch("home"));
        }

        public void Dispose()
        {
            _environment.Dispose();
            _api.Dispose();
        }

        [Fact]
        public void EnvironmentVariablesNameServerKeyEntityAndProject()
        {
            _environment.Set("WANDB_API_KEY", FakeData.ApiKey).Set("WANDB_BASE_URL", _api.Server.BaseUrl).Set("WANDB_ENTITY", "acme-ml").Set("WANDB_PROJECT", "mnist-sweep");
            using var ps = new ModuleRunspace(_elsewhere);
            ScriptResult result = ps.Run("Get-WandbRun -Verbose");
            Assert.Equal(8, result.ThrowOnError().Of<WandbRun>().Count(r => r.Source == RunSource.Api));
            Assert.Contains(result.Verbose, v => v.Contains("API key from the WANDB_API_KEY environment variable"));
            Assert.Equal(new[] { "fin0002b" }, ps.Run("Get-WandbRun -Project mnist-sweep -Id fin0002b").ThrowOnError().Of<WandbRun>().Select(r => r.Id));
        }

        [Fact]
        public void TheNetrcFileWandbLoginWritesIsUsed()
        {
            int port = new Uri(_api.Server.BaseUrl).Port;
            File.WriteAllText(_api.Samples.Scratch("home/.netrc"), "machine api.wandb.ai\n  login user\n  password not-this-one\nmachine 127.0.0.1:" + port + "\n  login user\n  password " + FakeData.ApiKey + "\n");
            _environment.Set("WANDB_BASE_URL", _api.Server.BaseUrl);
            using var ps = new ModuleRunspace(_elsewhere);
            ScriptResult result = ps.Run("Get-WandbRun -Project acme-ml/mnist-sweep -Verbose");
            Assert.Equal(8, result.ThrowOnError().Of<WandbRun>().Count);
            Assert.Contains(result.Verbose, v => v.Contains("API key from the netrc file " + _api.Samples.Scratch("home/.netrc")));

            // Connect-Wandb with no -ApiKey checks and keeps the discovered key.
            PSObject connection = Assert.Single(ps.Run("Connect-Wandb -Project acme-ml/mnist-sweep").ThrowOnError().Output);
            Assert.Equal("Netrc", connection.Prop("KeySource")!.ToString());
        }

        [Fact]
        public void WithNoKeyAnywhereTheErrorListsWhereItLooked()
        {
            using var ps = new ModuleRunspace(_elsewhere);
            ScriptResult result = ps.Run("try { Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $args[0]; 'not reached' } catch { $_ }", _api.Server.BaseUrl);
            var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
            Assert.StartsWith("WandbApiKeyMissing,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("WANDB_API_KEY", error.Exception.Message);
            Assert.Contains(".netrc", error.Exception.Message);
            Assert.Empty(_api.Server.Requests);
        }

        [Fact]
        public void WithoutAnySourceTheErrorNamesEveryWayToChooseOne()
        {
            using var ps = new ModuleRunspace(_elsewhere);
            ScriptResult result = ps.Run("try { Get-WandbRun; 'not reached' } catch { $_ }");
            var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
            Assert.StartsWith("WandbNoSource,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            foreach (string way in new[] { "-Path", "-Project", "Connect-Wandb -Project", "wandb/", "WANDB_PROJECT" })
            {
                Assert.Contains(way, error.Exception.Message);
            }

            Assert.Equal(_elsewhere, error.TargetObject);
        }
    }
}
