using System;
using System.Linq;
using System.Security;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.FakeWandb;
using WandbRunOps.Local;
using WandbRunOps.Selection;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Sources;

namespace WandbRunOps.Tests.Support
{
    /// <summary>The sample runs twice: as local folders, and loaded into a loopback W&amp;B server.</summary>
    public sealed class ApiSamples : IDisposable
    {
        public ApiSamples()
            : this(new SampleRuns())
        {
        }

        /// <summary>The loopback server over <paramref name="samples"/> as they are now (a test may add to them first); it owns them.</summary>
        public ApiSamples(SampleRuns samples)
        {
            Samples = samples;
            var runs = new LocalRunSource(new[] { Samples.Wandb }, ReadDiagnostics.None).GetRuns(new RunSelector(null, null), new RunListOptions(), e => throw e, CancellationToken.None).ToList();
            Server = FakeWandbServer.StartAsync(FakeData.FromRuns(runs)).GetAwaiter().GetResult();
        }

        public SampleRuns Samples { get; }

        public FakeWandbServer Server { get; }

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>A runspace with $key (the API key as a SecureString) and $url set.</summary>
        public ModuleRunspace Runspace(string? location = null)
        {
            var ps = new ModuleRunspace(location ?? Samples.ProjectFolder);
            ps.SetVariable("key", Secure(FakeData.ApiKey));
            ps.SetVariable("url", Server.BaseUrl);
            return ps;
        }

        public void Dispose()
        {
            Server.Dispose();
            Samples.Dispose();
        }
    }
}
