using System;
using System.Text;
using Markdig.Syntax.Inlines;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>Turns markdown inline content into the text a console shows.</summary>
    internal static class Inlines
    {
        /// <summary>
        /// For MAML: code spans keep their backticks (as PlatyPS and PowerShell's own help do), emphasis marks go,
        /// soft line breaks become spaces (the console wraps), and a link shows its text followed by its address
        /// when the address is absolute.
        /// </summary>
        public static string Maml(ContainerInline? inline) => Render(inline, keepCodeTicks: true);

        /// <summary>For about_ topics and headings: as <see cref="Maml"/>, without the backticks.</summary>
        public static string Plain(ContainerInline? inline) => Render(inline, keepCodeTicks: false);

        private static string Render(ContainerInline? inline, bool keepCodeTicks)
        {
            var text = new StringBuilder();
            Append(text, inline, keepCodeTicks);
            return text.ToString();
        }

        private static void Append(StringBuilder text, ContainerInline? container, bool keepCodeTicks)
        {
            if (container is null)
            {
                return;
            }

            foreach (Inline inline in container)
            {
                switch (inline)
                {
                    case LiteralInline literal:
                        text.Append(literal.Content.ToString());
                        break;
                    case CodeInline code:
                        if (keepCodeTicks)
                        {
                            string fence = code.Content.Contains('`') ? "``" : "`";
                            string pad = code.Content.StartsWith('`') || code.Content.EndsWith('`') ? " " : string.Empty;
                            text.Append(fence).Append(pad).Append(code.Content).Append(pad).Append(fence);
                        }
                        else
                        {
                            text.Append(code.Content);
                        }

                        break;
                    case LineBreakInline lineBreak:
                        text.Append(lineBreak.IsHard ? "\n" : " ");
                        break;
                    case AutolinkInline autolink:
                        text.Append(autolink.Url);
                        break;
                    case LinkInline link:
                        AppendLink(text, link, keepCodeTicks);
                        break;
                    case HtmlEntityInline entity:
                        text.Append(entity.Transcoded.ToString());
                        break;
                    case HtmlInline html:
                        // <key>-style placeholders in prose parse as HTML tags; they are text here. Comments go.
                        if (!html.Tag.StartsWith("<!--", StringComparison.Ordinal))
                        {
                            text.Append(html.Tag);
                        }

                        break;
                    case EmphasisInline emphasis when emphasis.DelimiterChar == '_':
                        // In technical prose an underscore pair is nearly always part of a name ($_.Id,
                        // run-<date>_<time>, _step), which CommonMark reads as emphasis: keep the underscores.
                        string delimiter = new string('_', emphasis.DelimiterCount);
                        text.Append(delimiter);
                        Append(text, emphasis, keepCodeTicks);
                        text.Append(delimiter);
                        break;
                    case ContainerInline nested:
                        Append(text, nested, keepCodeTicks);
                        break;
                    default:
                        text.Append(inline.ToString());
                        break;
                }
            }
        }

        private static void AppendLink(StringBuilder text, LinkInline link, bool keepCodeTicks)
        {
            var label = new StringBuilder();
            Append(label, link, keepCodeTicks);
            string url = link.Url ?? string.Empty;
            text.Append(label);
            if (!link.IsImage && IsAbsolute(url) && !string.Equals(label.ToString(), url, StringComparison.OrdinalIgnoreCase))
            {
                text.Append(" (").Append(url).Append(')');
            }
        }

        /// <summary>An address a reader can open: http(s) or mailto. Relative links (Get-RunConfig.md) point into the markdown folder, which is not installed.</summary>
        public static bool IsAbsolute(string url) =>
            Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);
    }
}
