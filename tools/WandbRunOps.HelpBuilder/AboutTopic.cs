using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>An about_ topic page: "# about_Name", then "## SHORT DESCRIPTION", "## LONG DESCRIPTION" and further sections.</summary>
    public sealed class AboutTopic
    {
        public AboutTopic(string name, Outline outline)
        {
            Name = name;
            Outline = outline;
        }

        public string Name { get; }

        public Outline Outline { get; }
    }

    public static class AboutTopicReader
    {
        public static AboutTopic? Read(MarkdownSource source, List<HelpDiagnostic> diagnostics)
        {
            int before = diagnostics.Count;
            void Error(int line, string message) => diagnostics.Add(new HelpDiagnostic(source.Path, line, message));

            string fileName = Path.GetFileName(source.Path);
            if (!fileName.EndsWith(".help.md", StringComparison.OrdinalIgnoreCase))
            {
                Error(0, "an about topic's file is named about_<Topic>.help.md, so that it becomes about_<Topic>.help.txt.");
                return null;
            }

            string name = fileName.Substring(0, fileName.Length - ".help.md".Length);
            Outline outline = source.Outline();
            if (outline.Title is null)
            {
                Error(1, "there is no '# " + name + "' title.");
                return null;
            }

            if (!string.Equals(outline.Title, name, StringComparison.OrdinalIgnoreCase))
            {
                Error(outline.TitleLine, "the title '# " + outline.Title + "' does not match the file name " + fileName + ".");
            }

            foreach (Block stray in outline.Stray)
            {
                Error(stray.Line + 1, "content outside a section: everything after the title belongs under a '## SECTION' heading.");
            }

            Section? shortDescription = outline.Sections.FirstOrDefault(s => string.Equals(s.Title, "SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase));
            if (shortDescription is null)
            {
                Error(outline.TitleLine, "the '## SHORT DESCRIPTION' section is missing (Get-Help shows it as the topic's synopsis).");
            }
            else if (shortDescription.Blocks.Count(b => b is ParagraphBlock) == 0)
            {
                Error(shortDescription.Line, "the SHORT DESCRIPTION is empty.");
            }
            else if (outline.Sections.IndexOf(shortDescription) != 0)
            {
                Error(shortDescription.Line, "SHORT DESCRIPTION must be the first section.");
            }

            if (!outline.Sections.Any(s => string.Equals(s.Title, "LONG DESCRIPTION", StringComparison.OrdinalIgnoreCase)))
            {
                Error(outline.TitleLine, "the '## LONG DESCRIPTION' section is missing.");
            }

            return diagnostics.Count == before ? new AboutTopic(outline.Title, outline) : null;
        }
    }

    /// <summary>
    /// Writes an about topic as the plain text Get-Help shows: section headings upper-cased at the margin
    /// (TOPIC, SHORT DESCRIPTION, LONG DESCRIPTION, ...), subsection headings underlined, text indented by four
    /// spaces and wrapped at 80 columns, code indented by four more and never wrapped.
    /// </summary>
    public static class AboutTopicWriter
    {
        public const int Width = 80;

        private const int Indent = 4;

        public static string Write(AboutTopic topic)
        {
            var text = new TextBuffer();
            text.Line("TOPIC");
            text.Line(new string(' ', Indent) + topic.Name);
            foreach (Section section in topic.Outline.Sections)
            {
                text.Blank();
                text.Line(section.Title.ToUpperInvariant());
                WriteBlocks(text, section.Blocks, Indent);
                foreach (Subsection subsection in section.Subsections)
                {
                    text.Blank();
                    text.Line(new string(' ', Indent) + subsection.Title);
                    text.Line(new string(' ', Indent) + new string('-', subsection.Title.Length));
                    WriteBlocks(text, subsection.Blocks, Indent);
                }
            }

            return text.ToString();
        }

        private static void WriteBlocks(TextBuffer text, IEnumerable<Block> blocks, int indent, bool tight = false)
        {
            bool first = true;
            foreach (Block block in blocks)
            {
                if (Blocks.IsComment(block) || block is ThematicBreakBlock || block is LinkReferenceDefinitionGroup)
                {
                    continue;
                }

                if (!first && !tight)
                {
                    text.Blank();
                }

                WriteBlock(text, block, indent, string.Empty);
                first = false;
            }
        }

        private static void WriteBlock(TextBuffer text, Block block, int indent, string marker)
        {
            string pad = new string(' ', indent);
            switch (block)
            {
                case HeadingBlock heading:
                    // Level 4 and deeper: a heading line in the text's own indentation.
                    text.Wrapped(Inlines.Plain(heading.Inline).Trim(), pad + marker, new string(' ', indent + marker.Length));
                    break;
                case ParagraphBlock paragraph:
                    text.Wrapped(Inlines.Plain(paragraph.Inline).Trim(), pad + marker, new string(' ', indent + marker.Length));
                    break;
                case CodeBlock code:
                    if (marker.Length > 0)
                    {
                        text.Line(pad + marker.TrimEnd());
                    }

                    foreach (string line in Blocks.Code(code).Split('\n'))
                    {
                        text.Line(line.Length == 0 ? string.Empty : pad + new string(' ', marker.Length + Indent) + line);
                    }

                    break;
                case ListBlock list:
                    WriteList(text, list, indent + marker.Length);
                    break;
                case QuoteBlock quote:
                    WriteBlocks(text, quote, indent + marker.Length + Indent);
                    break;
                case Table table:
                    WriteTable(text, table, indent + marker.Length);
                    break;
                case HtmlBlock html:
                    foreach (string line in Blocks.Code(html).Split('\n'))
                    {
                        text.Line(pad + line);
                    }

                    break;
                case ContainerBlock container:
                    WriteBlocks(text, container, indent + marker.Length);
                    break;
            }
        }

        private static void WriteList(TextBuffer text, ListBlock list, int indent)
        {
            int number = list.IsOrdered && int.TryParse(list.OrderedStart, out int start) ? start : 1;
            bool firstItem = true;
            foreach (ListItemBlock item in list.OfType<ListItemBlock>())
            {
                if (!firstItem && list.IsLoose)
                {
                    text.Blank();
                }

                firstItem = false;
                string marker = list.IsOrdered ? number++ + ". " : "- ";
                bool firstBlock = true;
                foreach (Block child in item)
                {
                    if (!firstBlock && (list.IsLoose || child is not ListBlock))
                    {
                        text.Blank();
                    }

                    if (firstBlock)
                    {
                        WriteBlock(text, child, indent, marker);
                    }
                    else
                    {
                        WriteBlock(text, child, indent + marker.Length, string.Empty);
                    }

                    firstBlock = false;
                }
            }
        }

        /// <summary>
        /// A table that fits in the width is drawn with aligned columns; a wider one becomes one entry per row: the
        /// first cell, then "Header: value" for the other cells, wrapped beneath it.
        /// </summary>
        private static void WriteTable(TextBuffer text, Table table, int indent)
        {
            List<List<string>> rows = table.OfType<TableRow>()
                .Select(row => row.OfType<TableCell>().Select(cell => string.Join(" ", cell.OfType<ParagraphBlock>().Select(p => Inlines.Plain(p.Inline).Trim()))).ToList())
                .ToList();
            if (rows.Count == 0)
            {
                return;
            }

            int columns = rows.Max(r => r.Count);
            foreach (List<string> row in rows)
            {
                while (row.Count < columns)
                {
                    row.Add(string.Empty);
                }
            }

            int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
            string pad = new string(' ', indent);
            bool header = table.OfType<TableRow>().First().IsHeader;
            if (indent + widths.Sum() + (2 * (columns - 1)) <= Width)
            {
                for (int r = 0; r < rows.Count; r++)
                {
                    text.Line((pad + string.Join("  ", rows[r].Select((cell, c) => cell.PadRight(widths[c])))).TrimEnd());
                    if (r == 0 && header)
                    {
                        text.Line(pad + string.Join("  ", widths.Select(w => new string('-', w))));
                    }
                }

                return;
            }

            List<string> headers = header ? rows[0] : Enumerable.Range(0, columns).Select(_ => string.Empty).ToList();
            bool firstEntry = true;
            foreach (List<string> row in header ? rows.Skip(1) : rows)
            {
                if (!firstEntry)
                {
                    text.Blank();
                }

                firstEntry = false;
                text.Wrapped(row[0], pad, pad);
                string inner = new string(' ', indent + Indent);
                for (int c = 1; c < columns; c++)
                {
                    if (row[c].Length == 0)
                    {
                        continue;
                    }

                    string label = headers[c].Length > 0 ? headers[c] + ": " : string.Empty;
                    text.Wrapped(label + row[c], inner, inner + new string(' ', Indent));
                }
            }
        }

        /// <summary>Collects lines; "\n" line ends, no trailing spaces, at most one blank line in a row.</summary>
        private sealed class TextBuffer
        {
            private readonly StringBuilder _text = new StringBuilder();
            private bool _blankPending;

            public void Blank() => _blankPending = true;

            public void Line(string line)
            {
                if (_blankPending && _text.Length > 0)
                {
                    _text.Append('\n');
                }

                _blankPending = false;
                _text.Append(line.TrimEnd()).Append('\n');
            }

            /// <summary>Word-wraps at <see cref="Width"/>: the first line starts with <paramref name="first"/>, the rest with <paramref name="rest"/>. Hard line breaks stay.</summary>
            public void Wrapped(string paragraph, string first, string rest)
            {
                string prefix = first;
                foreach (string hardLine in paragraph.Split('\n'))
                {
                    var line = new StringBuilder(prefix);
                    bool hasWord = false;
                    foreach (string word in hardLine.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (hasWord && line.Length + 1 + word.Length > Width)
                        {
                            Line(line.ToString());
                            line.Clear().Append(rest);
                            hasWord = false;
                        }

                        line.Append(hasWord ? " " : string.Empty).Append(word);
                        hasWord = true;
                    }

                    Line(line.ToString());
                    prefix = rest;
                }
            }

            public override string ToString() => _text.ToString();
        }
    }
}
