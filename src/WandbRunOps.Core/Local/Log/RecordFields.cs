namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Field numbers of <c>wandb_internal.Record</c> and the messages we read (docs/protocol.md, section 2.2, "Record
    /// fields the module reads"). Only what the reader uses is named; everything else is skipped.
    /// </summary>
    internal static class RecordFields
    {
        // Record: the oneof record_type.
        public const int History = 2;
        public const int Summary = 3;
        public const int Output = 4;
        public const int Config = 5;
        public const int Stats = 7;
        public const int Artifact = 8;
        public const int Telemetry = 11;
        public const int Metric = 12;
        public const int OutputRaw = 13;
        public const int Run = 17;
        public const int Exit = 18;
        public const int Final = 20;
        public const int Header = 21;
        public const int Footer = 22;
        public const int Preempting = 23;
        public const int UseArtifact = 25;
        public const int Environment = 26;
        public const int Request = 100;

        // RunRecord.
        public const int RunId = 1;
        public const int RunEntity = 2;
        public const int RunProject = 3;
        public const int RunConfig = 4;
        public const int RunSummary = 5;
        public const int RunGroup = 6;
        public const int RunJobType = 7;
        public const int RunDisplayName = 8;
        public const int RunNotes = 9;
        public const int RunTags = 10;
        public const int RunSweepId = 12;
        public const int RunHost = 13;
        public const int RunStartingStep = 14;
        public const int RunStartTime = 17;
        public const int RunResumed = 18;
        public const int RunPriorRuntime = 20;
        public const int RunRuntime = 20;
        public const int RunGit = 21;

        // ConfigRecord / SummaryRecord.
        public const int ItemsUpdate = 1;
        public const int ItemsRemove = 2;

        // ConfigItem / SummaryItem / HistoryItem.
        public const int ItemKey = 1;
        public const int ItemNestedKey = 2;
        public const int ItemValueJson = 16;

        // HistoryRecord.
        public const int HistoryItem = 1;
        public const int HistoryStep = 2;

        // RunExitRecord.
        public const int ExitCode = 1;
        public const int ExitRuntime = 2;

        // StatsRecord / OutputRecord timestamps.
        public const int StatsTimestamp = 2;
        public const int OutputTimestamp = 2;

        // StatsRecord: 1 stats_type (0 = system), 3 items; StatsItem: 1 key, 16 value_json.
        public const int StatsType = 1;
        public const int StatsItem = 3;
        public const int StatsItemKey = 1;
        public const int StatsItemValueJson = 16;
        // OutputRecord / OutputRawRecord: output_type (STDERR = 0, STDOUT = 1), line.
        public const int OutputType = 1;
        public const int OutputLine = 3;

        // HeaderRecord.version_info / VersionInfo.producer.
        public const int HeaderVersionInfo = 1;
        public const int VersionProducer = 1;

        // TelemetryRecord.cli_version.
        public const int TelemetryCliVersion = 5;

        // EnvironmentRecord.
        public const int EnvOs = 1;
        public const int EnvPython = 2;
        public const int EnvStartedAt = 3;
        public const int EnvArgs = 5;
        public const int EnvProgram = 6;
        public const int EnvGit = 9;
        public const int EnvEmail = 10;
        public const int EnvHost = 12;
        public const int EnvUsername = 13;
        public const int EnvExecutable = 14;
        public const int EnvCpuCount = 16;
        public const int EnvGpuType = 18;
        public const int EnvGpuCount = 19;

        // GitRepoRecord (RunRecord.git, EnvironmentRecord.git).
        public const int GitRemoteUrl = 1;
        public const int GitCommit = 2;

        // MetricRecord / MetricSummary.
        public const int MetricName = 1;
        public const int MetricGlobName = 2;
        public const int MetricSummaryOptions = 7;
        public const int MetricGoal = 8;

        // ArtifactRecord.
        public const int ArtifactType = 4;
        public const int ArtifactName = 5;
        public const int ArtifactEntity = 3;
        public const int ArtifactProject = 2;
        public const int ArtifactDigest = 6;
        public const int ArtifactDescription = 7;
        public const int ArtifactMetadata = 8;
        public const int ArtifactAliases = 11;
        public const int ArtifactManifest = 12;
        public const int ManifestContents = 4;
        public const int ManifestEntryPath = 1;
        public const int ManifestEntryDigest = 2;
        public const int ManifestEntryRef = 3;
        public const int ManifestEntrySize = 4;
        public const int ManifestEntryLocalPath = 6;

        // UseArtifactRecord.
        public const int UseArtifactId = 1;
        public const int UseArtifactType = 2;
        public const int UseArtifactName = 3;
    }
}
