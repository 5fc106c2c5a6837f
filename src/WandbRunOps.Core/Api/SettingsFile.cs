using System;
using System.Collections.Generic;
using System.IO;

namespace WandbRunOps.Api
{
    /// <summary>
    /// The wandb settings files: INI with a <c>[default]</c> section holding <c>base_url</c>, <c>entity</c>,
    /// <c>project</c>. The workspace file (./wandb/settings) overrides the global one (~/.config/wandb/settings).
    /// </summary>
    public static class SettingsFile
    {
        public static Dictionary<string, string> ReadDefaultSection(string text)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            bool inDefault = false;
            foreach (string raw in text.Split('\n'))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#' || line[0] == ';')
                {
                    continue;
                }

                if (line[0] == '[')
                {
                    inDefault = string.Equals(line.Trim('[', ']').Trim(), "default", StringComparison.OrdinalIgnoreCase);
                    continue;
                }

                int equals = line.IndexOfAny(new[] { '=', ':' });
                if (inDefault && equals > 0)
                {
                    values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
                }
            }

            return values;
        }

        /// <summary>The settings in force: global file, then workspace file on top.</summary>
        public static Dictionary<string, string> Read(string? globalPath, string? workspacePath)
        {
            var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string? path in new[] { globalPath, workspacePath })
            {
                if (path is not null && File.Exists(path))
                {
                    foreach (KeyValuePair<string, string> pair in ReadDefaultSection(File.ReadAllText(path)))
                    {
                        merged[pair.Key] = pair.Value;
                    }
                }
            }

            return merged;
        }
    }
}
