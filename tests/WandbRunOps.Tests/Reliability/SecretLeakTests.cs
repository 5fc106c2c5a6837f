using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using WandbRunOps.FakeWandb;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// The API key, from each place it can come from, never shows in any stream, error, exception, debug trace or
    /// serialized connection, neither as itself nor as the Basic header (base64 of api:KEY), even when a failing server
    /// or proxy repeats the request's Authorization header back.
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class SecretLeakTests : IDisposable
    {
        private const string Listing = "Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url @source -PageSize 10 -MaximumRetryCount 1 -RetryIntervalSec 0.01 -Verbose"; // debug lines: $DebugPreference (-Debug would turn warnings into prompts)
        private const string Echo = Fault.EchoAuthorization + " (" + Fault.EchoCredentials + ")";

        private static readonly (string Mode, Func<Fault[]> Faults)[] FailureModes =
        {
            ("success", () => Array.Empty<Fault>()),
            ("401 echoing the request (JSON)", () => new Fault[] { new StatusFault(401, "{\"errors\":[{\"message\":\"bad Authorization: " + Echo + "\"}]}") }),
            ("403 HTML page echoing the request", () => new Fault[] { new StatusFault(403, HtmlEcho("403 Forbidden"), "text/html") }),
            ("500 echoing the request, past the retries", () => Times(2, new StatusFault(500, "{\"error\":{\"message\":\"upstream said " + Echo + "\"}}"))),
            ("502 HTML page echoing the request, past the retries", () => Times(2, new StatusFault(502, HtmlEcho("502 Bad Gateway"), "text/html"))),
            ("400 plain text echoing the request", () => new Fault[] { new StatusFault(400, "request rejected: " + Echo, "text/plain") }),
            ("GraphQL error echoing the request, with partial data", () => new Fault[] { new GraphQLErrorFault("denied for " + Echo, WithPartialData: true) }),
            ("GraphQL error echoing the request, no data", () => new Fault[] { new GraphQLErrorFault("denied for " + Echo, WithPartialData: false) }),
            ("connection resets, past the retries", () => Times(2, new ResetFault())),
        };

        private readonly ITestOutputHelper _output;
        private readonly EnvironmentScope _environment = EnvironmentScope.Clean();
        private readonly TempDirectory _home = new TempDirectory();
        private readonly FakeWandbServer _server = FakeWandbServer.StartAsync(FakeData.Synthetic(25)).GetAwaiter().GetResult();
        private readonly string[] _secrets = { FakeData.ApiKey, Convert.ToBase64String(Encoding.UTF8.GetBytes("api:" + FakeData.ApiKey)) };

        public SecretLeakTests(ITestOutputHelper output)
        {
            _output = output;
            _environment.Set("HOME", _home.Path);
        }

        public void Dispose()
        {
            _server.Dispose();
            _environment.Dispose();
            _home.Dispose();
        }

        [Theory]
        [InlineData("Parameter")]
        [InlineData("Session")]
        [InlineData("Environment")]
        [InlineData("Netrc")]
        public void NoStreamErrorOrSerializationShowsTheKeyWhateverTheServerDoes(string keySource)
        {
            using var ps = new ModuleRunspace(_home.Path);
            ps.SetVariable("key", ApiSamples.Secure(FakeData.ApiKey));
            ps.SetVariable("url", _server.BaseUrl);
            ps.Run("$DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $ProgressPreference = 'Continue'; $source = @{}").ThrowOnError();
            var leaks = new List<string>();
            switch (keySource)
            {
                case "Parameter":
                    ps.Run("$source = @{ ApiKey = $key }").ThrowOnError();
                    break;
                case "Session":
                    leaks.AddRange(Leaks("Connect-Wandb", ps.Run("Connect-Wandb -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key -Verbose").ThrowOnError()));
                    break;
                case "Environment":
                    _environment.Set("WANDB_API_KEY", FakeData.ApiKey);
                    break;
                case "Netrc":
                    // Readable by others, so the permission warning is written too (and must not carry the key either).
                    string netrc = _home.Combine(".netrc");
                    File.WriteAllText(netrc, "machine 127.0.0.1:" + new Uri(_server.BaseUrl).Port + " login user password " + FakeData.ApiKey + "\n");
                    if (!OperatingSystem.IsWindows())
                    {
                        UnixPermissions.Set(netrc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                    }

                    break;
            }

            foreach ((string mode, Func<Fault[]> faults) in FailureModes)
            {
                foreach (Fault fault in faults())
                {
                    _server.Faults.Enqueue(fault);
                }

                ScriptResult result = ps.Run("try { " + Listing + " } catch { $_ }");
                bool failed = result.Of<ErrorRecord>().Any() || result.Errors.Count > 0;
                string errors = string.Join(" | ", result.Of<ErrorRecord>().Concat(result.Errors).Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message));
                Assert.True(failed != (mode is "success" or "GraphQL error echoing the request, with partial data"), mode + ": " + errors);
                Assert.Equal(0, _server.Faults.Pending);
                Assert.Contains("API key from " + Describe(keySource), string.Join("\n", result.Verbose));
                List<string> found = Leaks(mode, result);
                _output.WriteLine("| {0} | {1} | {2} | {3} |", keySource, mode, failed ? "error" : "runs", found.Count);
                leaks.AddRange(found);
            }

            if (keySource == "Netrc" && !OperatingSystem.IsWindows())
            {
                ScriptResult warned = ps.Run(Listing);
                Assert.Contains(warned.Warnings, w => w.Contains("chmod 600 " + _home.Combine(".netrc"), StringComparison.Ordinal));
            }

            // The connection object: PowerShell's own serializer, and JSON over its properties as ConvertTo-Json would write them.
            ScriptResult connection = ps.Run("$c = Connect-Wandb -Project acme-ml/mnist-sweep -BaseUrl $url @source; $c; [System.Management.Automation.PSSerializer]::Serialize($c, 3); Get-WandbConnection");
            PSObject connected = connection.ThrowOnError().Output[0];
            Assert.Equal(keySource, connected.Properties["KeySource"].Value.ToString());
            string json = JsonSerializer.Serialize(connected.Properties.ToDictionary(p => p.Name, p => p.Value?.ToString()));
            Assert.Contains("\"Username\":\"ana\"", json);
            leaks.AddRange(Leaks("connection", connection).Concat(Found("connection as JSON", json)));

            Assert.True(leaks.Count == 0, "the key showed in: " + string.Join("; ", leaks));
        }

        [Fact]
        public async Task TheEchoingFaultsReallyPutTheKeyAndTheHeaderInTheAnswer()
        {
            // Without this, a leak test against faults that echo nothing could not fail.
            _server.Faults.Enqueue(new StatusFault(401, "{\"errors\":[{\"message\":\"" + Echo + "\"}]}"));
            _server.Faults.Enqueue(new GraphQLErrorFault(Echo, WithPartialData: true));
            using var http = new System.Net.Http.HttpClient();
            for (int i = 0; i < 2; i++)
            {
                using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Post, _server.BaseUrl + "/graphql")
                {
                    Content = new System.Net.Http.StringContent("{\"query\":\"query Viewer { viewer { id } }\"}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", _secrets[1]);
                using System.Net.Http.HttpResponseMessage response = await http.SendAsync(request);
                string body = await response.Content.ReadAsStringAsync();
                Assert.Contains("Basic " + _secrets[1], body);
                Assert.Contains("api:" + _secrets[0], body);
            }
        }

        [Fact]
        public void ApiKeyTakesOnlyASecureStringAndAPlainStringIsRefusedWithoutEchoingIt()
        {
            using var ps = new ModuleRunspace(_home.Path);
            foreach (string command in new[] { "Connect-Wandb", "Get-WandbRun", "Get-RunHistory" })
            {
                Assert.Equal(typeof(SecureString), ps.Run("(Get-Command " + command + ").Parameters['ApiKey'].ParameterType").ThrowOnError().Output[0].BaseObject);
            }

            ScriptResult result = ps.Run("try { Connect-Wandb -BaseUrl $args[0] -ApiKey $args[1] } catch { $_ }", _server.BaseUrl, FakeData.ApiKey);
            var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
            Assert.Contains("SecureString", error.Exception.Message);
            Assert.Empty(Leaks("plain-string -ApiKey", result));
            Assert.Empty(_server.Requests);
        }

        private static string Describe(string keySource) => keySource switch
        {
            "Parameter" => "the -ApiKey parameter",
            "Session" => "the connection made with Connect-Wandb",
            "Environment" => "the WANDB_API_KEY environment variable",
            _ => "the netrc file",
        };

        /// <summary>Every stream of a script, each error as text, exception (with inner ones and stack) and serialized record.</summary>
        private List<string> Leaks(string what, ScriptResult result)
        {
            var places = new List<(string Stream, string Text)>();
            foreach (PSObject item in result.Output)
            {
                places.Add(("output", item.ToString()));
                if (item.BaseObject is ErrorRecord record)
                {
                    places.AddRange(ErrorTexts("caught error", record));
                }
            }

            places.AddRange(result.Errors.SelectMany(e => ErrorTexts("error", e)));
            places.AddRange(result.Warnings.Select(w => ("warning", w)));
            places.AddRange(result.Verbose.Select(v => ("verbose", v)));
            places.AddRange(result.Debug.Select(d => ("debug", d)));
            places.AddRange(result.Information.Select(i => ("information", i.MessageData?.ToString() ?? string.Empty)));
            places.AddRange(result.Progress.Select(p => ("progress", p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation)));
            places.Add(("terminating", result.Terminating?.ToString() ?? string.Empty));
            return places.SelectMany(p => Found(what + " / " + p.Stream, p.Text)).ToList();
        }

        private static IEnumerable<(string, string)> ErrorTexts(string stream, ErrorRecord record)
        {
            yield return (stream, record.ToString());
            yield return (stream + " exception", record.Exception.ToString());
            yield return (stream + " details", record.ErrorDetails?.Message + " " + record.ErrorDetails?.RecommendedAction);
            yield return (stream + " target", record.TargetObject?.ToString() ?? string.Empty);
            yield return (stream + " serialized", PSSerializer.Serialize(record));
        }

        private IEnumerable<string> Found(string where, string text) =>
            _secrets.Where(s => text.Contains(s, StringComparison.Ordinal)).Select(s => where + (s == _secrets[0] ? " (the key)" : " (the Basic header)"));

        private static Fault[] Times(int count, Fault fault) => Enumerable.Repeat(fault, count).ToArray();

        private static string HtmlEcho(string title) =>
            "<html><head><title>" + title + " - Authorization: " + Fault.EchoAuthorization + "</title></head><body><pre>" + Fault.EchoCredentials + "</pre></body></html>";
    }
}
