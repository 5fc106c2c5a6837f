using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using WandbRunOps.Testing;

namespace WandbRunOps.Fuzz;

/// <summary>Logs written with the project's own writer, whose contents the harness knows exactly.</summary>
public static class SyntheticLogs
{
    public const string RunId = "fuzzrun1";

    public static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>The config keys <see cref="MultiBlock"/> writes in its run record, before any history.</summary>
    public static readonly IReadOnlyDictionary<string, string> Config = new Dictionary<string, string>
    {
        ["learning_rate"] = "0.003",
        ["optimizer"] = "\"adam\"",
        ["layers"] = "[64, 32, 10]",
    };

    /// <summary>The summary keys <see cref="MultiBlock"/> writes before any history.</summary>
    public static readonly IReadOnlyDictionary<string, string> Summary = new Dictionary<string, string>
    {
        ["best_loss"] = "0.125",
        ["epochs"] = "12",
    };

    public const int ExitRuntime = 3600;

    /// <summary>
    /// A finished run spread over several 32 KiB blocks: header, run (with config), summary and exit in block 0, then
    /// <paramref name="rows"/> history rows of about 300 bytes, every 50th one large enough to split into FIRST/MIDDLE/LAST.
    /// </summary>
    public static byte[] MultiBlock(int rows = 600)
    {
        using var memory = new MemoryStream();
        using (var writer = new WandbLogWriter(memory, leaveOpen: true))
        {
            writer.WriteRecord(Records.Header("0.22.1"));
            writer.WriteRecord(Records.Run(new RunSpec
            {
                RunId = RunId,
                Entity = "acme",
                Project = "fuzz",
                DisplayName = "fuzzy-run",
                StartTime = Start,
                Config = Config.Select(kv => Item.ByPath(new[] { kv.Key }, kv.Value)).ToList(),
            }));
            writer.WriteRecord(Records.Summary(Summary.Select(kv => Item.ByPath(new[] { kv.Key }, kv.Value)), Array.Empty<Item>()));
            writer.WriteRecord(Records.Exit(0, ExitRuntime));
            for (int step = 0; step < rows; step++)
            {
                string note = new string((char)('a' + step % 26), step % 50 == 49 ? 70_000 : 200);
                writer.WriteRecord(HistoryRow(step, ("loss", JsonText.Number(1.0 / (step + 1))), ("note", JsonText.Quote(note))));
            }
        }

        return memory.ToArray();
    }

    /// <summary>
    /// A run whose values are hostile: deeply nested and huge value_json in config, summary and history (arrays of
    /// <paramref name="hugeArrayLength"/> numbers, strings of <paramref name="hugeStringLength"/> characters), NaN and infinities, invalid UTF-8, JSON that does not
    /// parse, and config and summary records holding a key path 5,000 levels deep, which the reader refuses as damage.
    /// Every history row is readable.
    /// </summary>
    public static byte[] HostileValues(int hugeArrayLength = 300_000, int hugeStringLength = 2_000_000)
    {
        string deepArray = new string('[', 100_000) + new string(']', 100_000);
        string deepObject = string.Concat(Enumerable.Repeat("{\"a\":", 20_000)) + "1" + new string('}', 20_000);
        string hugeString = JsonText.Quote(new string('x', hugeStringLength));
        string hugeArray = "[" + string.Join(",", Enumerable.Repeat("1.5", hugeArrayLength)) + "]";
        string[] deepPath = Enumerable.Range(0, 5_000).Select(i => "k" + i).ToArray();
        using var memory = new MemoryStream();
        using (var writer = new WandbLogWriter(memory, leaveOpen: true))
        {
            writer.WriteRecord(Records.Header("0.22.1"));
            writer.WriteRecord(Records.Run(new RunSpec { RunId = RunId, Project = "fuzz", StartTime = Start }));
            writer.WriteRecord(Records.Config(new[]
            {
                Item.ByPath(new[] { "deep_array" }, deepArray),
                Item.ByPath(new[] { "deep_object" }, deepObject),
                Item.ByPath(new[] { "huge_string" }, hugeString),
                Item.ByPath(new[] { "not_json" }, "{\"a\": [1, 2"),
                Item.ByKey("dup", "1"),
                Item.ByKey("dup", "2"),
            }, Array.Empty<Item>()));
            writer.WriteRecord(Records.Summary(new[]
            {
                Item.ByPath(new[] { "huge_array" }, hugeArray),
                Item.ByPath(new[] { "nan" }, "NaN"),
                Item.ByPath(new[] { "inf" }, "-Infinity"),
                Item.ByPath(new[] { "big" }, "1e999999"),
            }, Array.Empty<Item>()));
            writer.WriteRecord(Records.Raw(Records.SummaryField, InvalidUtf8Item()));
            writer.WriteRecord(Records.Config(new[] { Item.ByPath(deepPath, "1") }, Array.Empty<Item>()));
            writer.WriteRecord(Records.Summary(new[] { Item.ByPath(deepPath, "2") }, Array.Empty<Item>()));
            for (int step = 0; step < 3; step++)
            {
                writer.WriteRecord(HistoryRow(step, ("deep", deepArray), ("huge", hugeArray), ("nan", "NaN")));
            }

            writer.WriteRecord(Records.Exit(0, 10));
        }

        return memory.ToArray();
    }

    /// <summary>A SummaryRecord update whose key and value_json are not valid UTF-8.</summary>
    private static byte[] InvalidUtf8Item()
    {
        var item = new ProtoWriter();
        item.WriteBytes(1, new byte[] { 0xC3, 0x28, 0xFF, 0xFE });
        item.WriteBytes(16, Encoding.UTF8.GetBytes("\"").Concat(new byte[] { 0xED, 0xA0, 0x80 }).Concat(Encoding.UTF8.GetBytes("\"")).ToArray());
        var summary = new ProtoWriter();
        summary.WriteBytes(1, item.ToArray());
        return summary.ToArray();
    }

    private static byte[] HistoryRow(long step, params (string Key, string Json)[] metrics)
    {
        double runtime = step * 0.5;
        var items = new List<Item>
        {
            Item.ByPath(new[] { "_step" }, step.ToString(CultureInfo.InvariantCulture)),
            Item.ByPath(new[] { "_runtime" }, JsonText.Number(runtime)),
            Item.ByPath(new[] { "_timestamp" }, JsonText.Number((Start - DateTime.UnixEpoch).TotalSeconds + runtime)),
        };
        items.AddRange(metrics.Select(m => Item.ByPath(new[] { m.Key }, m.Json)));
        return Records.History(step, items);
    }
}
