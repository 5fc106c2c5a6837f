using System;
using System.Collections.Generic;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.SystemMetrics;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Decodes the log's system records (docs/protocol.md, section 2.2): a stats record (one sample of system
    /// metrics) and an environment record (how and where the run started).
    /// </summary>
    internal static class SystemRecords
    {
        /// <summary>Stats type 0 is the system monitor; other types are not system metrics.</summary>
        private const long SystemStatsType = 0;

        /// <summary>
        /// A stats record as a row of the metrics the query wants; null when it is not a system sample or holds none of
        /// them. A value that is not JSON is left out of the row and its key added to <paramref name="unparsed"/>.
        /// </summary>
        public static SystemMetricRow? ReadStats(ProtoReader stats, SystemMetricQuery query, DateTime? runStart, List<string> unparsed)
        {
            var values = new WandbMap();
            DateTime? timestamp = null;
            long type = SystemStatsType;
            bool any = false;
            while (stats.Next())
            {
                switch (stats.Field)
                {
                    case RecordFields.StatsType: type = stats.ReadInt64(); break;
                    case RecordFields.StatsTimestamp: timestamp = stats.ReadTimestamp(); break;
                    case RecordFields.StatsItem: any |= ReadItem(stats.ReadMessage(), values, query, unparsed); break;
                    default: stats.Skip(); break;
                }
            }

            if (type != SystemStatsType || (query.HasKeys && !any))
            {
                return null;
            }

            double? runtime = timestamp is DateTime at
                ? SystemMetricNames.RuntimeOf((at - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Ticks / (double)TimeSpan.TicksPerSecond, runStart)
                : null;
            return new SystemMetricRow(timestamp, runtime, values);
        }

        private static bool ReadItem(ProtoReader item, WandbMap values, SystemMetricQuery query, List<string> unparsed)
        {
            string? key = null;
            ArraySegment<byte> json = default;
            while (item.Next())
            {
                switch (item.Field)
                {
                    case RecordFields.StatsItemKey: key = item.ReadString(); break;
                    case RecordFields.StatsItemValueJson: json = item.ReadBytes(); break;
                    default: item.Skip(); break;
                }
            }

            if (string.IsNullOrEmpty(key))
            {
                return false;
            }

            string name = SystemMetricNames.FromStatsKey(key!);
            if (json.Array is null || !ExtendedJson.TryParse(json.Array, json.Offset, json.Count, out object? value, out _))
            {
                // A sample value that is not JSON is lost, not the sample: the caller says so once per run.
                if (query.Wants(name) || !query.HasKeys)
                {
                    unparsed.Add(name);
                }

                return false;
            }

            return SystemMetricNames.Add(values, name, value, query);
        }

        /// <summary>An environment record's facts (field numbers in docs/protocol.md, section 2.2).</summary>
        public static RunMetadata ReadEnvironment(ProtoReader environment)
        {
            var metadata = new RunMetadata();
            var args = new List<string>();
            while (environment.Next())
            {
                switch (environment.Field)
                {
                    case RecordFields.EnvOs: metadata.Os = Text(environment.ReadString()); break;
                    case RecordFields.EnvPython: metadata.Python = Text(environment.ReadString()); break;
                    case RecordFields.EnvStartedAt: metadata.StartedAt = environment.ReadTimestamp(); break;
                    case RecordFields.EnvArgs: args.Add(environment.ReadString()); break;
                    case RecordFields.EnvProgram: metadata.Program = Text(environment.ReadString()); break;
                    case RecordFields.EnvGit: ReadGit(environment.ReadMessage(), metadata); break;
                    case RecordFields.EnvHost: metadata.Host = Text(environment.ReadString()); break;
                    case RecordFields.EnvExecutable: metadata.Executable = Text(environment.ReadString()); break;
                    case RecordFields.EnvCpuCount: metadata.CpuCount = Count(environment.ReadVarint()); break;
                    case RecordFields.EnvGpuType: metadata.Gpu = Text(environment.ReadString()); break;
                    case RecordFields.EnvGpuCount: metadata.GpuCount = Count(environment.ReadVarint()); break;
                    default: environment.Skip(); break;
                }
            }

            metadata.Args = new ValueList<string>(args);
            return metadata;
        }

        private static void ReadGit(ProtoReader git, RunMetadata metadata)
        {
            while (git.Next())
            {
                switch (git.Field)
                {
                    case RecordFields.GitRemoteUrl: metadata.GitRemote = Text(git.ReadString()); break;
                    case RecordFields.GitCommit: metadata.GitCommit = Text(git.ReadString()); break;
                    default: git.Skip(); break;
                }
            }
        }

        private static string? Text(string value) => value.Length == 0 ? null : value;

        private static int? Count(ulong value) => value <= int.MaxValue ? (int)value : null;
    }
}
