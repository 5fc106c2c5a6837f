using System;
using System.Collections.Generic;
using System.Globalization;

namespace WandbRunOps.Testing;

/// <summary>Facts about the machine and invocation that go into wandb-metadata.json.</summary>
public sealed class MetadataInfo
{
    public string Host { get; init; } = "gpu-box-1";
    public string Username { get; init; } = "ana";
    public string? Email { get; init; }
    public DateTime StartedUtc { get; init; }
    /// <summary>Python era only; the core era has no heartbeat in the file.</summary>
    public DateTime? HeartbeatUtc { get; init; }
    public string Os { get; init; } = "Linux-6.8.0-45-generic-x86_64-with-glibc2.39";
    public string Python { get; init; } = "3.11.9";
    public string Program { get; init; } = "train.py";
    public IReadOnlyList<string> Args { get; init; } = Array.Empty<string>();
    public string Root { get; init; } = "/home/ana/mnist-sweep";
    public string Executable { get; init; } = "/usr/bin/python3";
    public string? GitRemote { get; init; }
    public string? GitCommit { get; init; }
    public string? WriterId { get; init; }
}

/// <summary>
/// wandb-metadata.json shapes per era (protocol notes §2.5). Key order imitates the real files;
/// only a representative subset of hardware keys is included.
/// </summary>
public static class MetadataShapes
{
    /// <summary>0.10–0.17: heartbeatAt/startedAt without "Z", state "running" (never updated at exit).</summary>
    public static JsonMap PythonEra(MetadataInfo m)
    {
        var map = new JsonMap
        {
            { "os", m.Os },
            { "python", m.Python },
            { "heartbeatAt", PythonTime(m.HeartbeatUtc ?? m.StartedUtc) },
            { "startedAt", PythonTime(m.StartedUtc) },
            { "docker", null },
            { "cuda", "12.1" },
            { "args", m.Args },
            { "state", "running" },
            { "program", m.Program },
        };
        AddGit(map, m);
        map.Add("email", m.Email);
        map.Add("root", m.Root);
        map.Add("host", m.Host);
        map.Add("username", m.Username);
        map.Add("executable", m.Executable);
        map.Add("cpu_count", 16);
        map.Add("gpu", "NVIDIA A10G");
        map.Add("gpu_count", 1);
        return map;
    }

    /// <summary>0.18+: protojson of EnvironmentRecord; startedAt with "Z", uint64 sizes as strings, no state.</summary>
    public static JsonMap CoreEra(MetadataInfo m)
    {
        var map = new JsonMap
        {
            { "os", m.Os },
            { "python", "CPython " + m.Python },
            { "startedAt", PythonTime(m.StartedUtc) + "Z" },
            { "args", m.Args },
            { "program", m.Program },
        };
        AddGit(map, m);
        if (m.Email is not null) map.Add("email", m.Email);
        map.Add("root", m.Root);
        map.Add("host", m.Host);
        map.Add("username", m.Username);
        map.Add("executable", m.Executable);
        map.Add("cpu_count", 16);
        map.Add("cpu_count_logical", 32);
        map.Add("gpu", "NVIDIA A10G");
        map.Add("gpu_count", 1);
        map.Add("disk", new JsonMap { { "/", new JsonMap { { "total", "1081101176832" }, { "used", "412316860416" } } } });
        map.Add("memory", new JsonMap { { "total", "68719476736" } });
        if (m.WriterId is not null) map.Add("writerId", m.WriterId);
        return map;
    }

    /// <summary>≤0.9: the Python shape plus the final state, exit code, project and job type.</summary>
    public static JsonMap Legacy(MetadataInfo m, string state, int? exitCode, string project, string? jobType = null)
    {
        JsonMap map = PythonEra(m);
        map.RemoveAll(kv => kv.Key == "state");
        map.Add("state", state);
        map.Add("jobType", jobType);
        map.Add("mode", "run");
        map.Add("project", project);
        map.Add("exitcode", exitCode);
        return map;
    }

    /// <summary>ISO 8601 with microseconds and no zone, as Python's datetime.isoformat() on a naive UTC time.</summary>
    public static string PythonTime(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static void AddGit(JsonMap map, MetadataInfo m)
    {
        if (m.GitRemote is null && m.GitCommit is null) return;
        map.Add("git", new JsonMap { { "remote", m.GitRemote }, { "commit", m.GitCommit } });
    }
}
