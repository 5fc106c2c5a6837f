using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using WandbRunOps.Testing;

namespace WandbRunOps.Bench;

/// <summary>Realistic history-heavy run folders written with the project's own log writer, streamed to disk.</summary>
internal static class LogCorpus
{
    /// <summary>Writes runs of <paramref name="stepsPerRun"/> history rows (50 metrics each, plus output and stats records).</summary>
    public static long Write(string wandbDir, int runs, int stepsPerRun)
    {
        long bytes = 0;
        for (int r = 0; r < runs; r++)
        {
            bytes += WriteRun(wandbDir, r, stepsPerRun);
        }

        return bytes;
    }

    /// <summary>One run with <paramref name="steps"/> rows: a single large log. Returns its size in bytes.</summary>
    public static long WriteOneRun(string wandbDir, int steps) => WriteRun(wandbDir, 0, steps);

    private static long WriteRun(string wandbDir, int r, int steps)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string id = "b" + r.ToString("D7", CultureInfo.InvariantCulture);
        DateTime created = start.AddMinutes(r);
        string folder = RunFolderWriter.Write(wandbDir, new RunFolderSpec
        {
            RunId = id,
            FolderTime = created,
            AppendToLog = log =>
            {
                foreach (byte[] record in Records(id, r, created, steps))
                {
                    log.WriteRecord(record);
                }
            },
        });
        return new FileInfo(Path.Combine(folder, RunFolderWriter.LogFileName(id))).Length;
    }

    private static IEnumerable<byte[]> Records(string id, int r, DateTime created, int steps)
    {
        yield return WandbRunOps.Testing.Records.Header("0.22.1");
        yield return WandbRunOps.Testing.Records.Run(new RunSpec { RunId = id, Project = "bench", DisplayName = "bench-" + r, StartTime = created, Config = new[] { Item.ByKey("lr", "0.01"), Item.ByKey("seed", r.ToString(CultureInfo.InvariantCulture)) } });
        for (int s = 0; s < steps; s++)
        {
            var items = new List<Item>
            {
                Item.ByPath(new[] { "_step" }, s.ToString(CultureInfo.InvariantCulture)),
                Item.ByPath(new[] { "_runtime" }, JsonText.Number(s * 0.5)),
                Item.ByPath(new[] { "_timestamp" }, JsonText.Number((created - DateTime.UnixEpoch).TotalSeconds + (s * 0.5))),
            };
            for (int k = 0; k < 50; k++)
            {
                items.Add(Item.ByPath(new[] { "metric_" + k.ToString("D2", CultureInfo.InvariantCulture) }, JsonText.Number(Math.Sin(s + k) * 0.123456789)));
            }

            yield return WandbRunOps.Testing.Records.History(s, items);
            if (s % 20 == 0)
            {
                yield return WandbRunOps.Testing.Records.Output(created.AddSeconds(s * 0.5), "epoch " + s + ": loss=" + Math.Cos(s).ToString("R", CultureInfo.InvariantCulture));
                yield return WandbRunOps.Testing.Records.Stats(created.AddSeconds(s * 0.5), new[] { ("cpu", "12.5"), ("memory.used_percent", "40.1"), ("gpu.0.gpu", "88.0") });
            }
        }

        yield return WandbRunOps.Testing.Records.Summary(new[] { Item.ByPath(new[] { "metric_00" }, "0.5"), Item.ByPath(new[] { "_wandb", "runtime" }, (steps / 2).ToString(CultureInfo.InvariantCulture)) }, Array.Empty<Item>());
        yield return WandbRunOps.Testing.Records.Exit(0, steps / 2);
    }
}
