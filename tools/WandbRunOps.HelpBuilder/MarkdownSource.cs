using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>One markdown file, parsed, with its front matter and its blocks grouped under their headings.</summary>
    public sealed class MarkdownSource
    {
        private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
            .UseYamlFrontMatter()
            .UsePipeTables()
            .Build();

        public MarkdownSource(string path)
            : this(path, File.ReadAllText(path))
        {
        }

        public MarkdownSource(string path, string text)
        {
            Path = path;
            Text = text.Replace("\r\n", "\n");
            Document = Markdown.Parse(Text, Pipeline);
            FrontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            YamlFrontMatterBlock? yaml = Document.OfType<YamlFrontMatterBlock>().FirstOrDefault();
            if (yaml is not null)
            {
                // The block's first line is its opening --- fence.
                List<YamlEntry>? entries = YamlMapping.Read(
                    Blocks.Code(yaml),
                    yaml.Line + 2,
                    "the front matter",
                    (line, message) => FrontMatterErrors.Add(new HelpDiagnostic(path, line, message)));
                foreach (YamlEntry entry in entries ?? new List<YamlEntry>())
                {
                    FrontMatter[entry.Key] = entry.Value;
                }
            }
        }

        public string Path { get; }

        public string Text { get; }

        public MarkdownDocument Document { get; }

        public IDictionary<string, string> FrontMatter { get; }

        /// <summary>Front matter that is not flat "Key: value" yaml; the page's reader reports these.</summary>
        public List<HelpDiagnostic> FrontMatterErrors { get; } = new List<HelpDiagnostic>();

        /// <summary>
        /// Lists that start on the line right after a paragraph that does not end with a colon. CommonMark (and so
        /// GitHub) lets "1) ", "1. ", "- ", "* " and "+ " start a list in the middle of a paragraph; in hard-wrapped
        /// prose that is nearly always a line that happens to begin with "1)" or "-", not a list.
        /// </summary>
        public IEnumerable<HelpDiagnostic> SuspiciousLists()
        {
            // A list nested in a list item right after the item's text is intended; only look elsewhere.
            foreach (ContainerBlock container in Document.Descendants<ContainerBlock>().Prepend(Document).Where(c => c is not ListItemBlock))
            {
                for (int i = 1; i < container.Count; i++)
                {
                    if (container[i] is ListBlock list && container[i - 1] is ParagraphBlock paragraph)
                    {
                        int end = Math.Min(paragraph.Span.End, Text.Length - 1);
                        int paragraphEndLine = Text.Take(end + 1).Count(c => c == '\n');
                        if (list.Line == paragraphEndLine + 1 && Text[end] != ':')
                        {
                            int lineEnd = Text.IndexOf('\n', list.Span.Start);
                            string first = (lineEnd < 0 ? Text.Substring(list.Span.Start) : Text.Substring(list.Span.Start, lineEnd - list.Span.Start)).Trim();
                            string message = "the line '" + first + "' starts a list in the middle of a paragraph "
                                + "(no blank line before it), so it shows as a list here and on GitHub. If it is prose, "
                                + "rewrap the paragraph so no line starts with a list marker; if it is a list, put a "
                                + "blank line before it.";
                            yield return new HelpDiagnostic(Path, list.Line + 1, message, warning: true);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The document as a tree of headings: the level-1 title, then each level-2 section with the blocks
        /// directly under it and its level-3 subsections. Deeper headings stay blocks of their subsection.
        /// </summary>
        public Outline Outline()
        {
            var outline = new Outline();
            Section? section = null;
            Subsection? subsection = null;
            foreach (Block block in Document)
            {
                if (block is YamlFrontMatterBlock)
                {
                    continue;
                }

                if (block is HeadingBlock heading && heading.Level <= 3)
                {
                    string text = Inlines.Plain(heading.Inline).Trim();
                    int line = heading.Line + 1;
                    if (heading.Level == 1)
                    {
                        if (outline.Title is null)
                        {
                            outline.Title = text;
                            outline.TitleLine = line;
                        }
                        else
                        {
                            outline.Stray.Add(block);
                        }

                        section = null;
                        subsection = null;
                    }
                    else if (heading.Level == 2)
                    {
                        section = new Section(text, line);
                        outline.Sections.Add(section);
                        subsection = null;
                    }
                    else if (section is null)
                    {
                        outline.Stray.Add(block);
                    }
                    else
                    {
                        subsection = new Subsection(text, line);
                        section.Subsections.Add(subsection);
                    }

                    continue;
                }

                if (subsection is not null)
                {
                    subsection.Blocks.Add(block);
                }
                else if (section is not null)
                {
                    section.Blocks.Add(block);
                }
                else if (!Blocks.IsComment(block))
                {
                    outline.Stray.Add(block);
                }
            }

            return outline;
        }
    }

    public sealed class Outline
    {
        public string? Title { get; set; }

        public int TitleLine { get; set; }

        public List<Section> Sections { get; } = new List<Section>();

        /// <summary>Blocks outside any section (before the first level-2 heading), and extra level-1 headings.</summary>
        public List<Block> Stray { get; } = new List<Block>();
    }

    public sealed class Section
    {
        public Section(string title, int line)
        {
            Title = title;
            Line = line;
        }

        public string Title { get; }

        public int Line { get; }

        /// <summary>The blocks before the first level-3 heading.</summary>
        public List<Block> Blocks { get; } = new List<Block>();

        public List<Subsection> Subsections { get; } = new List<Subsection>();
    }

    public sealed class Subsection
    {
        public Subsection(string title, int line)
        {
            Title = title;
            Line = line;
        }

        public string Title { get; }

        public int Line { get; }

        public List<Block> Blocks { get; } = new List<Block>();
    }

    internal static class Blocks
    {
        /// <summary>The raw lines of a leaf block (a code block's code, the front matter's yaml).</summary>
        public static IEnumerable<string> Lines(LeafBlock block)
        {
            var lines = block.Lines;
            for (int i = 0; i < lines.Count; i++)
            {
                string line = lines.Lines[i].ToString();
                // The front matter block keeps its --- fences as lines.
                if (block is YamlFrontMatterBlock && line.Trim() == "---")
                {
                    continue;
                }

                yield return line;
            }
        }

        public static string Code(LeafBlock block) => string.Join("\n", Lines(block)).TrimEnd('\n', ' ');

        public static bool IsComment(Block block) =>
            block is HtmlBlock html && html.Type == HtmlBlockType.Comment;
    }
}
