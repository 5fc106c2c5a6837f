using System;
using System.Collections.Generic;
using System.Text;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Reading the pieces every keyed record shares (ConfigItem, SummaryItem, HistoryItem: <c>key</c> or
    /// <c>nested_key</c> plus <c>value_json</c>) and the history step, for the run reader and the history reader.
    /// </summary>
    internal static class LogItems
    {
        /// <summary>
        /// Reads an item's path into <paramref name="path"/> (cleared first) and returns its value_json bytes (an empty
        /// segment with no array when the item has none). Python-era items use <c>key</c>, wandb-core ones a
        /// <c>nested_key</c> path; a key is one path element, never split on dots. Key strings come from
        /// <paramref name="keys"/>, which the caller keeps for the whole log. A path deeper than
        /// <see cref="ExtendedJson.MaxDepth"/> is a <see cref="FormatException"/> (the record is skipped as damage).
        /// </summary>
        public static ArraySegment<byte> ReadItem<TKey>(ProtoReader item, List<TKey> path, IItemKeys<TKey> keys)
            where TKey : class
        {
            path.Clear();
            TKey? key = null;
            ArraySegment<byte> json = default;
            while (item.Next())
            {
                switch (item.Field)
                {
                    case RecordFields.ItemKey: key = keys.Get(item.ReadBytes()); break;
                    case RecordFields.ItemNestedKey:
                        if (path.Count == ExtendedJson.MaxDepth)
                        {
                            // Values nest no deeper than JSON may; a deeper path would make every walk over the run's
                            // maps (flattened keys, merges) cost its depth squared.
                            throw new FormatException("a key path deeper than " + ExtendedJson.MaxDepth + " levels");
                        }

                        path.Add(keys.Get(item.ReadBytes()));
                        break;
                    case RecordFields.ItemValueJson: json = item.ReadBytes(); break;
                    default: item.Skip(); break;
                }
            }

            if (path.Count == 0 && key is not null && keys.TextOf(key).Length > 0)
            {
                path.Add(key);
            }

            return json;
        }

        /// <summary>
        /// A history item's path and value_json, as <see cref="ReadItem{TKey}(ProtoReader, List{TKey}, IItemKeys{TKey})"/>
        /// reads them, in one pass over the bytes when the item has the shape every SDK writes: one key (<c>nested_key</c>
        /// or <c>key</c>), then <c>value_json</c> (field 16: a two-byte tag, which the field-by-field reader reads
        /// out of line), each shorter than 128 bytes. Any other shape goes to the field-by-field reader.
        /// </summary>
        public static ArraySegment<byte> ReadItem(ArraySegment<byte> item, List<HistoryKey> path, HistoryKeyTable keys)
        {
            byte[] bytes = item.Array!;
            int start = item.Offset, end = item.Offset + item.Count;
            if (end - start >= 5)
            {
                int tag = bytes[start];
                int keyLength = bytes[start + 1];
                int json = start + 2 + keyLength;
                if ((tag == NestedKeyTag || tag == KeyTag) && keyLength < 0x80 && json <= end - 3
                    && bytes[json] == ValueJsonTag0 && bytes[json + 1] == ValueJsonTag1 && bytes[json + 2] < 0x80 && json + 3 + bytes[json + 2] == end)
                {
                    HistoryKey key = keys.Get(new ArraySegment<byte>(bytes, start + 2, keyLength));

                    // As the field-by-field reader: a nested_key is the path even when empty; an empty key is none.
                    // The path usually held one key already: it is replaced in place (List.Clear of references is
                    // an out-of-line Array.Clear, measurable at one call per value).
                    if (tag == NestedKeyTag || key.Text.Length > 0)
                    {
                        if (path.Count == 1)
                        {
                            path[0] = key;
                        }
                        else
                        {
                            path.Clear();
                            path.Add(key);
                        }
                    }
                    else
                    {
                        path.Clear();
                    }

                    return new ArraySegment<byte>(bytes, json + 3, bytes[json + 2]);
                }
            }

            return ReadItem(new ProtoReader(bytes, item.Offset, item.Count), path, keys);
        }

        // The tags of the common item shape: field number << 3 | wire type 2 (length-delimited), as varints.
        private const byte KeyTag = (RecordFields.ItemKey << 3) | 2;
        private const byte NestedKeyTag = (RecordFields.ItemNestedKey << 3) | 2;
        private const byte ValueJsonTag0 = ((RecordFields.ItemValueJson << 3) | 2) & 0x7F | 0x80;
        private const byte ValueJsonTag1 = (RecordFields.ItemValueJson << 3) >> 7;

        /// <summary>
        /// A HistoryRecord's step: its step message (always written by the SDK, empty for step 0), else its own
        /// <c>_step</c> item when that is an integer; null when it has neither. <paramref name="history"/> is a copy,
        /// so the caller's reader does not move; item keys are only read when the step message is missing.
        /// </summary>
        public static long? StepOf(ProtoReader history, List<string> path, KeyCache keys)
        {
            ProtoReader items = history;
            while (history.Next())
            {
                if (history.Field == RecordFields.HistoryStep)
                {
                    return ReadStep(history.ReadMessage());
                }

                history.Skip();
            }

            long? own = null;
            while (items.Next())
            {
                if (items.Field != RecordFields.HistoryItem)
                {
                    items.Skip();
                    continue;
                }

                ArraySegment<byte> json = ReadItem(items.ReadMessage(), path, keys);
                if (path.Count == 1 && path[0] == StepKey && ParseValue(json) is long value)
                {
                    own = value;
                }
            }

            return own;
        }

        private const string StepKey = "_step";

        /// <summary>A HistoryStep message's number (step 0 is an empty but present message).</summary>
        public static long ReadStep(ProtoReader step)
        {
            long number = 0;
            while (step.Next())
            {
                if (step.Field == 1)
                {
                    number = step.ReadInt64();
                }
                else
                {
                    step.Skip();
                }
            }

            return number;
        }

        /// <summary>A value_json that is not valid (extended) JSON is kept as its raw text rather than lost.</summary>
        public static object? ParseValue(ArraySegment<byte> json)
        {
            if (json.Array is null)
            {
                return null;
            }

            // Most values are bare numbers: read without the general entry's BOM, whitespace and literal checks.
            if (Utf8Scalars.TryBareNumber(json.Array, json.Offset, json.Count, out object? number))
            {
                return number;
            }

            return ExtendedJson.TryParse(json.Array, json.Offset, json.Count, out object? value, out _)
                ? value
                : Encoding.UTF8.GetString(json.Array, json.Offset, json.Count);
        }
    }
}
