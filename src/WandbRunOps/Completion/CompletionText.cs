using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>One value a completer can offer: the text as the command should receive it, and a tooltip.</summary>
    internal sealed class CompletionCandidate
    {
        public CompletionCandidate(string value, string? toolTip = null)
        {
            Value = value;
            ToolTip = toolTip;
        }

        /// <summary>The value itself, unquoted and unescaped.</summary>
        public string Value { get; }

        public string? ToolTip { get; }
    }

    /// <summary>
    /// The text side of completion: the typed word without its quotes, matching with
    /// <c>WildcardPattern.Get(word + "*")</c>, and results quoted the way PowerShell needs (keeping the user's quote).
    /// </summary>
    internal static class CompletionText
    {
        private const string SingleQuotes = "'\u2018\u2019\u201a\u201b";
        private const string DoubleQuotes = "\"\u201c\u201d\u201e";

        /// <summary>The typed word without a leading quote (and its closing one), and that quote, if any.</summary>
        public static string Unquote(string? word, out char? quote)
        {
            quote = null;
            string text = word ?? string.Empty;
            if (text.Length > 0 && (SingleQuotes.IndexOf(text[0]) >= 0 || DoubleQuotes.IndexOf(text[0]) >= 0))
            {
                quote = SingleQuotes.IndexOf(text[0]) >= 0 ? '\'' : '"';
                text = text.Substring(1);
                string same = quote == '\'' ? SingleQuotes : DoubleQuotes;
                if (text.Length > 0 && same.IndexOf(text[text.Length - 1]) >= 0)
                {
                    text = text.Substring(0, text.Length - 1);
                }
            }

            return text;
        }

        /// <summary>
        /// The candidates that start with the typed word (wildcards in it work, case-insensitive), distinct, in
        /// case-insensitive order, as completion results. For a parameter that takes wildcards, the wildcard characters
        /// of a value are escaped so it is matched literally.
        /// </summary>
        public static List<CompletionResult> Results(IEnumerable<CompletionCandidate> candidates, string? wordToComplete, bool wildcardParameter)
        {
            string word = Unquote(wordToComplete, out char? quote);
            WildcardPattern pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var results = new List<CompletionResult>();
            foreach (CompletionCandidate candidate in candidates.OrderBy(c => c.Value, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Value, StringComparer.Ordinal))
            {
                if (string.IsNullOrEmpty(candidate.Value) || !pattern.IsMatch(candidate.Value) || !seen.Add(candidate.Value))
                {
                    continue;
                }

                string argument = wildcardParameter ? WildcardPattern.Escape(candidate.Value) : candidate.Value;
                string toolTip = string.IsNullOrEmpty(candidate.ToolTip) ? candidate.Value : candidate.ToolTip!;
                results.Add(new CompletionResult(Quote(argument, quote), candidate.Value, CompletionResultType.ParameterValue, toolTip));
            }

            return results;
        }

        /// <summary>
        /// The argument as it must be typed: in the user's quote when they typed one, else bare when PowerShell reads
        /// it back as exactly this text, else in single quotes.
        /// </summary>
        public static string Quote(string argument, char? quote)
        {
            if (quote == '"')
            {
                var builder = new StringBuilder("\"");
                foreach (char c in argument)
                {
                    if (c == '`' || c == '$' || DoubleQuotes.IndexOf(c) >= 0)
                    {
                        builder.Append('`');
                    }

                    builder.Append(c);
                }

                return builder.Append('"').ToString();
            }

            return quote == '\'' || NeedsQuotes(argument) ? "'" + CodeGeneration.EscapeSingleQuotedStringContent(argument) + "'" : argument;
        }

        /// <summary>
        /// True unless PowerShell parses the text, as a command argument, into one bareword string equal to it. That is
        /// PowerShell's own rule, so spaces, quotes, $, @, commas, parentheses, braces, ;, |, &amp;, #, backticks, a leading
        /// dash and numbers (1e3 would arrive as 1000) are quoted, and data.augment or model:latest are not.
        /// </summary>
        public static bool NeedsQuotes(string text)
        {
            if (text.Length == 0)
            {
                return true;
            }

            ScriptBlockAst ast = Parser.ParseInput("x " + text, out _, out ParseError[] errors);
            return !(errors.Length == 0 &&
                     ast.BeginBlock is null && ast.ProcessBlock is null && ast.DynamicParamBlock is null &&
                     ast.EndBlock?.Statements.Count == 1 &&
                     ast.EndBlock.Statements[0] is PipelineAst pipeline &&
                     pipeline.PipelineElements.Count == 1 &&
                     pipeline.PipelineElements[0] is CommandAst command &&
                     command.Redirections.Count == 0 &&
                     command.CommandElements.Count == 2 &&
                     command.CommandElements[1] is StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord } bare &&
                     string.Equals(bare.Value, text, StringComparison.Ordinal));
        }
    }
}
