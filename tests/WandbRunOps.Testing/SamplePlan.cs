using System;
using System.Collections.Generic;

namespace WandbRunOps.Testing;

/// <summary>
/// One sample run folder as SampleSet describes it; <see cref="SampleRunBuilder"/> turns it into
/// records and files. A resumed run is two plans with the same id.
/// </summary>
internal sealed class SamplePlan
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public required DateTime CreatedUtc { get; init; }
    public string User { get; init; } = "ana";
    public bool Offline { get; init; }
    /// <summary>Python-era log (empty header, key items, no summary records) with Python-era files.</summary>
    public bool PythonEra { get; init; }

    public double LearningRate { get; init; }
    public long Epochs { get; init; } = 10;
    public string? JobType { get; init; } = "train";
    public string? Group { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    public string? SweepId { get; init; }

    /// <summary>History steps FirstStep … FirstStep+StepCount−1, evenly spread over SegmentSeconds.</summary>
    public int FirstStep { get; init; }
    public int StepCount { get; init; }
    public int SegmentSeconds { get; init; }
    /// <summary>Runtime already accumulated before this folder (resumed runs).</summary>
    public int PriorRuntime { get; init; }
    public bool Resumed { get; init; }

    public double FinalAccuracy { get; init; }
    public double FinalLoss { get; init; }

    /// <summary>Null: no exit record (running, crashed or interrupted).</summary>
    public int? ExitCode { get; init; }

    public IReadOnlyList<ArtifactSpec> Logged { get; init; } = Array.Empty<ArtifactSpec>();
    public IReadOnlyList<(string id, string type, string name)> Used { get; init; } = Array.Empty<(string, string, string)>();

    /// <summary>Adds a ConfigRecord that sets then removes <c>architecture</c>.</summary>
    public bool RemoveArchitecture { get; init; }

    /// <summary>Live run: after the run record only a config-bearing run record and one untimed summary update.</summary>
    public bool Live { get; init; }

    /// <summary>Last-write time for the log; defaults to the last moment the run was active.</summary>
    public DateTime? LogLastWriteUtc { get; init; }

    public int TotalRuntime => PriorRuntime + SegmentSeconds;
    public DateTime EndUtc => CreatedUtc.AddSeconds(SegmentSeconds);
}
