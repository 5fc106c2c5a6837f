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
        /// <param name="stream">The log; seekable, because the last history row is read again at the end (see below).</param>
        /// <param name="path">The log's path, for messages.</param>
        /// <param name="cancellation">Stops the read between records.</param>
        public static RunLog Read(Stream stream, string path, CancellationToken cancellation = default)
        {
            if (!stream.CanSeek)
            {
                throw new ArgumentException("The run log stream must be seekable.", nameof(stream));
            }

            var chunks = new LogChunkReader(stream, path) { Cancellation = cancellation };
            var log = new RunLog(path);
            var decoder = new Decoder(log);

            // Listing a wandb-core log only counts its history rows: they are stepped over unchecked, and the last one,
            // which gives the last step and times, is read again and checked at the end.
            chunks.SkipWhen = decoder.OnlyCounts;
            chunks.Skipped = decoder.CountHistory;
            while (chunks.TryRead(out ArraySegment<byte> payload))
            {
                cancellation.ThrowIfCancellationRequested();
                try
                {
                    decoder.Apply(payload);
                }
                catch (FormatException e)
                {
                    log.Damage.Add(new LogDamage(chunks.RecordOffset, "a record could not be decoded (" + e.Message + ") and was skipped"));
                }
            }

            log.HeaderOnly = chunks.HeaderOnly;
            log.Damage.InsertRange(0, chunks.Damage);
            decoder.Finish(offset => LogChunkReader.ReadRecordAt(stream, path, offset, log.Damage));
            log.Damage.Sort((a, b) => a.Offset.CompareTo(b.Offset));
            return log;
        }

        /// <summary>Applies records to a <see cref="RunLog"/> in order.</summary>
        private sealed class Decoder
        {
            private readonly RunLog _log;
            private readonly List<string> _path = new List<string>(4);
            private readonly KeyCache _keys = new KeyCache();
            private HistoryAggregates? _history;
            private bool _keepHistoryAggregates = true;
            private readonly HistoryStepOrder _steps = new HistoryStepOrder();

            // Whether the record OnlyCounts just decided to step over is a row (its record number moves forward), and
            // the highest number of a history record stepped over so far.
            private bool _skippedIsRow;
            private ulong _lastHistoryNum;

            // The offsets of the last few history records stepped over, newest last: if the last is damaged, the one
            // before it gives the last row.
            private readonly Queue<long> _lastHistoryOffsets = new Queue<long>(LastHistoryTries);
            private const int LastHistoryTries = 4;

            public Decoder(RunLog log) => _log = log;

            /// <param name="payload">One record.</param>
            /// <param name="counted">True for a record already counted when it was stepped over.</param>
            public void Apply(ArraySegment<byte> payload, bool counted = false)
            {
                var record = new ProtoReader(payload.Array!, payload.Offset, payload.Count);
                if (!counted)
                {
                    _log.RecordCount++;
                }

                while (record.Next())
                {
                    switch (record.Field)
                    {
                        case RecordFields.History:
                            ProtoReader history = record.ReadMessage();
                            if (counted)
                            {
                                ReadHistory(history);
                                break;
                            }

                            // Only a row counts, as Get-RunHistory outputs it: not a repeated block's record
                            // (HistoryStepOrder), nor one that cannot be decoded (ReadHistory throws, and the record is damage).
                            long? step = LogItems.StepOf(history, _path, _keys);
                            if (_steps.Repeats(step))
                            {
                                break;
                            }

                            ReadHistory(history);
                            _steps.Next(step, 0);
                            _log.HistoryCount++;

                            // A row read here is newer than any stepped over before it: none of those is the last row.
                            _lastHistoryOffsets.Clear();
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

            /// <summary>
            /// True for a history record of a wandb-core log (its summary is in the log, so listing needs only the count
            /// and the last row), read from the record's first bytes: the optional <c>num</c> (field 1), then field 2.
            /// </summary>
            public bool OnlyCounts(ArraySegment<byte> firstChunk)
            {
                if (_keepHistoryAggregates)
                {
                    return false;
                }

                byte[] bytes = firstChunk.Array!;
                int i = firstChunk.Offset, end = firstChunk.Offset + firstChunk.Count;
                ulong num = 0;
                if (i < end && bytes[i] == NumTag)
                {
                    i++;
                    for (int shift = 0; i < end && shift < 64; shift += 7)
                    {
                        byte b = bytes[i++];
                        num |= (ulong)(b & 0x7F) << shift;
                        if ((b & 0x80) == 0)
                        {
                            break;
                        }
                    }
                }

                if (i >= end || bytes[i] != HistoryTag)
                {
                    return false;
                }

                // Whether it is a row: its step is not read here (that is what stepping over saves), but wandb-core numbers
                // every record from 1, and a repeated block's records come again with numbers that go back: the records
                // HistoryStepOrder finds by their steps when Get-RunHistory decodes them.
                _skippedIsRow = num == 0 || num > _lastHistoryNum;
                _lastHistoryNum = Math.Max(_lastHistoryNum, num);
                return true;
            }

            private const byte NumTag = (1 << 3) | 0;
            private const byte HistoryTag = (RecordFields.History << 3) | 2;

            /// <summary>A history record stepped over: counted, and its offset kept in case it is the last.</summary>
            public void CountHistory(long offset)
            {
                _log.RecordCount++;
                if (!_skippedIsRow)
                {
                    return;
                }

                _log.HistoryCount++;
                if (_lastHistoryOffsets.Count == LastHistoryTries)
                {
                    _lastHistoryOffsets.Dequeue();
                }

                _lastHistoryOffsets.Enqueue(offset);
            }

            /// <summary>Reads the last stepped-over history row (checked now), then derives what the log did not say.</summary>
            /// <param name="readAgain">Reads a record's checked payload at an offset; null when it is damaged.</param>
            public void Finish(Func<long, byte[]?> readAgain)
            {
                long[] newestLast = _lastHistoryOffsets.ToArray();
                for (int i = newestLast.Length - 1; i >= 0; i--)
                {
                    byte[]? payload = readAgain(newestLast[i]);
                    if (payload is not null)
                    {
                        try
                        {
                            Apply(new ArraySegment<byte>(payload), counted: true);
                            break;
                        }
                        catch (FormatException e)
                        {
                            _log.Damage.Add(new LogDamage(newestLast[i], "the last history record could not be decoded (" + e.Message + ")"));
                        }
                    }

                    // Checked now and found damaged: it is not a row after all (Get-RunHistory skips it too).
                    _log.RecordCount--;
                    _log.HistoryCount--;
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

                    ArraySegment<byte> json = ReadItem(items.ReadMessage());
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
            private ArraySegment<byte> ReadItem(ProtoReader item) => LogItems.ReadItem(item, _path, _keys);

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

                    ArraySegment<byte> json = ReadItem(history.ReadMessage());
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
                    string path = string.Empty;
                    string? digest = null, reference = null, localPath = null;
                    long size = 0;
                    while (entry.Next())
                    {
                        switch (entry.Field)
                        {
                            case RecordFields.ManifestEntryPath: path = entry.ReadString(); break;
                            case RecordFields.ManifestEntryDigest: digest = NullIfEmpty(entry.ReadString()); break;
                            case RecordFields.ManifestEntryRef: reference = NullIfEmpty(entry.ReadString()); break;
                            case RecordFields.ManifestEntrySize: size = entry.ReadInt64(); break;
                            case RecordFields.ManifestEntryLocalPath: localPath = NullIfEmpty(entry.ReadString()); break;
                            default: entry.Skip(); break;
                        }
                    }

                    record.Size += size;
                    record.Entries.Add(new Artifacts.ArtifactManifestEntry(path, digest, size, reference, localPath));
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
                // (The reader is a struct: the copy read here leaves this one at the record's start.)
                _log.Environment ??= SystemRecords.ReadEnvironment(environment);
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
            private static object? ParseValue(ArraySegment<byte> json) => LogItems.ParseValue(json);

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
