using System;
using System.IO;
using System.Linq;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.History
{
    /// <summary>
    /// A 32 KiB block of a real log written twice (valid checksums, so the framing cannot tell): its history records
    /// come again with steps that go back. Within one log that is damage (issue 13 point 9): the repeats are not
    /// output, nor counted in HistoryCount, and a warning says so.
    /// </summary>
    public class RepeatedBlockTests
    {
        private const string Fixture = "sdk-0.12.15-online/wandb/run-20220429_201936-3ojed7lz";

        [RealFixtureFact]
        public void ARepeatedBlockGivesEachStepOnceAndAWarning()
        {
            using var temp = new TempDirectory();
            string folder = temp.Combine("run-20220429_201936-3ojed7lz");
            Directory.CreateDirectory(folder);
            byte[] log = File.ReadAllBytes(Path.Combine(RepoPaths.RealFixtures, Fixture, "run-3ojed7lz.wandb"));
            const int Block = 32768;
            byte[] repeated = log.Take(4 * Block).Concat(log.Skip(3 * Block).Take(Block)).Concat(log.Skip(4 * Block)).ToArray();
            File.WriteAllBytes(Path.Combine(folder, "run-3ojed7lz.wandb"), repeated);
            using var ps = new ModuleRunspace();

            ScriptResult original = ps.Run("Get-RunHistory -Path $args[0] | ForEach-Object { $_._step }", Path.Combine(RepoPaths.RealFixtures, Fixture)).ThrowOnError();
            ScriptResult result = ps.Run("Get-RunHistory -Path $args[0] | ForEach-Object { $_._step }", folder).ThrowOnError();

            long[] steps = result.Output.Select(o => (long)o.BaseObject).ToArray();
            Assert.Equal(862, original.Output.Count);
            Assert.Equal(original.Output.Select(o => (long)o.BaseObject), steps);
            Assert.Contains(result.Warnings, w => w.Contains("repeats", StringComparison.Ordinal) && w.Contains("_step goes back", StringComparison.Ordinal));

            // The listing counts by the same rule (issue 14 point 3): the repeats are not in HistoryCount either.
            Assert.Equal(862L, ps.Run("(Get-WandbRun -Path $args[0]).HistoryCount", folder).ThrowOnError().Output.Single().BaseObject);
        }
    }
}
