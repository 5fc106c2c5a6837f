using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Reads a .wandb transaction log into a <see cref="RunLog"/>: run identity, folded config and summary, history
    /// counts and times, exit, artifacts. Damaged chunks and records are noted in <see cref="RunLog.Damage"/> and
    /// skipped; only a file that is not a W&amp;B log at all throws (<see cref="LogFormatException"/>).
    /// </summary>
    public static class RunLogReader
    {
        public static RunLog Read(string path, CancellationToken cancellation = default)
        {
            // Shared read: the SDK may still be appending to a live run's log.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            return Read(stream, path, cancellation);
        }

        public static RunLog Read(Stream stream, string path, CancellationToken cancellation = default)
        {
            var chunks = new LogChunkReader(stream, path);
            var log = new RunLog(path);
            var decoder = new Decoder(log);
            while (chunks.TryRead(out ArraySegment<byte> payload))
            {
                cancellation.ThrowIfCancellationRequested();
                try
                {
                    decoder.Apply(payload, chunks.RecordOffset);
                }
                catch (FormatException e)
                {
                    log.Damage.Add(new LogDamage(chunks.RecordOffset, "a record could not be decoded (" + e.Message + ") and was skipped"));
                }
            }

            decoder.Finish();
            log.HeaderOnly = chunks.HeaderOnly;
            log.Damage.InsertRange(0, chunks.Damage);
            log.Damage.Sort((a, b) => a.Offset.CompareTo(b.Offset));
            return log;
        }

        /// <summary>Applies records to a <see cref="RunLog"/> in order.</summary>
        private sealed class Decoder
        {
            private readonly RunLog _log;
            private readonly List<string> _path = new List<string>(4);
            private HistoryAggregates? _history;
            private bool _keepHistoryAggregates = true;
            private byte[] _lastHistory = new byte[1024];
            private int _lastHistoryLength;
            private long _lastHistoryOffset;

            public Decoder(RunLog log) => _log = log;

            public void Apply(ArraySegment<byte> payload, long offset)
            {
                var record = new ProtoReader(payload.Array!, payload.Offset, payload.Count);
                _log.RecordCount++;
                while (record.Next())
                {
                    switch (record.Field)
                    {
                        case RecordFields.History:
                            if (_keepHistoryAggregates)
                            {
                                _log.HistoryCount++;
                                ReadHistory(record.ReadMessage());
                            }
                            else
                            {
                                KeepLastHistory(record.ReadBytes(), offset);
                            }

                            break;
                        case RecordFields.Summary: ReadSummary(record.ReadMessage()); break;
                        case RecordFields.Config: ReadItems(record.ReadMessage(), _log.Config); break;
                        case RecordFields.Output:
                        case RecordFields.OutputRaw: _log.LastOutputTime = RunLog.Later(_log.LastOutputTime, ReadTimestampField(record.ReadMessage(), RecordFields.OutputTimestamp)); break;
                        case RecordFields.Stats: _log.LastStatsTime = RunLog.Later(_log.LastStatsTime, ReadTimestampField(record.ReadMessage(), RecordFields.StatsTimestamp)); break;
                        case RecordFields.Artifact: ReadArtifact(record.ReadMessage()); break;
                        case RecordFields.Telemetry: ReadTelemetry(record.ReadMessage()); break;
                        case RecordFields.Metric: ReadMetric(record.ReadMessage()); break;
                        case RecordFields.Run: ReadRun(record.ReadMessage()); break;
                        case RecordFields.Exit: ReadExit(record.ReadMessage()); break;
                        case RecordFields.Final: record.Skip(); _log.HasFinal = true; break;
                        case RecordFields.Header: ReadHeader(record.ReadMessage()); break;
                        case RecordFields.Preempting: record.Skip(); _log.Preempting = true; break;
                        case RecordFields.UseArtifact: ReadUseArtifact(record.ReadMessage()); break;
                        case RecordFields.Environment: ReadEnvironment(record.ReadMessage()); break;
                        default: record.Skip(); break;
                    }
                }
            }

            public void Finish()
            {
                if (_lastHistoryLength > 0)
                {
                    try
                    {
                        ReadHistory(new ProtoReader(_lastHistory, 0, _lastHistoryLength));
                    }
                    catch (FormatException e)
                    {
                        // The kept row was only copied when its record was read; its damage shows now, and costs only its times.
                        _log.Damage.Add(new LogDamage(_lastHistoryOffset, "the last history record could not be decoded (" + e.Message + ")"));
                    }
                }

                bool pythonEra = !_log.HasVersionInfo || IsBeforeCore(_log.Producer);
                bool summaryMissing = pythonEra ? !_log.SummaryAfterExit : _log.SummaryRecordCount == 0;
                if (summaryMissing && _history is not null)
                {
                    _history.DeriveInto(_log.Summary);
                }
            }

            private void ReadHeader(ProtoReader header)
            {
                while (header.Next())
                {
                    if (header.Field == RecordFields.HeaderVersionInfo)
                    {
                        ProtoReader info = header.ReadMessage();
                        while (info.Next())
                        {
                            if (info.Field == RecordFields.VersionProducer)
                            {
                                _log.Producer = info.ReadString();
                                _log.HasVersionInfo = true;
                            }
                            else
                            {
                                info.Skip();
                            }
                        }
                    }
                    else
                    {
                        header.Skip();
                    }
                }

                // wandb-core writes derived summaries itself, so history aggregates are not needed for its logs.
                _keepHistoryAggregates = !_log.HasVersionInfo || IsBeforeCore(_log.Producer);
            }

            private void ReadRun(ProtoReader run)
            {
                while (run.Next())
                {
                    switch (run.Field)
                    {
                        case RecordFields.RunId: _log.RunId = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunEntity: _log.Entity = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunProject: _log.Project = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunConfig: ReadItems(run.ReadMessage(), _log.Config); break;
                        case RecordFields.RunSummary: ReadSummary(run.ReadMessage()); break;
                        case RecordFields.RunGroup: _log.Group = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunJobType: _log.JobType = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunDisplayName: _log.DisplayName = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunNotes: _log.Notes = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunTags: _log.Tags.Add(run.ReadString()); break;
                        case RecordFields.RunSweepId: _log.SweepId = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunHost: _log.Host = NullIfEmpty(run.ReadString()); break;
                        case RecordFields.RunStartingStep: _log.StartingStep = run.ReadInt64(); break;
                        case RecordFields.RunStartTime: _log.StartTime = run.ReadTimestamp(); break;
                        case RecordFields.RunResumed: _log.Resumed = run.ReadBool(); break;
                        case RecordFields.RunPriorRuntime: _log.PriorRuntime = run.ReadInt32(); break;
                        default: run.Skip(); break;
                    }
                }
            }

            private void ReadExit(ProtoReader exit)
            {
                int code = 0;
                int? runtime = null;
                while (exit.Next())
                {
                    switch (exit.Field)
                    {
                        case RecordFields.ExitCode: code = exit.ReadInt32(); break;
                        case RecordFields.ExitRuntime: runtime = exit.ReadInt32(); break;
                        default: exit.Skip(); break;
                    }
                }

                // proto3 leaves out a zero runtime; SDKs before 0.12 had no runtime field at all.
                if (runtime is null && !IsBefore(_log.Producer, 0, 12))
                {
                    runtime = 0;
                }

                _log.HasExit = true;
                _log.ExitCode = code;
                _log.ExitRuntime = runtime ?? _log.ExitRuntime;
                _log.Preempting = false;
            }

            private void ReadSummary(ProtoReader summary)
            {
                if (ReadItems(summary, _log.Summary))
                {
                    _log.SummaryRecordCount++;
                }

                // The Python SDK's shutdown summary counts even when empty: the run logged nothing, there is nothing to derive.
                if (_log.HasExit)
                {
                    _log.SummaryAfterExit = true;
                }
            }

            /// <summary>Folds a ConfigRecord or SummaryRecord: updates set paths, removals delete them.</summary>
            private bool ReadItems(ProtoReader items, WandbMap target)
            {
                bool any = false;
                while (items.Next())
                {
                    bool update = items.Field == RecordFields.ItemsUpdate;
                    if (!update && items.Field != RecordFields.ItemsRemove)
                    {
                        items.Skip();
                        continue;
                    }

                    string? json = ReadItem(items.ReadMessage());
                    if (_path.Count == 0)
                    {
                        continue;
                    }

                    any = true;
                    if (update)
                    {
                        ValueTree.SetPath(target, _path.ToArray(), ParseValue(json));
                    }
                    else
                    {
                        ValueTree.RemovePath(target, _path);
                    }
                }

                return any;
            }

            /// <summary>Reads an item's path into <see cref="_path"/> and returns its value_json.</summary>
            private string? ReadItem(ProtoReader item) => LogItems.ReadItem(item, _path);

            /// <summary>
            /// Listing a wandb-core log needs only the count and the last row's step and times (its summary is already
            /// in the log): the row is copied, not decoded, and only the last one is decoded at the end.
            /// </summary>
            private void KeepLastHistory(ArraySegment<byte> row, long offset)
            {
                _log.HistoryCount++;
                if (_lastHistory.Length < row.Count)
                {
                    _lastHistory = new byte[Math.Max(row.Count, _lastHistory.Length * 2)];
                }

                Buffer.BlockCopy(row.Array!, row.Offset, _lastHistory, 0, row.Count);
                _lastHistoryLength = row.Count;
                _lastHistoryOffset = offset;
            }

            private void ReadHistory(ProtoReader history)
            {
                while (history.Next())
                {
                    if (history.Field == RecordFields.HistoryStep)
                    {
                        _log.LastStep = LogItems.ReadStep(history.ReadMessage());
                        continue;
                    }

                    if (history.Field != RecordFields.HistoryItem)
                    {
                        history.Skip();
                        continue;
                    }

                    string? json = ReadItem(history.ReadMessage());
                    if (_path.Count == 0)
                    {
                        continue;
                    }

                    bool timestamp = _path.Count == 1 && _path[0] == "_timestamp";
                    bool runtime = _path.Count == 1 && _path[0] == "_runtime";
                    if (!_keepHistoryAggregates && !timestamp && !runtime)
                    {
                        continue;
                    }

                    object? value = ParseValue(json);
                    if (timestamp && ValueReads.AsDouble(value) is double seconds)
                    {
                        _log.LastHistoryTime = RunLog.Later(_log.LastHistoryTime, TimeValues.FromUnixSeconds(seconds));
                    }
                    else if (runtime && ValueReads.AsDouble(value) is double elapsed)
                    {
                        _log.LastHistoryRuntime = elapsed;
                    }

                    if (_keepHistoryAggregates)
                    {
                        _history ??= new HistoryAggregates();
                        _history.Observe(_path.ToArray(), value);
                    }
                }
            }

            private void ReadMetric(ProtoReader metric)
            {
                string? name = null;
                var options = new MetricSummaryOptions();
                bool hasOptions = false;
                while (metric.Next())
                {
                    switch (metric.Field)
                    {
                        case RecordFields.MetricName: name = metric.ReadString(); break;
                        case RecordFields.MetricGoal: options.Goal = metric.ReadInt32(); break;
                        case RecordFields.MetricSummaryOptions:
                            hasOptions = true;
                            ProtoReader summary = metric.ReadMessage();
                            while (summary.Next())
                            {
                                switch (summary.Field)
                                {
                                    case 1: options.Min = summary.ReadBool(); break;
                                    case 2: options.Max = summary.ReadBool(); break;
                                    case 3: options.Mean = summary.ReadBool(); break;
                                    case 4: options.Best = summary.ReadBool(); break;
                                    case 5: options.Last = summary.ReadBool(); break;
                                    case 6: options.None = summary.ReadBool(); break;
                                    case 8: options.First = summary.ReadBool(); break;
                                    default: summary.Skip(); break;
                                }
                            }

                            break;
                        default: metric.Skip(); break;
                    }
                }

                if (hasOptions && !string.IsNullOrEmpty(name))
                {
                    _history ??= new HistoryAggregates();
                    _history.DefineMetric(name!, options);
                }
            }

            private void ReadArtifact(ProtoReader artifact)
            {
                var record = new LoggedArtifactRecord();
                while (artifact.Next())
                {
                    switch (artifact.Field)
                    {
                        case RecordFields.ArtifactName: record.Name = artifact.ReadString(); break;
                        case RecordFields.ArtifactType: record.Type = NullIfEmpty(artifact.ReadString()); break;
                        case RecordFields.ArtifactEntity: record.Entity = NullIfEmpty(artifact.ReadString()); break;
                        case RecordFields.ArtifactProject: record.Project = NullIfEmpty(artifact.ReadString()); break;
                        case RecordFields.ArtifactDigest: record.Digest = NullIfEmpty(artifact.ReadString()); break;
                        case RecordFields.ArtifactDescription: record.Description = NullIfEmpty(artifact.ReadString()); break;
                        case RecordFields.ArtifactMetadata: record.MetadataJson = NullIfEmpty(artifact.ReadString()); break;
                        case RecordFields.ArtifactAliases: record.Aliases.Add(artifact.ReadString()); break;
                        case RecordFields.ArtifactManifest: ReadManifest(artifact.ReadMessage(), record); break;
                        default: artifact.Skip(); break;
                    }
                }

                _log.LoggedArtifacts.Add(record);
            }

            private static void ReadManifest(ProtoReader manifest, LoggedArtifactRecord record)
            {
                while (manifest.Next())
                {
                    if (manifest.Field != RecordFields.ManifestContents)
                    {
                        manifest.Skip();
                        continue;
                    }

                    record.FileCount++;
                    ProtoReader entry = manifest.ReadMessage();
                    while (entry.Next())
                    {
                        if (entry.Field == RecordFields.ManifestEntrySize)
                        {
                            record.Size += entry.ReadInt64();
                        }
                        else
                        {
                            entry.Skip();
                        }
                    }
                }
            }

            private void ReadUseArtifact(ProtoReader use)
            {
                var record = new UsedArtifactRecord();
                while (use.Next())
                {
                    switch (use.Field)
                    {
                        case RecordFields.UseArtifactId: record.Id = NullIfEmpty(use.ReadString()); break;
                        case RecordFields.UseArtifactType: record.Type = NullIfEmpty(use.ReadString()); break;
                        case RecordFields.UseArtifactName: record.Name = NullIfEmpty(use.ReadString()); break;
                        default: use.Skip(); break;
                    }
                }

                _log.UsedArtifacts.Add(record);
            }

            private void ReadTelemetry(ProtoReader telemetry)
            {
                while (telemetry.Next())
                {
                    if (telemetry.Field == RecordFields.TelemetryCliVersion && _log.Producer is null)
                    {
                        _log.Producer = NullIfEmpty(telemetry.ReadString());
                    }
                    else
                    {
                        telemetry.Skip();
                    }
                }
            }

            private void ReadEnvironment(ProtoReader environment)
            {
                // Each writer (process) adds its own environment record; the first one describes the run's start.
                while (environment.Next())
                {
                    switch (environment.Field)
                    {
                        case RecordFields.EnvUsername: string username = environment.ReadString(); _log.Username ??= NullIfEmpty(username); break;
                        case RecordFields.EnvEmail: string email = environment.ReadString(); _log.Email ??= NullIfEmpty(email); break;
                        case RecordFields.EnvHost: string host = environment.ReadString(); _log.Host ??= NullIfEmpty(host); break;
                        case RecordFields.EnvStartedAt: DateTime? started = environment.ReadTimestamp(); _log.EnvironmentStartedAt ??= started; break;
                        default: environment.Skip(); break;
                    }
                }
            }

            private static DateTime? ReadTimestampField(ProtoReader message, int field)
            {
                DateTime? time = null;
                while (message.Next())
                {
                    if (message.Field == field)
                    {
                        time = message.ReadTimestamp();
                    }
                    else
                    {
                        message.Skip();
                    }
                }

                return time;
            }

            /// <summary>A value_json that is not valid (extended) JSON is kept as its raw text rather than lost.</summary>
            private static object? ParseValue(string? json) => LogItems.ParseValue(json);

            private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

            /// <summary>True for SDK versions before 0.18, the Python-internal era (no derived summaries in the log).</summary>
            internal static bool IsBeforeCore(string? producer) => producer is null || IsBefore(producer, 0, 18);

            /// <summary>True when a known SDK version is older than major.minor (an unknown version is not).</summary>
            internal static bool IsBefore(string? producer, int major, int minor)
            {
                string[] parts = (producer ?? string.Empty).Split('.', '+', '-');
                if (parts.Length >= 2 && int.TryParse(parts[0], out int producerMajor) && int.TryParse(parts[1], out int producerMinor))
                {
                    return producerMajor < major || (producerMajor == major && producerMinor < minor);
                }

                return false;
            }
        }
    }
}
