using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Help
{
    /// <summary>
    /// The help builder (tools/WandbRunOps.HelpBuilder), which the build runs after LayOutModule: what it writes,
    /// and how it fails on malformed markdown.
    /// </summary>
    public class HelpBuilderTests
    {
        private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
        private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        [Fact]
        public void ShippedHelpIsCompiledFromTheCurrentMarkdown()
        {
            using var temp = new TempDirectory();
            (int exitCode, string output) = HelpPaths.RunBuilder(HelpPaths.Docs, temp.Combine("en-US"));
            Assert.True(exitCode == 0, output);
            foreach (string file in new[] { "WandbRunOps.dll-Help.xml", "about_WandbRunOps.help.txt" })
            {
                string shipped = Path.Combine(HelpPaths.CompiledHelp, file);
                Assert.True(File.Exists(shipped), shipped + " is missing: `dotnet build` did not compile the help");
                Assert.True(File.ReadAllBytes(temp.Combine("en-US", file)).SequenceEqual(File.ReadAllBytes(shipped)), shipped + " is not what docs/en-US compiles to now");
            }

            Assert.Equal(new[] { "WandbRunOps.dll-Help.xml", "about_WandbRunOps.help.txt" }, Directory.GetFiles(temp.Combine("en-US")).Select(Path.GetFileName).OrderBy(n => n, System.StringComparer.Ordinal));
        }

        [Fact]
        public void MamlHasThePowerShellCommandHelpShape()
        {
            XDocument maml = XDocument.Load(HelpPaths.Maml);
            XElement root = maml.Root!;
            Assert.Equal(XName.Get("helpItems", "http://msh"), root.Name);
            Assert.Equal("maml", (string?)root.Attribute("schema"));
            XElement[] commands = root.Elements(XName.Get("command", Command)).ToArray();
            Assert.Equal(Directory.GetFiles(HelpPaths.Docs, "*-*.md").Length, commands.Length);

            XElement getRun = commands.Single(c => c.Element(XName.Get("details", Command))!.Element(XName.Get("name", Command))!.Value == "Get-WandbRun");
            XElement details = getRun.Element(XName.Get("details", Command))!;
            Assert.Equal("Get", details.Element(XName.Get("verb", Command))!.Value);
            Assert.Equal("WandbRun", details.Element(XName.Get("noun", Command))!.Value);
            Assert.Equal(HelpPage.Of("Get-WandbRun").Synopsis, details.Element(XName.Get("description", Maml))!.Element(XName.Get("para", Maml))!.Value);

            // One syntax item per parameter set (Path, LiteralPath, Project), each with that set's parameters.
            XElement[] items = getRun.Element(XName.Get("syntax", Command))!.Elements(XName.Get("syntaxItem", Command)).ToArray();
            Assert.Equal(3, items.Length);
            string[] Names(XElement item) => item.Elements(XName.Get("parameter", Command)).Select(p => p.Element(XName.Get("name", Maml))!.Value).ToArray();
            Assert.Contains("LiteralPath", Names(items[1]));
            Assert.DoesNotContain("Path", Names(items[1]));
            Assert.Contains("Project", Names(items[2]));
            Assert.Equal("Id", Names(items[0])[0]);
            Assert.Contains("Path", Names(items[0]));

            XElement project = items[2].Elements(XName.Get("parameter", Command)).Single(p => p.Element(XName.Get("name", Maml))!.Value == "Project");
            Assert.Equal("true", (string?)project.Attribute("required"));
            Assert.Equal("named", (string?)project.Attribute("position"));
            Assert.Equal("String", project.Element(XName.Get("parameterValue", Command))!.Value);
            Assert.Equal("String", project.Element(XName.Get("type", Dev))!.Element(XName.Get("name", Maml))!.Value);

            XElement firstExample = getRun.Element(XName.Get("examples", Command))!.Elements(XName.Get("example", Command)).First();
            Assert.Equal(HelpPage.Of("Get-WandbRun").FirstExampleCode, firstExample.Element(XName.Get("code", Dev))!.Value);
            Assert.NotNull(firstExample.Element(XName.Get("remarks", Dev))!.Element(XName.Get("para", Maml)));
            Assert.NotNull(getRun.Element(XName.Get("alertSet", Maml)));
            Assert.NotEmpty(getRun.Element(XName.Get("inputTypes", Command))!.Elements(XName.Get("inputType", Command)));
            Assert.NotEmpty(getRun.Element(XName.Get("returnValues", Command))!.Elements(XName.Get("returnValue", Command)));
            Assert.NotEmpty(getRun.Element(XName.Get("relatedLinks", Command))!.Elements(XName.Get("navigationLink", Maml)));
        }

        [Fact]
        public void AboutTopicIsPlainTextWrappedAtEightyColumns()
        {
            string[] lines = File.ReadAllText(HelpPaths.AboutTopic).Split('\n');
            Assert.Equal("TOPIC", lines[0].TrimStart('\uFEFF'));
            Assert.Equal("    about_WandbRunOps", lines[1]);
            Assert.Contains("SHORT DESCRIPTION", lines);
            Assert.Contains("LONG DESCRIPTION", lines);
            Assert.Contains("THE TWO SOURCES", lines);
            Assert.Contains("SEE ALSO", lines);

            // Prose sits four spaces in and fits in 80 columns; only code (eight spaces in) may be longer.
            Assert.All(lines.Where(l => !l.StartsWith("        ", System.StringComparison.Ordinal)), l => Assert.True(l.Length <= 80, "too long: " + l));
            Assert.Contains("        Get-WandbRun | Group-Object State -NoElement", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith("#", System.StringComparison.Ordinal) || l.Contains("```"));
        }

        [Fact]
        public void MalformedMarkdownFailsWithTheFileAndLineAndWritesNothing()
        {
            using var temp = new TempDirectory();
            string docs = temp.CopyFrom(HelpPaths.Docs, "docs");
            string page = Path.Combine(docs, "Get-WandbRun.md");
            string text = File.ReadAllText(page).Replace("\r\n", "\n");
            string broken = Regex.Replace(text, @"(### -Id\n.*?^)Required: False", "$1Required: Sometimes", RegexOptions.Singleline | RegexOptions.Multiline);
            broken = broken.Replace("## SYNOPSIS\n", "## SYNOPSYS\n");
            File.WriteAllText(page, broken);
            int LineOf(string what) => broken.Substring(0, broken.IndexOf(what, System.StringComparison.Ordinal)).Count(c => c == '\n') + 1;

            (int exitCode, string output) = HelpPaths.RunBuilder(docs, temp.Combine("out"));

            Assert.True(exitCode == 1, output);
            Assert.Contains(page + "(" + LineOf("Required: Sometimes") + "): error WRHELP: -Id: 'Required: Sometimes' is neither True nor False.", output);
            Assert.Contains(page + "(" + LineOf("## SYNOPSYS") + "): error WRHELP: unknown section '## SYNOPSYS'", output);
            Assert.Contains("error WRHELP: the '## SYNOPSIS' section is missing.", output);
            Assert.Contains("no help was written", output);
            Assert.False(Directory.Exists(temp.Combine("out")) && Directory.EnumerateFileSystemEntries(temp.Combine("out")).Any());
        }

        [Fact]
        public void YamlThatIsNotKeyValueFailsAtItsLine()
        {
            using var temp = new TempDirectory();
            string docs = temp.CopyFrom(HelpPaths.Docs, "docs");
            string page = Path.Combine(docs, "Get-WandbRun.md");
            string text = File.ReadAllText(page).Replace("\r\n", "\n");
            string broken = Regex.Replace(text, @"(### -Id\n.*?^)Position: 0\n", "$1Position: 0\nPosition: 1\n", RegexOptions.Singleline | RegexOptions.Multiline);
            broken = Regex.Replace(broken, @"(### -Skip\n.*?^)Required: False\n", "$1Required False\n", RegexOptions.Singleline | RegexOptions.Multiline);
            broken = broken.Replace("external help file: WandbRunOps.dll-Help.xml\n", "external help file: [WandbRunOps.dll-Help.xml\n");
            File.WriteAllText(page, broken);
            int LineOf(string what) => broken.Substring(0, broken.IndexOf(what, System.StringComparison.Ordinal)).Count(c => c == '\n') + 1;

            (int exitCode, string output) = HelpPaths.RunBuilder(docs, temp.Combine("out"));

            Assert.True(exitCode == 1, output);
            Assert.Contains(page + "(" + LineOf("Position: 1") + "): error WRHELP: -Id: not 'Key: value' yaml (Duplicate key", output);
            Assert.Matches(Regex.Escape(page) + @"\(\d+\): error WRHELP: -Skip: not 'Key: value' yaml \(", output);
            Assert.Contains(page + "(2): error WRHELP: the front matter: not 'Key: value' yaml (", output);
            Assert.Contains("no help was written", output);
        }

        [Fact]
        public void ParameterSetsThatDisagreeWithTheSyntaxFail()
        {
            using var temp = new TempDirectory();
            string docs = temp.CopyFrom(HelpPaths.Docs, "docs");
            string page = Path.Combine(docs, "Get-RunConfig.md");
            string text = File.ReadAllText(page).Replace("\r\n", "\n");
            File.WriteAllText(page, Regex.Replace(text, @"(### -Run\n.*?^)Parameter Sets: Run", "$1Parameter Sets: Runs", RegexOptions.Singleline | RegexOptions.Multiline));

            (int exitCode, string output) = HelpPaths.RunBuilder(docs, temp.Combine("out"));

            Assert.True(exitCode == 1, output);
            Assert.Contains("-Run names the parameter set 'Runs', which has no syntax block under SYNTAX (Path, Run)", output);
        }
    }
}
