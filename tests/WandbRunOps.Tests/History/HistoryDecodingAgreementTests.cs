using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.History;
using WandbRunOps.Local;
using WandbRunOps.Local.Log;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.History
{
    /// <summary>
    /// Get-RunHistory's decoder (issue 18 goal 1: keys appended without look-ups, against a per-log key table with
    /// positional hints; the common item shape read in one pass) against a plain decode of the same records: every item
    /// read field by field, its path set into a map by look-up, the row built by the public constructor. Random rows:
    /// random and repeated keys, reordered and dropped keys between rows, duplicates, nested paths, <c>key</c> and
    /// <c>nested_key</c>, long and invalid-UTF-8 keys, every kind of value, odd field orders, damaged records.
    /// </summary>
    public class HistoryDecodingAgreementTests : IDisposable
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

        private readonly SampleRuns _samples = new SampleRuns();

        public void Dispose() => _samples.Dispose();

        [Theory]
        [InlineData(1, null)]
        [InlineData(2, null)]
        [InlineData(3, new[] { "loss*", "acc", "n*" })]
        [InlineData(4, new[] { "_runtime" })]
        public void RandomRowsDecodeAsThePlainDecoderDecodesThem(int seed, string[]? keys)
        {
            var random = new Random(seed);
            List<byte[]> records = RandomRecords(random, 3000);
            string wandb = _samples.Scratch("agreement-" + seed + "/wandb");
            RunFolderWriter.Write(wandb, new RunFolderSpec
            {
                RunId = "agree" + seed,
                FolderTime = Start,
                Records = new[] { Records.Header("0.22.1"), Records.Run(new RunSpec { RunId = "agree" + seed, Project = "p", StartTime = Start }) }.Concat(records).ToArray(),
            });

            var source = new LocalRunSource(new[] { wandb }, ReadDiagnostics.None);
            WandbRun run = source.GetRuns(new RunSelector(new[] { "agree" + seed }, null), new RunListOptions(), e => throw e, CancellationToken.None).Single();
            List<HistoryRow> read = source.History.Read(run, new HistoryQuery { Keys = keys }, CancellationToken.None).ToList();
            List<HistoryRow> plain = PlainDecode(records, new HistoryQuery { Keys = keys });

            Assert.True(plain.Count > 300, "the random log has rows: " + plain.Count);
            Assert.Equal(plain.Count, read.Count);
            for (int i = 0; i < plain.Count; i++)
            {
                string where = "row " + i + " (step " + plain[i].Step + ")";
                Assert.True(plain[i].Step == read[i].Step, where + ": step " + read[i].Step);
                Assert.True(Nullable.Equals(plain[i].Runtime, read[i].Runtime), where + ": runtime " + read[i].Runtime + " against " + plain[i].Runtime);
                Assert.True(Nullable.Equals(plain[i].Timestamp, read[i].Timestamp), where + ": timestamp");
                AssertSame(plain[i].Values, read[i].Values, where);
            }
        }

        /// <summary>The reference: each record decoded field by field, as the reader did before its fast paths.</summary>
        private static List<HistoryRow> PlainDecode(List<byte[]> records, HistoryQuery query)
        {
            var rows = new List<HistoryRow>();
            var order = new HistoryStepOrder();
            var keys = new KeyCache();
            var path = new List<string>();
            foreach (byte[] record in records)
            {
                try
                {
                    var reader = new ProtoReader(record, 0, record.Length);
                    while (reader.Next())
                    {
                        if (reader.Field != RecordFields.History)
                        {
                            reader.Skip();
                            continue;
                        }

                        if (PlainRow(reader.ReadMessage(), query, order, keys, path) is HistoryRow row)
                        {
                            rows.Add(row);
                        }
                    }
                }
                catch (FormatException)
                {
                    // A damaged record is skipped, as the reader skips it.
                }
            }

            return rows;
        }

        private static HistoryRow? PlainRow(ProtoReader history, HistoryQuery query, HistoryStepOrder order, KeyCache keys, List<string> path)
        {
            var values = new WandbMap();
            long? step = null;
            bool wanted = !query.HasKeys;
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

                ArraySegment<byte> json = LogItems.ReadItem(history.ReadMessage(), path, keys);
                if (path.Count == 0)
                {
                    continue;
                }

                bool wantedKey = query.Wants(path[0]);
                if (!wantedKey && !(path.Count == 1 && HistoryRow.IsSystemKey(path[0])))
                {
                    continue;
                }

                wanted |= wantedKey;
                ValueTree.SetPath(values, path, LogItems.ParseValue(json));
            }

            long? own = values.TryGetExact(HistoryRow.StepKey, out object? logged) && logged is long ownStep ? ownStep : null;
            if (order.Next(step ?? own, 0) is not long number || !wanted || !query.InRange(number))
            {
                return null;
            }

            if (!values.TryGetExact(HistoryRow.StepKey, out _))
            {
                values.Set(HistoryRow.StepKey, number);
            }

            return new HistoryRow(number, values);
        }

        internal static List<byte[]> RandomRecords(Random random, int count)
        {
            // The keys of a run: plain metrics, the system keys, case and dot variants, non-ASCII, an empty key, keys too
            // long for the table, and invalid UTF-8 (two different byte strings that decode to the same text).
            var vocabulary = new List<byte[]>();
            foreach (string key in new[] { "_step", "_runtime", "_timestamp", "loss", "Loss", "acc", "lr", "train/loss", "val.acc", "n", "ñ", "日本", "" })
            {
                vocabulary.Add(Encoding.UTF8.GetBytes(key));
            }

            for (int k = 0; k < 30; k++)
            {
                vocabulary.Add(Encoding.UTF8.GetBytes("metric_" + k.ToString("D2", CultureInfo.InvariantCulture)));
            }

            vocabulary.Add(Encoding.UTF8.GetBytes(new string('k', 130) + "a"));
            vocabulary.Add(Encoding.UTF8.GetBytes(new string('k', 130) + "b"));
            vocabulary.Add(new byte[] { (byte)'x', 0xFF });
            vocabulary.Add(new byte[] { (byte)'x', 0xFE });

            var records = new List<byte[]>();
            List<RowItem> previous = new List<RowItem>();
            long step = 0;
            for (int r = 0; r < count; r++)
            {
                List<RowItem> items = random.Next(3) > 0 && previous.Count > 0 ? previous.Select(i => i with { }).ToList() : new List<RowItem>();
                if (items.Count == 0 || random.Next(4) == 0)
                {
                    Mutate(random, items, vocabulary);
                }

                previous = items;
                step += random.Next(10) == 0 ? -random.Next(3) : 1;
                records.Add(Record(random, items, step));
            }

            return records;
        }

        private sealed record RowItem(byte[][]? NestedKey, byte[]? Key, int Shape);

        private static void Mutate(Random random, List<RowItem> items, List<byte[]> vocabulary)
        {
            if (items.Count == 0 || random.Next(3) == 0)
            {
                items.Clear();
                int n = random.Next(1, 25);
                for (int i = 0; i < n; i++)
                {
                    items.Add(RandomItem(random, vocabulary));
                }

                return;
            }

            switch (random.Next(5))
            {
                case 0:
                    items.RemoveAt(random.Next(items.Count));
                    break;
                case 1:
                    items.Insert(random.Next(items.Count + 1), RandomItem(random, vocabulary));
                    break;
                case 2:
                    // A key again later in the row.
                    items.Add(items[random.Next(items.Count)]);
                    break;
                case 3:
                    int a = random.Next(items.Count), b = random.Next(items.Count);
                    (items[a], items[b]) = (items[b], items[a]);
                    break;
                default:
                    items.Reverse();
                    break;
            }
        }

        private static RowItem RandomItem(Random random, List<byte[]> vocabulary)
        {
            byte[] Pick() => vocabulary[random.Next(vocabulary.Count)];
            int kind = random.Next(10);
            if (kind < 6)
            {
                return new RowItem(new[] { Pick() }, null, random.Next(8));
            }

            if (kind < 8)
            {
                return new RowItem(null, Pick(), random.Next(8));
            }

            if (kind == 8)
            {
                return new RowItem(Enumerable.Range(0, random.Next(2, 4)).Select(_ => Pick()).ToArray(), null, random.Next(8));
            }

            return new RowItem(new[] { Pick() }, Pick(), random.Next(8));
        }

        private static byte[] Record(Random random, List<RowItem> items, long step)
        {
            var record = new ProtoWriter();
            record.WriteInt64(1, random.Next(1, 1000));
            record.WriteMessage(Records.HistoryField, h =>
            {
                bool stepFirst = random.Next(5) == 0;
                bool withStep = random.Next(6) > 0;
                if (stepFirst && withStep)
                {
                    h.WriteMessage(2, s => s.WriteInt64(1, step));
                }

                foreach (RowItem item in items)
                {
                    string json = random.Next(10) == 0 && item.NestedKey?.Length == 1 && Encoding.UTF8.GetString(item.NestedKey[0]) == "_step"
                        ? step.ToString(CultureInfo.InvariantCulture)
                        : RandomValue(random);
                    h.WriteMessage(1, i => WriteItem(i, item, json, random));
                }

                if (!stepFirst && withStep)
                {
                    h.WriteMessage(2, s => s.WriteInt64(1, step));
                }

                if (random.Next(200) == 0)
                {
                    // Damage: a nested key with the wrong wire type, or a path deeper than values may nest.
                    h.WriteMessage(1, i =>
                    {
                        if (random.Next(2) == 0)
                        {
                            i.WriteInt64(2, 7);
                        }
                        else
                        {
                            i.WriteRepeatedString(2, Enumerable.Repeat("d", 300));
                        }
                    });
                }
            });
            return record.ToArray();
        }

        private static void WriteItem(ProtoWriter i, RowItem item, string json, Random random)
        {
            // Shapes: 0-4 as SDKs write them (key, then value_json); 5 value first; 6 an unknown field too; 7 no value.
            if (item.Shape == 5)
            {
                i.WriteString(16, json);
            }

            if (item.Key is not null)
            {
                i.WriteBytes(1, item.Key);
            }

            foreach (byte[] part in item.NestedKey ?? Array.Empty<byte[]>())
            {
                i.WriteBytes(2, part);
            }

            if (item.Shape == 6)
            {
                i.WriteInt64(9, random.Next(300));
            }

            if (item.Shape is not (5 or 7))
            {
                i.WriteString(16, json);
            }
        }

        private static string RandomValue(Random random) => random.Next(16) switch
        {
            0 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
            1 => "12345678901234567890123",
            2 => (random.NextDouble() * Math.Pow(10, random.Next(-8, 12))).ToString("R", CultureInfo.InvariantCulture),
            3 => "-" + random.NextDouble().ToString("E", CultureInfo.InvariantCulture),
            4 => "\"text " + random.Next(100) + "\"",
            5 => random.Next(2) == 0 ? "true" : "false",
            6 => "null",
            7 => new[] { "NaN", "Infinity", "-Infinity" }[random.Next(3)],
            8 => "{\"a\": 1, \"b\": [1.5, \"x\", null]}",
            9 => "[1, 2, 3]",
            10 => "{not json",
            11 => " 0.25 ",
            12 => "1e400",
            13 => "\"" + new string('v', 200) + "\"",
            _ => random.NextDouble().ToString("R", CultureInfo.InvariantCulture),
        };

        internal static void AssertSame(object? expected, object? actual, string where)
        {
            switch (expected)
            {
                case WandbMap map:
                    WandbMap other = Assert.IsType<WandbMap>(actual);
                    Assert.True(map.Keys.SequenceEqual(other.Keys), where + ": keys " + string.Join(",", other.Keys) + " against " + string.Join(",", map.Keys));
                    foreach (KeyValuePair<string, object?> pair in map)
                    {
                        Assert.True(other.TryGetExact(pair.Key, out object? value), where + ": " + pair.Key);
                        AssertSame(pair.Value, value, where + "." + pair.Key);
                    }

                    break;
                case double number:
                    double got = Assert.IsType<double>(actual);
                    Assert.True(BitConverter.DoubleToInt64Bits(number) == BitConverter.DoubleToInt64Bits(got), where + ": " + got + " against " + number);
                    break;
                case System.Collections.IEnumerable list when expected is not string:
                    object?[] items = list.Cast<object?>().ToArray();
                    object?[] others = Assert.IsAssignableFrom<System.Collections.IEnumerable>(actual).Cast<object?>().ToArray();
                    Assert.Equal(items.Length, others.Length);
                    for (int i = 0; i < items.Length; i++)
                    {
                        AssertSame(items[i], others[i], where + "[" + i + "]");
                    }

                    break;
                default:
                    Assert.True(Equals(expected, actual) && expected?.GetType() == actual?.GetType(), where + ": " + actual + " against " + expected);
                    break;
            }
        }
    }
}
