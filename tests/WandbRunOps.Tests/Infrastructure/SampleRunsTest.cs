using System;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>
    /// The set-up most cmdlet tests share: a fresh copy of the sample runs and the hosted engine with the module
    /// imported, its location the folder that holds wandb/ (a training script's working directory). xunit makes one
    /// instance per test, so a test may change its samples or its session without touching another test's.
    /// </summary>
    public abstract class SampleRunsTest : IDisposable
    {
        protected SampleRunsTest()
        {
            Samples = new SampleRuns();
            Ps = new ModuleRunspace(Samples.ProjectFolder);
        }

        protected SampleRuns Samples { get; }

        protected ModuleRunspace Ps { get; }

        public void Dispose()
        {
            Ps.Dispose();
            Samples.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
