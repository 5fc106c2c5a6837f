using System;
using System.IO;
using System.Text;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Files
{
    /// <summary>What a legacy (SDK ≤0.9) <c>wandb-history.jsonl</c> says: row count and the last row's times.</summary>
    public sealed class LegacyHistory
    {
        public long Count { get; private set; }

        public DateTime? LastTime { get; private set; }

        public double? LastRuntime { get; private set; }

        public static LegacyHistory Read(Stream stream, System.Threading.CancellationToken cancellation)
        {
            var history = new LegacyHistory();
            string? last = null;
            using (var reader = new StreamReader(stream, Encoding.UTF8))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (line.Trim().Length == 0)
                    {
                        continue;
                    }

                    history.Count++;
                    last = line;
                }
            }

            if (last is not null && ExtendedJson.TryParse(last, out object? row, out _) && row is WandbMap map)
            {
                if (ValueReads.AsDouble(map["_timestamp"]) is double seconds)
                {
                    history.LastTime = TimeValues.FromUnixSeconds(seconds);
                }

                history.LastRuntime = ValueReads.AsDouble(map["_runtime"]);
            }

            return history;
        }
    }
}
