using System.Collections.Generic;
using System.Linq;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>
    /// Turns markdown blocks into MAML paragraphs (maml:para). PowerShell trims each paragraph and lets the
    /// console wrap it, so a paragraph is one logical line; a list or a code block is one paragraph whose lines
    /// are joined with line feeds, which keeps list items and code lines together and their indentation intact.
    /// </summary>
    internal static class MamlText
    {
        public static List<string> Paragraphs(IEnumerable<Block> blocks)
        {
            var paragraphs = new List<string>();
            foreach (Block block in blocks)
            {
                string? text = Paragraph(block);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    paragraphs.Add(text!);
                }
            }

            return paragraphs;
        }

        private static string? Paragraph(Block block)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    return Inlines.Maml(paragraph.Inline).Trim();
                case HeadingBlock heading:
                    return Inlines.Maml(heading.Inline).Trim();
                case CodeBlock code:
                    return Blocks.Code(code);
                case ListBlock list:
                    var lines = new List<string>();
                    AppendList(lines, list, string.Empty);
                    return string.Join("\n", lines);
                case QuoteBlock quote:
                    return string.Join("\n\n", Paragraphs(quote));
                case Table table:
                    return string.Join("\n", table.OfType<TableRow>().Select(row => string.Join(" | ", row.OfType<TableCell>().Select(cell => string.Join(" ", Paragraphs(cell))))));
                case HtmlBlock html:
                    return Blocks.IsComment(html) ? null : Blocks.Code(html);
                case ContainerBlock container:
                    return string.Join("\n\n", Paragraphs(container));
                default:
                    return null;
            }
        }

        private static void AppendList(List<string> lines, ListBlock list, string indent)
        {
            int number = list.IsOrdered && int.TryParse(list.OrderedStart, out int start) ? start : 1;
            foreach (ListItemBlock item in list.OfType<ListItemBlock>())
            {
                string marker = list.IsOrdered ? number++ + ". " : "- ";
                string hanging = indent + new string(' ', marker.Length);
                bool first = true;
                foreach (Block child in item)
                {
                    if (child is ListBlock nested)
                    {
                        AppendList(lines, nested, hanging);
                        continue;
                    }

                    string? text = Paragraph(child);
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        continue;
                    }

                    var itemLines = text!.Split('\n');
                    for (int i = 0; i < itemLines.Length; i++)
                    {
                        string prefix = first && i == 0 ? indent + marker : hanging;
                        lines.Add(prefix + itemLines[i]);
                    }

                    first = false;
                }
            }
        }
    }
}
