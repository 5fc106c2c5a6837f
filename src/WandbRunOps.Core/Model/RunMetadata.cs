using System;
using WandbRunOps.Values;

namespace WandbRunOps.Model
{
    /// <summary>
    /// What the SDK recorded about how and where a run was started (<c>wandb-metadata.json</c>, the log's environment
    /// record, or the server's copy of the metadata file). Every fact is null where the run did not record it.
    /// </summary>
    public sealed class RunMetadata
    {
        /// <summary>The script or module the run ran (<c>train.py</c>, <c>-m package.module</c>).</summary>
        public string? Program { get; set; }

        /// <summary>The command-line arguments, in order (empty when none were recorded).</summary>
        public ValueList<string> Args { get; set; } = ValueList<string>.Empty;

        public string? GitRemote { get; set; }

        public string? GitCommit { get; set; }

        /// <summary>The operating system (<c>Linux-5.4.0-1072-aws-x86_64-with-Ubuntu-18.04-bionic</c>).</summary>
        public string? Os { get; set; }

        /// <summary>The Python version (<c>3.6.9</c>, <c>CPython 3.11.7</c>).</summary>
        public string? Python { get; set; }

        public string? Host { get; set; }

        /// <summary>The Python interpreter's path.</summary>
        public string? Executable { get; set; }

        /// <summary>Physical CPU cores.</summary>
        public int? CpuCount { get; set; }

        public int? GpuCount { get; set; }

        /// <summary>The GPU model (<c>Tesla T4</c>).</summary>
        public string? Gpu { get; set; }

        /// <summary>When the run started, UTC.</summary>
        public DateTime? StartedAt { get; set; }

        /// <summary>True when no fact at all was recorded.</summary>
        public bool IsEmpty =>
            Program is null && Args.Count == 0 && GitRemote is null && GitCommit is null && Os is null && Python is null && Host is null &&
            Executable is null && CpuCount is null && GpuCount is null && Gpu is null && StartedAt is null;
    }
}
