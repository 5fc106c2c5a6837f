using System;
using System.IO;
using System.Runtime.InteropServices;

namespace WandbRunOps.Api
{
    /// <summary>
    /// The machine facts credential and settings discovery depends on (variables, home, working folder, OS), as one
    /// object so tests can stand in a temporary home and fake variables.
    /// </summary>
    public sealed class ApiEnvironment
    {
        public ApiEnvironment(Func<string, string?> variable, string home, string workingDirectory, bool windows)
        {
            Variable = variable;
            Home = home;
            WorkingDirectory = workingDirectory;
            Windows = windows;
        }

        public Func<string, string?> Variable { get; }

        public string Home { get; }

        public string WorkingDirectory { get; }

        public bool Windows { get; }

        public static ApiEnvironment Current(string workingDirectory)
        {
            string home = System.Environment.GetEnvironmentVariable("HOME")
                ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            return new ApiEnvironment(System.Environment.GetEnvironmentVariable, home, workingDirectory, RuntimeInformation.IsOSPlatform(OSPlatform.Windows));
        }

        /// <summary>~/.config/wandb/settings, or $WANDB_CONFIG_DIR/settings.</summary>
        public string GlobalSettingsPath =>
            Path.Combine(Variable("WANDB_CONFIG_DIR") is string dir && dir.Length > 0 ? dir : Path.Combine(Home, ".config", "wandb"), "settings");

        /// <summary>./wandb/settings in the working folder.</summary>
        public string WorkspaceSettingsPath => Path.Combine(WorkingDirectory, "wandb", "settings");
    }
}
