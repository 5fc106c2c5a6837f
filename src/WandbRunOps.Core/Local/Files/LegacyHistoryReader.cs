using System;
using System.IO;
using System.Text;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Files
{
    /// <summary>What a legacy (SDK ≤0.9) <c>wandb-history.jsonl</c> says: row count and the last row's times.</summary>
    public sealed class LegacyHistory
    {
        public long Count { get; private set; }

        public DateTime? LastTime { get; private set; }

        public double? LastRuntime { get; private set; }

        public static LegacyHistory Read(string path)
        {
            var history = new LegacyHistory();
            string? last = null;
            using (var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
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
                if (map["_timestamp"] is double ts)
                {
                    history.LastTime = TimeValues.FromUnixSeconds(ts);
                }
                else if (map["_timestamp"] is long whole)
                {
                    history.LastTime = TimeValues.FromUnixSeconds(whole);
                }

                history.LastRuntime = map["_runtime"] switch
                {
                    double d => d,
                    long l => l,
                    _ => null,
                };
            }

            return history;
        }
    }
}
