using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WandbRunOps.Errors;

namespace WandbRunOps.Values
{
    /// <summary>
    /// PowerShell wildcard patterns (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>, backtick escapes), case-insensitive,
    /// read exactly as <c>WildcardPattern</c> reads them: an unclosed <c>[</c> (so also <c>[]</c>) and a backwards range
    /// (<c>[b-a]</c>) are invalid, a <c>]</c> right after <c>[</c> is a member, <c>-</c> is a range only between two
    /// members, a backtick escapes any character (inside brackets too), and a pattern of one backtick is the empty
    /// pattern. Core has no PowerShell reference, so it keeps its own parser; a property test holds it to
    /// <c>WildcardPattern</c>. It compiles to a regular expression that .NET and RE2 (W&amp;B's server) read alike, so
    /// the API source can send the same pattern server-side.
    /// </summary>
    public sealed class Wildcard
    {
        private readonly Regex _regex;

        /// <exception cref="WandbException">InvalidArgument: the pattern is not a valid wildcard pattern.</exception>
        public Wildcard(string pattern)
        {
            Pattern = pattern;
            RegexText = ToRegex(pattern);
            _regex = new Regex(RegexText, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        public string Pattern { get; }

        /// <summary>The anchored regular expression equivalent to the pattern (case-sensitive; callers add <c>(?i)</c>).</summary>
        public string RegexText { get; }

        /// <summary>
        /// True when the text has wildcard characters (<c>* ? [ ]</c> not escaped), as
        /// <c>WildcardPattern.ContainsWildcardCharacters</c> says; an unmatched pattern is then not an error.
        /// </summary>
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

                if (c == '*' || c == '?' || c == '[' || c == ']')
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The literal text a pattern without wildcards matches (backtick escapes removed, as the pattern reads them).</summary>
        public static string Unescape(string text)
        {
            if (text == "`")
            {
                return string.Empty;
            }

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

        /// <summary>WildcardPattern's parser (PowerShell's WildcardPatternParser.Parse), writing a regular expression.</summary>
        private static string ToRegex(string pattern)
        {
            var regex = new StringBuilder("^");
            bool escaped = false;
            bool openedJustNow = false;
            StringBuilder? members = null;
            StringBuilder? ranges = null;
            foreach (char c in pattern)
            {
                if (members is not null)
                {
                    if (c == ']' && !openedJustNow && !escaped)
                    {
                        AppendBracket(regex, members.ToString(), ranges!.ToString(), pattern);
                        members = null;
                        ranges = null;
                    }
                    else if (c != '`' || escaped)
                    {
                        members.Append(c);
                        ranges!.Append(c == '-' && !escaped ? '-' : ' ');
                    }

                    openedJustNow = false;
                }
                else if (c == '*' && !escaped)
                {
                    regex.Append(".*");
                }
                else if (c == '?' && !escaped)
                {
                    regex.Append('.');
                }
                else if (c == '[' && !escaped)
                {
                    members = new StringBuilder();
                    ranges = new StringBuilder();
                    openedJustNow = true;
                }
                else if (c != '`' || escaped)
                {
                    AppendLiteral(regex, c);
                }

                escaped = c == '`' && !escaped;
            }

            if (members is not null)
            {
                throw Invalid(pattern, "a '[' is not closed by ']'");
            }

            // A trailing backtick escapes nothing and stands for itself; the pattern "`" alone is the empty pattern.
            if (escaped && pattern != "`")
            {
                AppendLiteral(regex, '`');
            }

            // \z, not $: $ would also match before a final newline.
            return regex.Append("\\z").ToString();
        }

        /// <summary>A [...] set: a '-' (not escaped) between two members makes a range of them; any other character is a member.</summary>
        private static void AppendBracket(StringBuilder regex, string members, string ranges, string pattern)
        {
            regex.Append('[');
            for (int i = 0; i < members.Length; i++)
            {
                if (i + 2 < members.Length && ranges[i + 1] == '-')
                {
                    char low = members[i];
                    char high = members[i + 2];
                    if (low > high)
                    {
                        throw Invalid(pattern, "the range '" + low + "-" + high + "' runs backwards");
                    }

                    AppendLiteral(regex, low);
                    regex.Append('-');
                    AppendLiteral(regex, high);
                    i += 2;
                }
                else
                {
                    AppendLiteral(regex, members[i]);
                }
            }

            regex.Append(']');
        }

        /// <summary>
        /// One character that matches itself, inside or outside a set, written so .NET and RE2 both read it so:
        /// letters, digits and other non-ASCII characters as they are, ASCII punctuation behind a backslash, and
        /// spaces, controls and '-' as \xHH (RE2 refuses a backslash before a space).
        /// </summary>
        private static void AppendLiteral(StringBuilder regex, char c)
        {
            if (char.IsLetterOrDigit(c) || c == '_' || c > '\x7f')
            {
                regex.Append(c);
            }
            else if (c <= ' ' || c == '-' || c == '\x7f')
            {
                regex.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                regex.Append('\\').Append(c);
            }
        }

        private static WandbException Invalid(string pattern, string reason) =>
            new WandbException(
                WandbErrorKind.InvalidArgument,
                "'" + pattern + "' is not a valid wildcard pattern: " + reason + ". To match [ or ] as themselves, escape them with a backtick ('`[').",
                pattern);
    }
}
