using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using csFastFloat;
using WandbRunOps.Json;

namespace WandbRunOps.Bench;

/// <summary>
/// Scenario 7: the history decoder's number conversion on a million typical W&amp;B decimals (values in [0, 1) and
/// scaled losses as Python and Go print them, epoch timestamps, short learning rates, E-notation), from their UTF-8
/// bytes: the module's path (<see cref="Utf8Scalars"/>, as built), csFastFloat on its own, and the framework's
/// <see cref="Utf8Parser"/> as the floor to beat. Also checks that the module's path and the framework agree bit for bit.
/// `--numbers` runs this scenario alone.
/// </summary>
internal static class NumberParsing
{
    public static void Measure(BenchTable table, int count)
    {
        (byte[] bytes, int[] starts) = Corpus(count);
        var module = new double[count];
        var fast = new double[count];
        var framework = new double[count];

        double moduleSeconds = Timing.Best(5, () =>
        {
            for (int i = 0; i < count; i++)
            {
                Utf8Scalars.TryParse(bytes, starts[i], starts[i + 1] - starts[i], out object? value);
                module[i] = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            }
        });
        double fastSeconds = Timing.Best(5, () =>
        {
            for (int i = 0; i < count; i++)
            {
                FastDoubleParser.TryParseDouble(new ReadOnlySpan<byte>(bytes, starts[i], starts[i + 1] - starts[i]), out fast[i]);
            }
        });
        double frameworkSeconds = Timing.Best(5, () =>
        {
            for (int i = 0; i < count; i++)
            {
                Utf8Parser.TryParse(new ReadOnlySpan<byte>(bytes, starts[i], starts[i + 1] - starts[i]), out framework[i], out _);
            }
        });

        int differ = 0;
        for (int i = 0; i < count; i++)
        {
            long expected = BitConverter.DoubleToInt64Bits(framework[i]);
            if (BitConverter.DoubleToInt64Bits(module[i]) != expected || BitConverter.DoubleToInt64Bits(fast[i]) != expected)
            {
                differ++;
            }
        }

        string label = "7 numbers (" + count.ToString("N0", CultureInfo.InvariantCulture) + " decimals)";
        table.Add(label, "module (Utf8Scalars, boxed)", moduleSeconds * 1000, "ms", differ + " differ from the framework in bits");
        table.Add(label, "csFastFloat alone", fastSeconds * 1000, "ms");
        table.Add(label, "framework Utf8Parser (floor)", frameworkSeconds * 1000, "ms");
    }

    /// <summary>The numbers, fixed by the seed, one after another in one buffer; starts[i]..starts[i + 1] is number i.</summary>
    private static (byte[] Bytes, int[] Starts) Corpus(int count)
    {
        var random = new Random(20261201);
        var text = new StringBuilder();
        var starts = new List<int>(count + 1);
        for (int i = 0; i < count; i++)
        {
            starts.Add(text.Length);
            int kind = random.Next(10);
            text.Append(kind switch
            {
                < 4 => random.NextDouble().ToString("R", CultureInfo.InvariantCulture),
                4 => (1.7555e9 + (random.NextDouble() * 1e6)).ToString("R", CultureInfo.InvariantCulture),
                5 => (1.7555e9 + (random.NextDouble() * 1e6)).ToString("0.###############e+00", CultureInfo.InvariantCulture),
                6 or 7 => (random.NextDouble() * Math.Pow(10, random.Next(-6, 4))).ToString("R", CultureInfo.InvariantCulture),
                8 => (random.Next(1, 100) * Math.Pow(10, -random.Next(1, 6))).ToString("R", CultureInfo.InvariantCulture),
                _ => (random.NextDouble() * 1e-4).ToString("E4", CultureInfo.InvariantCulture),
            });
        }

        starts.Add(text.Length);
        return (Encoding.ASCII.GetBytes(text.ToString()), starts.ToArray());
    }
}
