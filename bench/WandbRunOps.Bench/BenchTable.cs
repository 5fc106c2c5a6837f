using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WandbRunOps.Bench;

/// <summary>The one table the bench prints: scenario, measure, figure, and the ratio that matters.</summary>
internal sealed class BenchTable
{
    private readonly List<(string Scenario, string Measure, string Value, string Note)> _rows = new();

    public void Add(string scenario, string measure, double value, string unit, string note = "") =>
        _rows.Add((scenario, measure, value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture) + " " + unit, note));

    public void Print()
    {
        int a = _rows.Max(r => r.Scenario.Length), b = _rows.Max(r => r.Measure.Length), c = _rows.Max(r => r.Value.Length);
        Console.WriteLine();
        Console.WriteLine("| " + "scenario".PadRight(a) + " | " + "measure".PadRight(b) + " | " + "figure".PadLeft(c) + " | note");
        Console.WriteLine("|" + new string('-', a + 2) + "|" + new string('-', b + 2) + "|" + new string('-', c + 2) + "|------");
        foreach (var row in _rows)
        {
            Console.WriteLine("| " + row.Scenario.PadRight(a) + " | " + row.Measure.PadRight(b) + " | " + row.Value.PadLeft(c) + " | " + row.Note);
        }
    }
}
