using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Metadata
{
    /// <summary>
    /// Reads run metadata from the shapes W&amp;B keeps it in (docs/protocol.md, section 1.3, "wandb-metadata.json"):
    /// the metadata file, whose copy on the server is the API's <c>run { metadata }</c>, and the API's
    /// <c>runInfo</c>. The file's keys are the same in every SDK era for what the module reads (<c>program</c>,
    /// <c>args</c>, <c>git.remote</c>, <c>git.commit</c>, <c>os</c>, <c>python</c>, <c>host</c>, <c>executable</c>,
    /// <c>cpu_count</c>, <c>gpu_count</c>, <c>gpu</c>, <c>startedAt</c>); counts may be JSON strings, and
    /// <c>startedAt</c> is UTC with or without a zone letter.
    /// </summary>
    public static class RunMetadataJson
    {
        /// <summary>The facts of a metadata file's object.</summary>
        public static RunMetadata FromFile(WandbMap file) => new RunMetadata
        {
            Program = Text(file["program"]),
            Args = Strings(file["args"]),
            GitRemote = Text(Git(file)?["remote"]) ?? Text(Git(file)?["remoteUrl"]) ?? Text(Git(file)?["remote_url"]),
            GitCommit = Text(Git(file)?["commit"]),
            Os = Text(file["os"]),
            Python = Text(file["python"]),
            Host = Text(file["host"]),
            Executable = Text(file["executable"]),
            CpuCount = Count(file["cpu_count"]),
            GpuCount = Count(file["gpu_count"]),
            Gpu = Text(file["gpu"]),
            StartedAt = TimeValues.ParseIso(Text(file["startedAt"])),
        };

        /// <summary>The facts of the API's <c>runInfo</c> object (it has no host, executable or start time).</summary>
        public static RunMetadata FromRunInfo(WandbMap info) => new RunMetadata
        {
            Program = Text(info["program"]),
            Args = Strings(info["args"]),
            GitRemote = Text(Git(info)?["remote"]),
            GitCommit = Text(Git(info)?["commit"]),
            Os = Text(info["os"]),
            Python = Text(info["python"]),
            CpuCount = Count(info["cpuCount"]),
            GpuCount = Count(info["gpuCount"]),
            Gpu = Text(info["gpu"]),
        };

        /// <summary>
        /// The metadata file W&amp;B's current SDK writes from these facts (the shape the server keeps), for the
        /// loopback server and tests: a run whose log alone holds its environment is served as a synced one would be.
        /// </summary>
        public static WandbMap ToFile(RunMetadata metadata)
        {
            var file = new WandbMap();
            Put(file, "os", metadata.Os);
            Put(file, "python", metadata.Python);
            Put(file, "startedAt", metadata.StartedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            if (metadata.Args.Count > 0)
            {
                file.Set("args", new ValueList<object?>(metadata.Args.Cast<object?>()));
            }

            Put(file, "program", metadata.Program);
            if (metadata.GitRemote is not null || metadata.GitCommit is not null)
            {
                var git = new WandbMap();
                Put(git, "remote", metadata.GitRemote);
                Put(git, "commit", metadata.GitCommit);
                file.Set("git", git);
            }

            Put(file, "host", metadata.Host);
            Put(file, "executable", metadata.Executable);
            Put(file, "cpu_count", metadata.CpuCount is int cpus ? (long?)cpus : null);
            Put(file, "gpu", metadata.Gpu);
            Put(file, "gpu_count", metadata.GpuCount is int gpus ? (long?)gpus : null);
            return file;
        }

        private static void Put(WandbMap map, string key, object? value)
        {
            if (value is not null)
            {
                map.Set(key, value);
            }
        }

        private static WandbMap? Git(WandbMap map) => map["git"] as WandbMap;

        /// <summary>A non-empty string value; null for anything else (the SDK writes <c>""</c> and <c>null</c> for unknown).</summary>
        private static string? Text(object? value) => value is string text && text.Length > 0 ? text : null;

        private static ValueList<string> Strings(object? value) =>
            value is IEnumerable<object?> items && !(value is string) && !(value is WandbMap)
                ? new ValueList<string>(items.Select(item => item as string ?? ValueText.Format(item)))
                : ValueList<string>.Empty;

        /// <summary>A count: a JSON number, or a number in a string (wandb-core writes 64-bit counts as strings); 0 is a count.</summary>
        private static int? Count(object? value) => value switch
        {
            long number when number >= 0 && number <= int.MaxValue => (int)number,
            double number when number >= 0 && number <= int.MaxValue && number == System.Math.Floor(number) => (int)number,
            string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) => parsed,
            _ => null,
        };
    }
}
