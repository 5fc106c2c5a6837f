using System;
using System.IO;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Completion
{
    /// <summary>With no API key anywhere (no parameter, connection, WANDB_API_KEY or netrc), API completion offers nothing and raises nothing.</summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class OfflineCompletionTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly EnvironmentScope _environment = EnvironmentScope.Clean();
        private readonly ModuleRunspace _ps;

        public OfflineCompletionTests()
        {
            Directory.CreateDirectory(_temp.Combine("home"));
            Directory.CreateDirectory(_temp.Combine("work"));
            _environment.Set("HOME", _temp.Combine("home"));
            _ps = new ModuleRunspace(_temp.Combine("work"));
        }

        public void Dispose()
        {
            _ps.Dispose();
            _environment.Dispose();
            _temp.Dispose();
        }

        [Theory]
        [InlineData("Get-WandbRun -Project ")]
        [InlineData("Get-WandbRun -Project mn")]
        [InlineData("Connect-Wandb -Entity ")]
        [InlineData("Get-RunConfig -Entity acme-ml -Project ")]
        [InlineData("Get-WandbRun -Project acme-ml/mnist-sweep -Id fin")]
        [InlineData("Get-RunSummary -Project acme-ml/mnist-sweep -Key acc")]
        [InlineData("Get-RunLoggedArtifact -Project acme-ml/mnist-sweep -Id fin0001a -Name mo")]
        public void NothingIsOfferedAndNothingIsRaised(string input)
        {
            Assert.Empty(Completions.Texts(_ps, input));
            Assert.Empty(_ps.Run("$Error").Output);
        }
    }
}
