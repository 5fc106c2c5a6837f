using System;
using System.Collections.Generic;
using System.IO;

namespace WandbRunOps.Api
{
    /// <summary>
    /// Reads the netrc file `wandb login` writes: <c>machine api.wandb.ai login user password KEY</c>. The machine is
    /// the base URL's host, with <c>:port</c> when it has one.
    /// </summary>
    public static class NetrcFile
    {
        /// <summary>The password for <paramref name="machine"/>, or null when the file has no such entry.</summary>
        public static string? FindPassword(string text, string machine)
        {
            List<string> tokens = Tokens(text);
            string? current = null;
            bool isDefault = false;
            string? defaultPassword = null;
            for (int i = 0; i < tokens.Count; i++)
            {
                switch (tokens[i])
                {
                    case "machine":
                        current = i + 1 < tokens.Count ? tokens[++i] : null;
                        isDefault = false;
                        break;
                    case "default":
                        current = null;
                        isDefault = true;
                        break;
                    case "password":
                        string? password = i + 1 < tokens.Count ? tokens[++i] : null;
                        if (current is not null && string.Equals(current, machine, StringComparison.OrdinalIgnoreCase))
                        {
                            return password;
                        }

                        if (isDefault)
                        {
                            defaultPassword ??= password;
                        }

                        break;
                    case "login":
                    case "account":
                        i++;
                        break;
                    case "macdef":
                        // A macro runs to the next blank line; its body is not entries.
                        current = null;
                        isDefault = false;
                        i = SkipMacro(tokens, i);
                        break;
                }
            }

            return defaultPassword;
        }

        /// <summary>
        /// Which netrc file to read, as the SDK picks it: NETRC if set, else ~/.netrc, else ~/_netrc, else the
        /// platform default (~/_netrc on Windows, ~/.netrc elsewhere).
        /// </summary>
        public static string PathFor(Func<string, string?> environment, string home, bool windows)
        {
            string? explicitPath = environment("NETRC");
            if (!string.IsNullOrEmpty(explicitPath))
            {
                return explicitPath!;
            }

            string dot = Path.Combine(home, ".netrc");
            string underscore = Path.Combine(home, "_netrc");
            if (File.Exists(dot))
            {
                return dot;
            }

            if (File.Exists(underscore))
            {
                return underscore;
            }

            return windows ? underscore : dot;
        }

        /// <summary>The netrc machine name for a base URL: host, plus :port when the URL names one.</summary>
        public static string MachineFor(Uri baseUrl) => baseUrl.IsDefaultPort ? baseUrl.Host : baseUrl.Host + ":" + baseUrl.Port;

        private static int SkipMacro(List<string> tokens, int index)
        {
            // Tokens lose blank lines, so a macro is taken to run until the next "machine" or "default".
            int i = index + 1;
            while (i < tokens.Count && tokens[i] != "machine" && tokens[i] != "default")
            {
                i++;
            }

            return i - 1;
        }

        private static List<string> Tokens(string text)
        {
            var tokens = new List<string>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                if (c == '#')
                {
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                }

                int start = i;
                if (c == '"')
                {
                    int close = text.IndexOf('"', i + 1);
                    close = close < 0 ? text.Length : close;
                    tokens.Add(text.Substring(i + 1, close - i - 1));
                    i = close + 1;
                    continue;
                }

                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                tokens.Add(text.Substring(start, i - start));
            }

            return tokens;
        }
    }
}
