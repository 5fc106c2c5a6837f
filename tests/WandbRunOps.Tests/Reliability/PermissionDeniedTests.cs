using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using WandbRunOps.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Permission denied at each level (issue 13 point 2): the log, a file, the files/ folder, the run folder and the
    /// wandb folder itself. The tests run as root here, and root reads everything; so the command runs in a child
    /// pwsh whose root has lost the capabilities that bypass file modes (setpriv drops CAP_DAC_OVERRIDE and
    /// CAP_DAC_READ_SEARCH from its bounding set), and file modes apply to it as to any user. Each unreadable item is a
    /// non-terminating WandbPermissionDenied (log, folder, path) or a warning (a file, files/), and the other runs arrive.
    /// </summary>
    [Collection(CpuHeavyCollection.Name)]
    public class PermissionDeniedTests
    {
        private readonly ITestOutputHelper _output;

        public PermissionDeniedTests(ITestOutputHelper output) => _output = output;

        public static IEnumerable<object[]> Levels()
        {
            foreach (string command in new[] { "Get-WandbRun", "Get-RunConfig", "Get-RunSummary" })
            {
                yield return new object[] { "log", command };
                yield return new object[] { "file", command };
                yield return new object[] { "files-folder", command };
                yield return new object[] { "folder", command };
                yield return new object[] { "parent", command };
            }
        }

        [UnixTheory]
        [MemberData(nameof(Levels))]
        public void AnUnreadableItemCostsOnlyItsRun(string level, string command)
        {
            if (!File.Exists("/usr/bin/setpriv") && Environment.UserName == "root")
            {
                _output.WriteLine("Skipped: running as root without setpriv, file modes cannot be made to apply.");
                return;
            }

            using var samples = new SampleRuns();
            string other = samples.Scratch("other");
            string victim = SpecialRunFilesTests.FolderOf(samples, "fin0002b");
            string locked = level switch
            {
                "log" => Path.Combine(victim, "run-fin0002b.wandb"),
                "file" => Path.Combine(victim, "files", "config.yaml"),
                "files-folder" => Path.Combine(victim, "files"),
                "folder" => victim,
                _ => samples.Wandb,
            };
            string paths = "'" + samples.Wandb + "'";
            if (level == "parent")
            {
                // The other folder's runs still arrive: one sample run copied beside the locked wandb folder.
                string copied = SpecialRunFilesTests.FolderOf(samples, "fin0003c");
                CopyDirectory(copied, Path.Combine(other, "wandb", Path.GetFileName(copied)));
                paths += ",'" + Path.Combine(other, "wandb") + "'";
            }

            UnixPermissions.Set(locked, UnixFileMode.None);
            List<string> lines;
            try
            {
                lines = RunUnprivileged(
                    "Import-Module '" + RepoPaths.ModuleManifest + "'; " +
                    "$r = " + command + " -Path " + paths + " -ErrorVariable ev -WarningVariable wv -ErrorAction SilentlyContinue -WarningAction SilentlyContinue; " +
                    "'COUNT ' + @($r).Count; $ev | ForEach-Object { 'ERR ' + $_.FullyQualifiedErrorId + ' ' + $_.CategoryInfo.Category + ' ' + $_.TargetObject }; $wv | ForEach-Object { 'WARN ' + $_ }");
            }
            finally
            {
                UnixPermissions.Set(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            _output.WriteLine(string.Join("\n", lines));
            string[] errors = lines.Where(l => l.StartsWith("ERR ", StringComparison.Ordinal)).ToArray();
            string[] warnings = lines.Where(l => l.StartsWith("WARN ", StringComparison.Ordinal)).ToArray();
            int count = int.Parse(lines.Single(l => l.StartsWith("COUNT ", StringComparison.Ordinal)).Substring(6));
            switch (level)
            {
                case "log":
                case "folder":
                    Assert.Equal(7, count);
                    Assert.StartsWith("ERR WandbPermissionDenied,", errors.Single(), StringComparison.Ordinal);
                    Assert.EndsWith("PermissionDenied " + locked, errors.Single(), StringComparison.Ordinal);
                    break;
                case "parent":
                    Assert.Equal(1, count);
                    Assert.StartsWith("ERR WandbPermissionDenied,", errors.Single(), StringComparison.Ordinal);
                    Assert.EndsWith("PermissionDenied " + samples.Wandb, errors.Single(), StringComparison.Ordinal);
                    break;
                default:
                    Assert.Equal(8, count);
                    Assert.Empty(errors);
                    Assert.Contains(warnings, w => w.Contains(locked, StringComparison.Ordinal));
                    break;
            }
        }

        /// <summary>Runs a script in a child pwsh to which file modes apply (see the class summary); its output lines.</summary>
        private static List<string> RunUnprivileged(string script)
        {
            var start = new ProcessStartInfo(Environment.UserName == "root" ? "/usr/bin/setpriv" : "dotnet")
            {
                WorkingDirectory = RepoPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (Environment.UserName == "root")
            {
                foreach (string argument in new[] { "--bounding-set", "-dac_override,-dac_read_search", "dotnet" })
                {
                    start.ArgumentList.Add(argument);
                }
            }

            foreach (string argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", script })
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("The child pwsh did not finish within 120 s.");
            }

            Assert.True(process.ExitCode == 0, "The child pwsh failed: " + stderr.Result + stdout.Result);
            return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        }

        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (string file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (string directory in Directory.GetDirectories(from))
            {
                CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
            }
        }
    }
}
