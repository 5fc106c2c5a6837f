using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>
    /// Compiles a folder of PlatyPS 0.14 markdown help (docs/en-US) into the files PowerShell's Get-Help reads:
    /// one MAML file per "external help file" named in the command pages' front matter (WandbRunOps.dll-Help.xml),
    /// and one about_*.help.txt per about_*.help.md topic. The module page (front matter with "Module Guid") is
    /// skipped, as PlatyPS skips it.
    /// </summary>
    /// <remarks>
    /// Exit codes: 0 written; 1 the markdown is malformed (each problem printed as an MSBuild error line,
    /// "file(line): error WRHELP: message", and nothing written); 2 bad arguments or an I/O failure.
    /// </remarks>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: WandbRunOps.HelpBuilder <markdown folder> <output folder>");
                Console.Error.WriteLine("  Compiles <markdown folder>/*.md (PlatyPS 0.14 markdown) into MAML command help and about_*.help.txt topics in <output folder>.");
                return 2;
            }

            string docs = Path.GetFullPath(args[0]);
            string output = Path.GetFullPath(args[1]);
            try
            {
                return Run(docs, output, Console.Out, Console.Error);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine("WandbRunOps.HelpBuilder: error WRHELP: " + e.Message);
                return 2;
            }
            catch (UnauthorizedAccessException e)
            {
                Console.Error.WriteLine("WandbRunOps.HelpBuilder: error WRHELP: " + e.Message);
                return 2;
            }
        }

        /// <summary>Reads every markdown file of <paramref name="docs"/>, and writes the help only when all of them are well formed.</summary>
        public static int Run(string docs, string output, TextWriter log, TextWriter errors)
        {
            if (!Directory.Exists(docs))
            {
                errors.WriteLine(docs + ": error WRHELP: the markdown help folder does not exist.");
                return 2;
            }

            var diagnostics = new List<HelpDiagnostic>();
            var commands = new List<CommandHelp>();
            var abouts = new List<AboutTopic>();

            foreach (string file in Directory.GetFiles(docs, "*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                var source = new MarkdownSource(file);
                string fileName = Path.GetFileName(file);
                diagnostics.AddRange(source.FrontMatterErrors);
                foreach (HelpDiagnostic warning in source.SuspiciousLists())
                {
                    log.WriteLine(warning.ToString());
                }

                if (fileName.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    AboutTopic? topic = AboutTopicReader.Read(source, diagnostics);
                    if (topic is not null)
                    {
                        abouts.Add(topic);
                    }
                }
                else if (source.FrontMatter.ContainsKey("Module Guid"))
                {
                    log.WriteLine("WandbRunOps.HelpBuilder: " + fileName + " is the module page; PowerShell help has no place for it, skipped.");
                }
                else
                {
                    CommandHelp? command = CommandHelpReader.Read(source, diagnostics);
                    if (command is not null)
                    {
                        commands.Add(command);
                    }
                }
            }

            if (commands.Count == 0 && abouts.Count == 0 && diagnostics.Count == 0)
            {
                diagnostics.Add(new HelpDiagnostic(docs, 0, "the folder has no command help or about_*.help.md markdown."));
            }

            if (diagnostics.Count > 0)
            {
                foreach (HelpDiagnostic diagnostic in diagnostics)
                {
                    errors.WriteLine(diagnostic.ToString());
                }

                errors.WriteLine(
                    "WandbRunOps.HelpBuilder: error WRHELP: " + diagnostics.Count + " problem(s) in the markdown help in "
                    + docs + "; no help was written. Fix the markdown (PlatyPS 0.14 schema) and build again.");
                return 1;
            }

            Directory.CreateDirectory(output);
            foreach (IGrouping<string, CommandHelp> helpFile in commands.GroupBy(c => c.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
            {
                string path = Path.Combine(output, helpFile.Key);
                OutputFile.Write(path, MamlWriter.Write(helpFile.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)));
                log.WriteLine("WandbRunOps.HelpBuilder: " + path + " (" + helpFile.Count() + " commands)");
            }

            foreach (AboutTopic topic in abouts)
            {
                string path = Path.Combine(output, topic.Name + ".help.txt");
                OutputFile.Write(path, AboutTopicWriter.Write(topic));
                log.WriteLine("WandbRunOps.HelpBuilder: " + path);
            }

            return 0;
        }
    }

    /// <summary>A problem in a markdown file, printed in the canonical form MSBuild turns into a build error.</summary>
    public sealed class HelpDiagnostic
    {
        public HelpDiagnostic(string file, int line, string message, bool warning = false)
        {
            File = file;
            Line = line;
            Message = message;
            IsWarning = warning;
        }

        /// <summary>A warning is printed but does not stop the help from being written.</summary>
        public bool IsWarning { get; }

        public string File { get; }

        /// <summary>1-based; 0 when the problem is the whole file.</summary>
        public int Line { get; }

        public string Message { get; }

        public override string ToString() => (Line > 0 ? File + "(" + Line + ")" : File) + (IsWarning ? ": warning WRHELP: " : ": error WRHELP: ") + Message;
    }

    internal static class OutputFile
    {
        /// <summary>Writes UTF-8 with a byte order mark (Windows PowerShell 5.1 reads help text without one as ANSI), through a temporary file so a reader never sees half a file.</summary>
        public static void Write(string path, string text)
        {
            string temporary = path + ".tmp";
            System.IO.File.WriteAllText(temporary, text, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            System.IO.File.Move(temporary, path, overwrite: true);
        }
    }
}
