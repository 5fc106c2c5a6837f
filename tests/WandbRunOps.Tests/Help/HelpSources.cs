using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using WandbRunOps.Tests.Infrastructure;

namespace WandbRunOps.Tests.Help
{
    /// <summary>
    /// What the tests expect, read straight from a cmdlet's markdown page with plain text matching (not with the
    /// help builder's parser), and where the compiled help and the help builder are.
    /// </summary>
    internal sealed class HelpPage
    {
        private readonly string _text;

        private HelpPage(string name, string text)
        {
            Name = name;
            _text = text.Replace("\r\n", "\n");
        }

        public string Name { get; }

        public static HelpPage Of(string command) =>
            new HelpPage(command, File.ReadAllText(Path.Combine(HelpPaths.Docs, command + ".md")));

        /// <summary>The SYNOPSIS paragraph, its lines joined with spaces.</summary>
        public string Synopsis => Collapse(Section("SYNOPSIS"));

        public int ExampleCount => Regex.Matches(_text, @"^### Example \d+", RegexOptions.Multiline).Count;

        /// <summary>The first code block of the first example.</summary>
        public string FirstExampleCode
        {
            get
            {
                Match example = Regex.Match(_text, @"^### Example \d+.*?^```[^\n]*\n(?<code>.*?)\n```", RegexOptions.Multiline | RegexOptions.Singleline);
                if (!example.Success)
                {
                    throw new InvalidOperationException(Name + ".md has no example with a code block.");
                }

                return example.Groups["code"].Value;
            }
        }

        public IReadOnlyList<string> DocumentedParameters =>
            Regex.Matches(_text, @"^### -(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        /// <summary>The first line of a parameter's description.</summary>
        public string ParameterDescriptionStart(string parameter)
        {
            Match match = Regex.Match(_text, @"^### -" + parameter + @"\n(?<first>[^\n]+)", RegexOptions.Multiline);
            return match.Success ? match.Groups["first"].Value.Trim() : throw new InvalidOperationException(Name + ".md does not document -" + parameter);
        }

        /// <summary>A parameter's yaml block as key/value pairs.</summary>
        public IDictionary<string, string> ParameterYaml(string parameter)
        {
            Match match = Regex.Match(_text, @"^### -" + parameter + @"\n.*?^```yaml\n(?<yaml>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
            if (!match.Success)
            {
                throw new InvalidOperationException(Name + ".md has no yaml block for -" + parameter);
            }

            return match.Groups["yaml"].Value.Split('\n')
                .Where(line => line.Contains(':'))
                .ToDictionary(line => line.Substring(0, line.IndexOf(':')).Trim(), line => line.Substring(line.IndexOf(':') + 1).Trim());
        }

        private string Section(string title)
        {
            Match match = Regex.Match(_text, @"^## " + title + @"\n(?<body>.*?)(?=^#)", RegexOptions.Multiline | RegexOptions.Singleline);
            return match.Success ? match.Groups["body"].Value : throw new InvalidOperationException(Name + ".md has no " + title);
        }

        public static string Collapse(string text) => Regex.Replace(text, @"\s+", " ").Trim();
    }

    internal static class HelpPaths
    {
        public static string Docs => Path.Combine(RepoPaths.Root, "docs", "en-US");

        /// <summary>Where `dotnet build` puts the compiled help: en-US under the module base, the folder of the manifest.</summary>
        public static string CompiledHelp => Path.Combine(RepoPaths.ModuleFolder, "en-US");

        public static string Maml => Path.Combine(CompiledHelp, "WandbRunOps.dll-Help.xml");

        public static string AboutTopic => Path.Combine(CompiledHelp, "about_WandbRunOps.help.txt");

        /// <summary>The help builder of this configuration; src/WandbRunOps builds it (a ProjectReference) before the tests run.</summary>
        public static string Builder
        {
            get
            {
#if DEBUG
                const string configuration = "Debug";
#else
                const string configuration = "Release";
#endif
                return Path.Combine(RepoPaths.Root, "tools", "WandbRunOps.HelpBuilder", "bin", configuration, "net10.0", "WandbRunOps.HelpBuilder.dll");
            }
        }

        /// <summary>Runs the help builder as the build does: dotnet WandbRunOps.HelpBuilder.dll &lt;docs&gt; &lt;out&gt;.</summary>
        public static (int ExitCode, string Output) RunBuilder(string docs, string output)
        {
            if (!File.Exists(Builder))
            {
                throw new InvalidOperationException("The help builder is not built: " + Builder + " is missing. Run `dotnet build -c Release`.");
            }

            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Builder);
            start.ArgumentList.Add(docs);
            start.ArgumentList.Add(output);
            using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + dotnet);
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("The help builder did not finish in 60 s.");
            }

            return (process.ExitCode, stdout + stderr.Result);
        }
    }
}
