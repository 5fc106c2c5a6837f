using System.Text;
using System.Text.RegularExpressions;

namespace WandbRunOps.Values
{
    /// <summary>
    /// PowerShell wildcard patterns (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>, backtick escapes), case-insensitive,
    /// as <c>-like</c> and <c>WildcardPattern</c> read them. Core has no PowerShell reference, so it keeps its own
    /// matcher; compiled to a regular expression so the API source can send the same pattern server-side.
    /// </summary>
    public sealed class Wildcard
    {
        private readonly Regex _regex;

        public Wildcard(string pattern)
        {
            Pattern = pattern;
            RegexText = ToRegex(pattern);
            _regex = new Regex(RegexText, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        public string Pattern { get; }

        /// <summary>The anchored regular expression equivalent to the pattern.</summary>
        public string RegexText { get; }

        /// <summary>True when the text has wildcard characters (so an unmatched pattern is not an error).</summary>
        public static bool IsPattern(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '`')
                {
                    i++;
                    continue;
                }

                if (c == '*' || c == '?' || c == '[')
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The literal text a pattern without wildcards stands for (backtick escapes removed).</summary>
        public static string Unescape(string text)
        {
            var builder = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '`' && i + 1 < text.Length)
                {
                    i++;
                }

                builder.Append(text[i]);
            }

            return builder.ToString();
        }

        public bool IsMatch(string? text) => text is not null && _regex.IsMatch(text);

        private static string ToRegex(string pattern)
        {
            var builder = new StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                switch (c)
                {
                    case '`':
                        if (i + 1 < pattern.Length)
                        {
                            builder.Append(Regex.Escape(pattern[++i].ToString()));
                        }
                        else
                        {
                            builder.Append(Regex.Escape("`"));
                        }

                        break;
                    case '*':
                        builder.Append(".*");
                        break;
                    case '?':
                        builder.Append('.');
                        break;
                    case '[':
                        int close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            builder.Append(Regex.Escape("["));
                            break;
                        }

                        builder.Append('[');
                        for (int j = i + 1; j < close; j++)
                        {
                            char member = pattern[j];
                            builder.Append(member == '-' || char.IsLetterOrDigit(member) ? member.ToString() : Regex.Escape(member.ToString()).Replace("]", "\\]"));
                        }

                        builder.Append(']');
                        i = close;
                        break;
                    default:
                        builder.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return builder.Append('$').ToString();
        }
    }
}
