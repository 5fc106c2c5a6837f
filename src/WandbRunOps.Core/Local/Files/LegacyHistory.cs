using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Files
{
    /// <summary>
    /// What a legacy (SDK ≤0.9) jsonl file says (<see cref="RunFolder.LegacyHistoryFileName"/>, <see cref="RunFolder.LegacyEventsFileName"/>): row count and
    /// the last row's times. Its rows are the ones Get-RunHistory outputs (<see cref="Rows"/>), so the listing's
    /// <c>HistoryCount</c> counts exactly those.
    /// </summary>
    public sealed class LegacyHistory
    {
        // HistoryRow.StepKey, which the history reader adds to rows that lack it; spelled here so Local needs no History type.
        private const string StepKey = "_step";

        public long Count { get; private set; }

        public DateTime? LastTime { get; private set; }

        public double? LastRuntime { get; private set; }

        public static LegacyHistory Read(Stream stream, CancellationToken cancellation)
        {
            var history = new LegacyHistory();
            WandbMap? last = null;
            foreach (KeyValuePair<long, WandbMap> row in Rows(stream, cancellation, _ => { }))
            {
                history.Count++;
                last = row.Value;
            }

            if (ValueReads.AsDouble(last?["_timestamp"]) is double seconds)
            {
                history.LastTime = TimeValues.FromUnixSeconds(seconds);
            }

            history.LastRuntime = ValueReads.AsDouble(last?["_runtime"]);
            return history;
        }

        /// <summary>
        /// The rows of a run folder's legacy jsonl file (history or events), for a reader of its insides: a file that
        /// cannot be opened, or is refused (a link out of the folder, not a regular file), is a warning and no rows;
        /// lines that are not JSON objects are one warning after the rows.
        /// </summary>
        internal static IEnumerable<KeyValuePair<long, WandbMap>> RowsOf(RunFolder folder, string path, Diagnostics.ReadDiagnostics diagnostics, CancellationToken cancellation)
        {
            Stream? stream;
            try
            {
                stream = RunFile.Open(folder.Path, path);
            }
            catch (RunFileRefusedException e)
            {
                diagnostics.Warning(e.Message);
                return Array.Empty<KeyValuePair<long, WandbMap>>();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                diagnostics.Warning("Cannot read '" + path + "': " + e.Message);
                return Array.Empty<KeyValuePair<long, WandbMap>>();
            }

            if (stream is null)
            {
                return Array.Empty<KeyValuePair<long, WandbMap>>();
            }

            return Rows(stream, cancellation, bad =>
            {
                if (bad > 0)
                {
                    diagnostics.Warning("'" + path + "' has " + bad + " line" + (bad == 1 ? string.Empty : "s") + " that are not JSON objects; they were skipped.");
                }
            });
        }

        /// <summary>
        /// The rows of a legacy jsonl file, in order, each with its step: its <c>_step</c>, else its line's index among
        /// the non-blank lines (set as <c>_step</c> in the row). A line that is not a JSON object is no row; how many
        /// there were goes to <paramref name="onBadLines"/> at the end. Disposes <paramref name="stream"/> when done.
        /// </summary>
        internal static IEnumerable<KeyValuePair<long, WandbMap>> Rows(Stream stream, CancellationToken cancellation, Action<int> onBadLines)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            long index = -1;
            int bad = 0;
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                cancellation.ThrowIfCancellationRequested();
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                index++;
                if (!ExtendedJson.TryParse(line, out object? parsed, out _) || !(parsed is WandbMap values))
                {
                    bad++;
                    continue;
                }

                long step = values.TryGetExact(StepKey, out object? logged) && logged is long own ? own : index;
                if (!values.TryGetExact(StepKey, out _))
                {
                    values.Set(StepKey, step);
                }

                yield return new KeyValuePair<long, WandbMap>(step, values);
            }

            onBadLines(bad);
        }
    }
}
