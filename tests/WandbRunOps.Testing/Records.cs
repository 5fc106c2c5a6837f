using System;
using System.Collections.Generic;

namespace WandbRunOps.Testing;

/// <summary>
/// Builders for wandb_internal.Record payloads (one payload per log record). Field numbers are
/// from protocol notes §2.8. <c>num</c> is Record.num: 0 (omitted) as in 0.10–0.12 files, or a
/// sequence starting at 1 as newer writers do.
/// </summary>
public static class Records
{
    // Record.record_type oneof field numbers.
    public const int HistoryField = 2, SummaryField = 3, OutputField = 4, ConfigField = 5, FilesField = 6,
        StatsField = 7, ArtifactField = 8, TelemetryField = 11, MetricField = 12, RunField = 17, ExitField = 18,
        FinalField = 20, HeaderField = 21, FooterField = 22, PreemptingField = 23, UseArtifactField = 25,
        EnvironmentField = 26;

    /// <summary>The min_consumer every sampled real header carries.</summary>
    public const string MinConsumer = "0.40.0";

    /// <summary>HeaderRecord; a null producer gives the empty header of files before 0.16.3.</summary>
    public static byte[] Header(string? producer, long num = 0) =>
        Record(num, HeaderField, h =>
        {
            if (producer is null) return;
            h.WriteMessage(1, v =>
            {
                v.WriteString(1, producer);
                v.WriteString(2, MinConsumer);
            });
        });

    public static byte[] Run(RunSpec spec, long num = 0) =>
        Record(num, RunField, r =>
        {
            r.WriteString(1, spec.RunId);
            r.WriteString(2, spec.Entity);
            r.WriteString(3, spec.Project);
            if (spec.Config is not null) r.WriteMessage(4, c => WriteItems(c, 1, spec.Config));
            r.WriteString(6, spec.RunGroup);
            r.WriteString(7, spec.JobType);
            r.WriteString(8, spec.DisplayName);
            r.WriteString(9, spec.Notes);
            r.WriteRepeatedString(10, spec.Tags);
            r.WriteString(12, spec.SweepId);
            r.WriteString(13, spec.Host);
            r.WriteInt64(14, spec.StartingStep);
            if (spec.StartTime is DateTime start) r.WriteTimestamp(17, start);
            r.WriteBool(18, spec.Resumed);
            r.WriteInt32(20, spec.Runtime);
            if (spec.GitRemoteUrl is not null || spec.GitCommit is not null)
            {
                r.WriteMessage(21, g =>
                {
                    g.WriteString(1, spec.GitRemoteUrl);
                    g.WriteString(2, spec.GitCommit);
                });
            }
        });

    /// <summary>ConfigRecord: update = 1, remove = 2 (a reader applies updates, then removes).</summary>
    public static byte[] Config(IEnumerable<Item> updates, IEnumerable<Item> removes, long num = 0) =>
        Record(num, ConfigField, c =>
        {
            WriteItems(c, 1, updates);
            WriteItems(c, 2, removes);
        });

    /// <summary>SummaryRecord: update = 1, remove = 2.</summary>
    public static byte[] Summary(IEnumerable<Item> updates, IEnumerable<Item> removes, long num = 0) =>
        Record(num, SummaryField, s =>
        {
            WriteItems(s, 1, updates);
            WriteItems(s, 2, removes);
        });

    /// <summary>One history row; the step message is always present (empty for step 0).</summary>
    public static byte[] History(long step, IEnumerable<Item> items, long num = 0) =>
        Record(num, HistoryField, h =>
        {
            WriteItems(h, 1, items);
            h.WriteMessage(2, s => s.WriteInt64(1, step));
        });

    /// <summary>RunExitRecord; code 0 is omitted on the wire, so exit code 0 with runtime 0 is an empty message.</summary>
    public static byte[] Exit(int exitCode, int runtimeSeconds, long num = 0) =>
        Record(num, ExitField, e =>
        {
            e.WriteInt32(1, exitCode);
            e.WriteInt32(2, runtimeSeconds);
        });

    public static byte[] Preempting(long num = 0) => Record(num, PreemptingField, _ => { });

    public static byte[] Final(long num = 0) => Record(num, FinalField, _ => { });

    public static byte[] Footer(long num = 0) => Record(num, FooterField, _ => { });

    /// <summary>StatsRecord of type SYSTEM (0) with timestamp and items.</summary>
    public static byte[] Stats(DateTime utc, IEnumerable<(string key, string valueJson)> items, long num = 0) =>
        Record(num, StatsField, s =>
        {
            s.WriteInt32(1, 0);
            s.WriteTimestamp(2, utc);
            foreach ((string key, string valueJson) in items)
            {
                s.WriteMessage(3, i =>
                {
                    i.WriteString(1, key);
                    i.WriteString(16, valueJson);
                });
            }
        });

    /// <summary>OutputRecord (console line); output_type STDERR = 0, STDOUT = 1.</summary>
    public static byte[] Output(DateTime utc, string line, bool stderr = false, long num = 0) =>
        Record(num, OutputField, o =>
        {
            o.WriteInt32(1, stderr ? 0 : 1);
            o.WriteTimestamp(2, utc);
            o.WriteString(3, line);
        });

    public static byte[] Telemetry(string cliVersion, long num = 0) =>
        Record(num, TelemetryField, t => t.WriteString(5, cliVersion));

    public static byte[] Environment(EnvSpec spec, long num = 0) =>
        Record(num, EnvironmentField, e =>
        {
            e.WriteString(1, spec.Os);
            e.WriteString(2, spec.Python);
            if (spec.StartedAt is DateTime started) e.WriteTimestamp(3, started);
            e.WriteRepeatedString(5, spec.Args);
            e.WriteString(6, spec.Program);
            if (spec.GitRemoteUrl is not null || spec.GitCommit is not null)
            {
                e.WriteMessage(9, g =>
                {
                    g.WriteString(1, spec.GitRemoteUrl);
                    g.WriteString(2, spec.GitCommit);
                });
            }

            e.WriteString(10, spec.Email);
            e.WriteString(12, spec.Host);
            e.WriteString(13, spec.Username);
            e.WriteString(14, spec.Executable);
            if (spec.CpuCount != 0) e.WriteInt32(16, spec.CpuCount);
            e.WriteString(18, spec.GpuType);
            if (spec.GpuCount != 0) e.WriteInt32(19, spec.GpuCount);
            e.WriteString(199, spec.WriterId);
        });

    /// <summary>MetricRecord; goal 0 unset, 1 minimize, 2 maximize.</summary>
    public static byte[] Metric(string name, MetricSummarySpec? summary, int goal, long num = 0) =>
        Record(num, MetricField, m =>
        {
            m.WriteString(1, name);
            if (summary is not null)
            {
                m.WriteMessage(7, s =>
                {
                    s.WriteBool(1, summary.Min);
                    s.WriteBool(2, summary.Max);
                    s.WriteBool(3, summary.Mean);
                    s.WriteBool(4, summary.Best);
                    s.WriteBool(5, summary.Last);
                    s.WriteBool(6, summary.None);
                    s.WriteBool(7, summary.Copy);
                    s.WriteBool(8, summary.First);
                });
            }
            m.WriteInt32(8, goal);
        });

    public static byte[] Artifact(ArtifactSpec spec, long num = 0) =>
        Record(num, ArtifactField, a =>
        {
            a.WriteString(1, spec.RunId);
            a.WriteString(2, spec.Project);
            a.WriteString(3, spec.Entity);
            a.WriteString(4, spec.Type);
            a.WriteString(5, spec.Name);
            a.WriteString(6, spec.Digest);
            a.WriteString(7, spec.Description);
            a.WriteString(8, spec.MetadataJson);
            a.WriteRepeatedString(11, spec.Aliases);
            a.WriteMessage(12, m =>
            {
                m.WriteInt32(1, spec.ManifestVersion);
                m.WriteString(2, "wandb-storage-policy-v1");
                foreach (ManifestEntry entry in spec.Entries ?? Array.Empty<ManifestEntry>())
                {
                    m.WriteMessage(4, e =>
                    {
                        e.WriteString(1, entry.Path);
                        e.WriteString(2, entry.Digest);
                        e.WriteString(3, entry.Ref);
                        e.WriteInt64(4, entry.Size);
                        e.WriteString(6, entry.LocalPath);
                    });
                }
            });
            a.WriteString(15, spec.ClientId);
        });

    /// <summary>UseArtifactRecord; <paramref name="id"/> is the server id, base64 of "Artifact:&lt;n&gt;".</summary>
    public static byte[] UseArtifact(string id, string type, string name, long num = 0) =>
        Record(num, UseArtifactField, u =>
        {
            u.WriteString(1, id);
            u.WriteString(2, type);
            u.WriteString(3, name);
        });

    /// <summary>A Record whose oneof field <paramref name="field"/> holds arbitrary bytes (unknown types, garbage).</summary>
    public static byte[] Raw(int field, byte[] messageBody, long num = 0)
    {
        var w = new ProtoWriter();
        w.WriteInt64(1, num);
        w.WriteBytes(field, messageBody);
        return w.ToArray();
    }

    private static byte[] Record(long num, int field, Action<ProtoWriter> body)
    {
        var w = new ProtoWriter();
        w.WriteInt64(1, num);
        w.WriteMessage(field, body);
        return w.ToArray();
    }

    // Config, summary and history items share one shape: key = 1, nested_key = 2, value_json = 16.
    private static void WriteItems(ProtoWriter w, int field, IEnumerable<Item> items)
    {
        foreach (Item item in items)
        {
            w.WriteMessage(field, i =>
            {
                i.WriteString(1, item.Key);
                i.WriteRepeatedString(2, item.NestedKey);
                i.WriteString(16, item.ValueJson);
            });
        }
    }
}
