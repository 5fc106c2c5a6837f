using System;
using System.IO;
using WandbRunOps.Testing;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>A fresh copy of the sample runs, written by the project's writer, anchored at a chosen time.</summary>
    public sealed class SampleRuns : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public SampleRuns(DateTime? anchorUtc = null)
        {
            Anchor = anchorUtc ?? new DateTime(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            Wandb = _temp.Combine("project", "wandb");
            Directory.CreateDirectory(Wandb);
            SampleSet.Write(Wandb, Anchor);
        }

        public DateTime Anchor { get; }

        /// <summary>The wandb folder.</summary>
        public string Wandb { get; }

        /// <summary>The folder holding wandb/, as a training script's working directory would.</summary>
        public string ProjectFolder => Path.GetDirectoryName(Wandb)!;

        public string Scratch(string name) => _temp.Combine(name);

        public void Dispose() => _temp.Dispose();
    }
}
