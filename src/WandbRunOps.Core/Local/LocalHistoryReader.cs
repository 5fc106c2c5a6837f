using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.History;
using WandbRunOps.Json;
using WandbRunOps.Local.Files;
using WandbRunOps.Local.Log;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Streams a local run's history rows: the HistoryRecords of its <c>.wandb</c> log(s), every folder of a resumed run
    /// in order, or a legacy (≤0.9) folder's <see cref="RunFolder.LegacyHistoryFileName"/>. Nothing but history records is decoded, and
    /// values of keys the query does not want are never parsed. A damaged log yields every complete row and one warning.
    /// </summary>
    internal sealed class LocalHistoryReader : IRunHistoryReader
    {
        private readonly ReadDiagnostics _diagnostics;

        public LocalHistoryReader(ReadDiagnostics diagnostics) => _diagnostics = diagnostics;

        /// <summary>
        /// From how many bytes of log the records are decoded on several threads (null: <see cref="ParallelRecordDecoding.Threshold"/>).
        /// Set only by tests, to read the same log both ways side by side.
        /// </summary>
        internal long? ParallelThreshold { get; set; }

        /// <summary>
        /// The run's rows in the query's range and keys, oldest folder first. Where the run's folders are is checked now
        /// (a <see cref="WandbException"/> when it has none); the logs are read as the rows are enumerated.
        /// </summary>
        public IEnumerable<HistoryRow> Read(WandbRun run, HistoryQuery query, CancellationToken cancellation)
        {
            IReadOnlyList<string> folders = FoldersOf(run);
            IEnumerable<HistoryRow> rows = ReadFolders(folders, run.Id, query, cancellation);
            return query.Samples is int samples ? Sample(rows, query, samples) : rows;
        }

        /// <summary>The run's folders, oldest first: from the run object, or found again under its path.</summary>
        private static IReadOnlyList<string> FoldersOf(WandbRun run) =>
            RunFolderScanner.Refind(run, "history").Folders.Select(f => f.Path).ToArray();

        private IEnumerable<HistoryRow> ReadFolders(IReadOnlyList<string> folders, string runId, HistoryQuery query, CancellationToken cancellation)
        {
            var lossy = new List<string>();
            foreach (string path in folders)
            {
                cancellation.ThrowIfCancellationRequested();
                RunFolder folder = RunFolder.At(path, runId);
                if (folder.Unreadable is string why)
                {
                    throw RunFile.Denied(runId, folder.Path, why);
                }

                LogChunkReader? chunks = null;
                Stream? stream = folder.LogPath is null ? null : RunLogStream.Open(folder, runId, "history", _diagnostics, out chunks, cancellation);
                IEnumerable<HistoryRow> rows;
                if (stream is not null)
                {
                    rows = FromLog(stream, chunks!, folder.LogPath!, query, lossy, cancellation);
                }
                else if (folder.LocateLegacyHistory(_diagnostics) is string legacy)
                {
                    // The file the listing counted (RunFolderContents): one place decides which file that is.
                    rows = FromLegacyFile(folder, legacy, query, cancellation);
                }
                else
                {
                    if (folder.LogPath is null)
                    {
                        _diagnostics.Verbose("The run folder '" + path + "' has neither a run log nor " + RunFolder.LegacyHistoryFileName + ": no history.");
                    }

                    continue;
                }

                foreach (HistoryRow row in rows)
                {
                    yield return row;
                }
            }

            // Damage that lost rows is said once per run, however many folders a resumed run has.
            if (lossy.Count > 0)
            {
                _diagnostics.WarningOnce("Run '" + runId + "': " + string.Join("; ", lossy) + ". Rows in the damaged parts are missing.");
            }
        }

        /// <summary>A log's history rows; damage that lost records before its end goes to <paramref name="lossy"/> (told once per run by the caller).</summary>
        private IEnumerable<HistoryRow> FromLog(Stream stream, LogChunkReader reader, string path, HistoryQuery query, List<string> lossy, CancellationToken cancellation)
        {
            using (stream)
            {
                // A long log has its records decoded on several threads (each with its own key table); what depends on
                // the order of the records is done here, in file order.
                using IDecodedRecordSource records = ParallelRecordDecoding.WhenWorthIt(
                    reader, path, stream.Length - reader.Position, ParallelThreshold ?? ParallelRecordDecoding.Threshold, () => RecordDecoderFor(query), cancellation);
                var state = new LogState();
                var damage = new List<LogDamage>();
                while (records.TryRead(out DecodedRecord record))
                {
                    cancellation.ThrowIfCancellationRequested();
                    state.HistoryRecords += record.Histories;
                    HistoryRow? row = null;
                    foreach (DecodedHistory history in record.Parts)
                    {
                        row = RowOf(history, query, state.Steps, record.Offset);
                    }

                    if (record.Damage is FormatException e)
                    {
                        damage.Add(new LogDamage(record.Offset, "a record could not be decoded (" + e.Message + ") and was skipped"));
                        continue;
                    }

                    if (row is not null)
                    {
                        yield return row;
                    }
                }

                if (state.Steps.Repeated > 0)
                {
                    // Within one log the SDK only ever moves the step forward: a step again or back is a repeated block.
                    _diagnostics.Warning(
                        "The run log '" + path + "' repeats " + state.Steps.Repeated + " history record" + (state.Steps.Repeated == 1 ? string.Empty : "s") +
                        " whose _step goes back (first at offset " + state.Steps.FirstRepeatOffset + ": step " + state.Steps.FirstRepeatStep + " after " + state.Steps.FirstRepeatAfter +
                        "); the log is damaged, and the repeats were not output.");
                }

                damage.AddRange(records.Damage);
                string read = state.HistoryRecords + " complete history record" + (state.HistoryRecords == 1 ? " was" : "s were") + " read";
                if (damage.Any(d => !d.AtEnd))
                {
                    LogDamage first = damage.Where(d => !d.AtEnd).OrderBy(d => d.Offset).First();
                    lossy.Add(
                        "the run log '" + path + "' is damaged before its end (" + damage.Count + " problem" + (damage.Count == 1 ? string.Empty : "s") +
                        ", first at " + first + "); " + read);
                }
                else if (damage.Count > 0)
                {
                    // A log cut off inside its last chunk is what a crash or a live writer leaves: nothing was lost.
                    _diagnostics.Verbose("The run log '" + path + "' is cut off at " + damage.OrderBy(d => d.Offset).First() + "; " + read + ".");
                }
            }
        }

        /// <summary>
        /// A decoder of records with state of its own (key table and its rows' shared keys, the query's answers per key), for one thread:
        /// none of it is shared, so each thread that decodes a log's records has one.
        /// </summary>
        private static RecordDecoder RecordDecoderFor(HistoryQuery query)
        {
            var state = new DecodeState(query.CopyForAnotherThread());
            return (payload, into) =>
            {
                try
                {
                    DecodeRecord(payload, state, into);
                }
                catch (FormatException e)
                {
                    into.Damage = e;
                }
            };
        }

        /// <summary>One record: its HistoryRecords, decoded, into <paramref name="into"/> (other records give none).</summary>
        private static void DecodeRecord(ArraySegment<byte> payload, DecodeState state, DecodedRecord into)
        {
            var record = new ProtoReader(payload.Array!, payload.Offset, payload.Count);
            while (record.Next())
            {
                if (record.Field == RecordFields.History)
                {
                    into.Histories++;
                    into.Parts.Add(DecodeHistory(record.ReadMessage(), state));
                }
                else
                {
                    record.Skip();
                }
            }
        }

        /// <summary>
        /// A decoded history message in file order: a row when its step moves forward (<see cref="HistoryStepOrder"/>)
        /// and it is in the query's range and keys, else null.
        /// </summary>
        private static HistoryRow? RowOf(DecodedHistory history, HistoryQuery query, HistoryStepOrder steps, long offset)
        {
            // The listing's HistoryCount counts by the same rule (HistoryStepOrder), so it is the number of rows.
            long? own = history.LoggedStep is long ownStep ? ownStep : null;
            if (steps.Next(history.Step ?? own, offset) is not long number || !history.Wanted || !query.InRange(number))
            {
                return null;
            }

            if (!history.HasStep)
            {
                // wandb-core leaves the _step item out in shared mode; the row still has its step.
                history.Values.AddNew(HistoryRow.StepKey, number);
            }

            return new HistoryRow(number, history.Values, history.Runtime, history.Timestamp);
        }

        /// <remarks>
        /// Every key of every row passes through here (a bench row has 53), so a key new to its row is appended to the
        /// row's map without a look-up (<see cref="HistoryKey.Row"/> says whether the row has it), and the row's
        /// <c>_step</c>, <c>_runtime</c> and <c>_timestamp</c> are read where they were put. A repeated key, a nested
        /// path and a key the table does not track take the general path (<see cref="WandbMap.Set"/>,
        /// <see cref="ValueTree.SetPath"/>), which gives the same map. Whether the row is output depends on the rows
        /// before it, and is decided by <see cref="RowOf"/>, in order.
        /// </remarks>
        private static DecodedHistory DecodeHistory(ProtoReader history, DecodeState state)
        {
            HistoryQuery query = state.Query;
            HistoryKeyTable keys = state.Keys;
            keys.StartRow();
            int row = keys.Row;
            var values = new WandbMap(keys.RowKeys);
            List<HistoryKey> path = state.Path;
            long? step = null;
            bool wanted = !query.HasKeys;

            // Where the system keys are in the map (-1: not there); looked up instead when an untracked key was set.
            int stepAt = -1, runtimeAt = -1, timestampAt = -1;
            bool untracked = false;
            while (history.Next())
            {
                if (history.Field == RecordFields.HistoryStep)
                {
                    step = LogItems.ReadStep(history.ReadMessage());
                    continue;
                }

                if (history.Field != RecordFields.HistoryItem)
                {
                    history.Skip();
                    continue;
                }

                ArraySegment<byte> json = LogItems.ReadItem(history.ReadBytes(), path, keys);
                if (path.Count == 0)
                {
                    continue;
                }

                HistoryKey top = path[0];
                bool wantedKey = top.WantedBy(query);
                if (!wantedKey && !(path.Count == 1 && top.IsSystem))
                {
                    continue;
                }

                wanted |= wantedKey;
                object? value = LogItems.ParseValue(json);
                if (!top.Tracked)
                {
                    untracked = true;
                    SetPath(values, path, state.PathText, value);
                    continue;
                }

                if (top.Row == row)
                {
                    // Already in this row (a repeated key, or a nested path under it): set in place, by look-up.
                    SetPath(values, path, state.PathText, value);
                    continue;
                }

                top.Row = row;
                int at = values.Count;
                if (path.Count == 1)
                {
                    values.AddNew(top.Text, value);
                }
                else
                {
                    // Not in the row yet: the path's first key is appended here, at the map's end.
                    SetPath(values, path, state.PathText, value);
                }

                if (top.IsSystem)
                {
                    switch (top.Text)
                    {
                        case HistoryRow.StepKey: stepAt = at; break;
                        case HistoryRow.RuntimeKey: runtimeAt = at; break;
                        default: timestampAt = at; break;
                    }
                }
            }

            // The step message is always written (empty for step 0); without it, the row's own _step, else the next step.
            var decoded = new DecodedHistory { Values = values, Step = step, Wanted = wanted };
            if (untracked)
            {
                decoded.HasStep = values.TryGetExact(HistoryRow.StepKey, out decoded.LoggedStep);
                values.TryGetExact(HistoryRow.RuntimeKey, out decoded.Runtime);
                values.TryGetExact(HistoryRow.TimestampKey, out decoded.Timestamp);
            }
            else
            {
                decoded.HasStep = stepAt >= 0;
                decoded.LoggedStep = decoded.HasStep ? values.ValueAt(stepAt) : null;
                decoded.Runtime = runtimeAt >= 0 ? values.ValueAt(runtimeAt) : null;
                decoded.Timestamp = timestampAt >= 0 ? values.ValueAt(timestampAt) : null;
            }

            return decoded;
        }

        private static void SetPath(WandbMap values, List<HistoryKey> path, List<string> text, object? value)
        {
            if (path.Count == 1)
            {
                values.Set(path[0].Text, value);
                return;
            }

            text.Clear();
            foreach (HistoryKey key in path)
            {
                text.Add(key.Text);
            }

            ValueTree.SetPath(values, text, value);
        }

        /// <summary>A legacy folder's history: one JSON object per line, <c>_step</c> in the row (else its line's index).</summary>
        private IEnumerable<HistoryRow> FromLegacyFile(RunFolder folder, string path, HistoryQuery query, CancellationToken cancellation)
        {
            // The rows the listing counts (LegacyHistory): one reading of the file for both.
            foreach (KeyValuePair<long, WandbMap> pair in LegacyHistory.RowsOf(folder, path, _diagnostics, cancellation))
            {
                HistoryRow? row = query.InRange(pair.Key) ? query.Select(new HistoryRow(pair.Key, pair.Value)) : null;
                if (row is not null)
                {
                    yield return row;
                }
            }
        }

        /// <summary>
        /// -Samples locally, as W&amp;B samples: evenly spread rows, first and last kept; with keys, that many rows per key
        /// (among the rows that hold the key), so a sparse key is sampled from its own steps.
        /// </summary>
        private static IEnumerable<HistoryRow> Sample(IEnumerable<HistoryRow> rows, HistoryQuery query, int samples)
        {
            List<HistoryRow> all = rows.ToList();
            if (!query.HasKeys)
            {
                foreach (int i in HistoryQuery.EvenlySpread(all.Count, samples))
                {
                    yield return all[i];
                }

                yield break;
            }

            var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int i = 0; i < all.Count; i++)
            {
                foreach (string key in all[i].Values.Keys)
                {
                    if (query.Wants(key))
                    {
                        if (!byKey.TryGetValue(key, out List<int>? list))
                        {
                            byKey.Add(key, list = new List<int>());
                        }

                        list.Add(i);
                    }
                }
            }

            var picked = new SortedSet<int>();
            foreach (List<int> list in byKey.Values)
            {
                foreach (int j in HistoryQuery.EvenlySpread(list.Count, samples))
                {
                    picked.Add(list[j]);
                }
            }

            foreach (int i in picked)
            {
                yield return all[i];
            }
        }

        /// <summary>What depends on the order of a log's records: kept by the thread that reads them, in file order.</summary>
        private sealed class LogState
        {
            public int HistoryRecords { get; set; }

            /// <summary>Which records are rows; a repeated block's records are not, and are warned about.</summary>
            public HistoryStepOrder Steps { get; } = new HistoryStepOrder();
        }

        /// <summary>What a thread that decodes a log's records keeps from record to record: its own, never shared.</summary>
        private sealed class DecodeState
        {
            public DecodeState(HistoryQuery query) => Query = query;

            /// <summary>The query, this thread's copy: it remembers its answers per key in a dictionary.</summary>
            public HistoryQuery Query { get; }

            public List<HistoryKey> Path { get; } = new List<HistoryKey>(4);

            /// <summary>The texts of a nested path, for <see cref="ValueTree.SetPath"/>.</summary>
            public List<string> PathText { get; } = new List<string>(4);

            public HistoryKeyTable Keys { get; } = new HistoryKeyTable();
        }
    }
}
