using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace WandbRunOps.Fuzz;

/// <summary>An undamaged log the harness mutates: a real SDK-written fixture or a synthetic one.</summary>
public sealed class FuzzSource
{
    public FuzzSource(string name, byte[] bytes)
    {
        Name = name;
        Bytes = bytes;
        Layout = LogLayout.Of(bytes);
    }

    public string Name { get; }

    public byte[] Bytes { get; }

    public LogLayout Layout { get; }

    /// <summary>Every <c>*.wandb</c> under <paramref name="directory"/>, smallest first, named by relative path.</summary>
    public static IReadOnlyList<FuzzSource> Fixtures(string directory) =>
        Directory.EnumerateFiles(directory, "*.wandb", SearchOption.AllDirectories)
            .Select(path => new FuzzSource(Path.GetRelativePath(directory, path), File.ReadAllBytes(path)))
            .OrderBy(s => s.Bytes.Length)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<FuzzSource> Synthetic() => new[]
    {
        new FuzzSource("synthetic/multi-block", SyntheticLogs.MultiBlock()),
        new FuzzSource("synthetic/hostile-values", SyntheticLogs.HostileValues()),
    };

    public override string ToString() => Name + " (" + Bytes.Length + " bytes)";
}
