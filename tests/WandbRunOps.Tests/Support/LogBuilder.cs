using System;
using System.Collections.Generic;
using System.IO;
using WandbRunOps.Testing;

namespace WandbRunOps.Tests.Support
{
    /// <summary>Writes synthetic .wandb logs with the project's writer, in memory or to a file.</summary>
    public static class LogBuilder
    {
        public static byte[] Bytes(Action<WandbLogWriter> write, bool header = true)
        {
            using var memory = new MemoryStream();
            using (var writer = new WandbLogWriter(memory, header, leaveOpen: true))
            {
                write(writer);
            }

            return memory.ToArray();
        }

        public static byte[] Bytes(IEnumerable<byte[]> records) => Bytes(w =>
        {
            foreach (byte[] record in records)
            {
                w.WriteRecord(record);
            }
        });

        /// <summary>A history record in the wandb-core shape (one-element nested_key paths).</summary>
        public static byte[] History(long step, DateTime start, double runtime, params (string Key, string Json)[] metrics)
        {
            var items = new List<Item>
            {
                Item.ByPath(new[] { "_step" }, step.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Item.ByPath(new[] { "_runtime" }, JsonText.Number(runtime)),
                Item.ByPath(new[] { "_timestamp" }, JsonText.Number((start - DateTime.UnixEpoch).TotalSeconds + runtime)),
            };
            foreach (var (key, json) in metrics)
            {
                items.Add(Item.ByPath(new[] { key }, json));
            }

            return Records.History(step, items);
        }
    }
}
