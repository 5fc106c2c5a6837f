using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Local.Files;
using WandbRunOps.Local.Log;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.SystemMetrics;
using WandbRunOps.Values;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Streams a local run's system metrics: the stats records of its <c>.wandb</c> log(s) (SDK 0.10 and later), every
    /// folder of a resumed run in order, or a legacy (≤0.9) folder's <see cref="RunFolder.LegacyEventsFileName"/>.
    /// Only stats records are decoded. A sample value that is not JSON is left out of its row with one warning per run;
    /// damage that lost records is one warning per run, as for history.
    /// </summary>
    internal sealed class LocalSystemMetricReader : IRunSystemMetricReader
    {
        private readonly ReadDiagnostics _diagnostics;

        public LocalSystemMetricReader(ReadDiagnostics diagnostics) => _diagnostics = diagnostics;

        /// <summary>The run's samples, oldest folder first; where its folders are is checked now, the logs are read as rows are enumerated.</summary>
        public IEnumerable<SystemMetricRow> Read(WandbRun run, SystemMetricQuery query, CancellationToken cancellation)
        {
            IReadOnlyList<string> folders = RunFolderScanner.Refind(run, "system metrics").Folders.Select(f => f.Path).ToArray();
            return SystemMetricNames.Sample(ReadFolders(folders, run, query, cancellation), query.Samples);
        }

        private IEnumerable<SystemMetricRow> ReadFolders(IReadOnlyList<string> folders, WandbRun run, SystemMetricQuery query, CancellationToken cancellation)
        {
            var lossy = new List<string>();
            var unparsed = new List<string>();
            foreach (string path in folders)
            {
                cancellation.ThrowIfCancellationRequested();
                RunFolder folder = RunFolder.At(path, run.Id);
                if (folder.Unreadable is string why)
                {
                    throw RunFile.Denied(run.Id, folder.Path, why);
                }

                IEnumerable<SystemMetricRow> rows;
                LogChunkReader? chunks = null;
                Stream? stream = folder.LogPath is null ? null : RunLogStream.Open(folder, run.Id, "system metrics", _diagnostics, out chunks, cancellation);
                if (stream is not null)
                {
                    rows = FromLog(stream, chunks!, folder.LogPath!, run.CreatedAt, query, lossy, unparsed, cancellation);
                }
                else if (folder.LogPath is null && folder.LocateLegacyEvents(_diagnostics) is string legacy)
                {
                    rows = FromLegacyFile(folder, legacy, query, cancellation);
                }
                else
                {
                    _diagnostics.Verbose("The run folder '" + path + "' has neither a readable run log nor " + RunFolder.LegacyEventsFileName + ": no system metrics.");
                    continue;
                }

                foreach (SystemMetricRow row in rows)
                {
                    yield return row;
                }
            }

            if (unparsed.Count > 0)
            {
                _diagnostics.WarningOnce(
                    "Run '" + run.Id + "': " + unparsed.Count + " system metric value" + (unparsed.Count == 1 ? " is" : "s are") + " not JSON (" +
                    string.Join(", ", unparsed.Distinct(StringComparer.Ordinal).Take(5).Select(k => "'" + k + "'")) + "); " +
                    (unparsed.Count == 1 ? "it was" : "they were") + " left out of their rows, and the rest of each row kept.");
            }

            if (lossy.Count > 0)
            {
                _diagnostics.WarningOnce("Run '" + run.Id + "': " + string.Join("; ", lossy) + ". Samples in the damaged parts are missing.");
            }
        }

        private IEnumerable<SystemMetricRow> FromLog(
            Stream stream, LogChunkReader chunks, string path, DateTime runStart, SystemMetricQuery query, List<string> lossy, List<string> unparsed, CancellationToken cancellation)
        {
            using (stream)
            {
                var damage = new List<LogDamage>();
                while (chunks.TryRead(out ArraySegment<byte> payload))
                {
                    cancellation.ThrowIfCancellationRequested();
                    SystemMetricRow? row = null;
                    try
                    {
                        var record = new ProtoReader(payload.Array!, payload.Offset, payload.Count);
                        while (record.Next())
                        {
                            if (record.Field == RecordFields.Stats)
                            {
                                row = SystemRecords.ReadStats(record.ReadMessage(), query, runStart, unparsed);
                            }
                            else
                            {
                                record.Skip();
                            }
                        }
                    }
                    catch (FormatException e)
                    {
                        damage.Add(new LogDamage(chunks.RecordOffset, "a record could not be decoded (" + e.Message + ") and was skipped"));
                        continue;
                    }

                    if (row is not null)
                    {
                        yield return row;
                    }
                }

                damage.AddRange(chunks.Damage);
                if (damage.Any(d => !d.AtEnd))
                {
                    LogDamage first = damage.Where(d => !d.AtEnd).OrderBy(d => d.Offset).First();
                    lossy.Add("the run log '" + path + "' is damaged before its end (" + damage.Count + " problem" + (damage.Count == 1 ? string.Empty : "s") + ", first at " + first + ")");
                }
                else if (damage.Count > 0)
                {
                    _diagnostics.Verbose("The run log '" + path + "' is cut off at " + damage.OrderBy(d => d.Offset).First() + ".");
                }
            }
        }

        /// <summary>A legacy folder's events: one JSON object per line, named as over the API already (<c>system.cpu</c>, <c>_timestamp</c>, <c>_runtime</c>).</summary>
        private IEnumerable<SystemMetricRow> FromLegacyFile(RunFolder folder, string path, SystemMetricQuery query, CancellationToken cancellation)
        {
            // The lines the listing reads (LegacyHistory): one reading of the jsonl format.
            foreach (KeyValuePair<long, WandbMap> line in LegacyHistory.RowsOf(folder, path, _diagnostics, cancellation))
            {
                if (SystemMetricNames.FromEvent(line.Value, query) is SystemMetricRow row)
                {
                    yield return row;
                }
            }
        }
    }
}
