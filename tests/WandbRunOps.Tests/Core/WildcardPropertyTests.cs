using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Management.Automation;
using FsCheck;
using FsCheck.Fluent;
using WandbRunOps.Errors;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>
    /// The module's wildcard matcher against PowerShell's own WildcardPattern, on random patterns and texts made of the
    /// characters that matter (brackets, ranges, backticks, '*', '?', and characters regular expressions treat
    /// specially): the same matches, the same patterns refused (as WandbInvalidArgument), the same idea of which texts
    /// are patterns at all, and a literal's unescaped text is what its pattern matches.
    /// </summary>
    public sealed class WildcardPropertyTests
    {
        private const WildcardOptions Like = WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant;

        private static readonly char[] PatternCharacters = "abcA1-*?[]`^!\\. $".ToCharArray();

        private static readonly char[] TextCharacters = "abcA1-[]`^!\\. $\n".ToCharArray();

        private static Gen<string> Text(char[] alphabet, int longest) =>
            from length in Gen.Choose(0, longest)
            from chars in Gen.Elements(alphabet).ArrayOf(length)
            select new string(chars);

        [Fact]
        public void MatchesAndRefusesExactlyAsWildcardPatternDoes()
        {
            Gen<(string Pattern, string[] Texts)> cases =
                from pattern in Text(PatternCharacters, 8)
                from texts in Text(TextCharacters, 6).ArrayOf(6)
                select (pattern, texts);

            Prop.ForAll(cases.ToArbitrary(), c =>
            {
                // Texts the pattern is likely to match, besides random ones: its own text, unescaped, and filled in.
                string[] texts = c.Texts.Concat(new[] { c.Pattern, Wildcard.Unescape(c.Pattern), c.Pattern.Replace("`", string.Empty).Replace("*", "ab").Replace("?", "c") }).ToArray();
                var theirs = new WildcardPattern(c.Pattern, Like);
                bool[]? expected;
                try
                {
                    expected = texts.Select(theirs.IsMatch).ToArray();
                }
                catch (WildcardPatternException)
                {
                    expected = null;
                }
                catch (ArgumentException broken) when (broken.GetType().Name == "RegexParseException")
                {
                    // PowerShell's own defect: a range ending in '[' (as in '[1-[]') becomes .NET's set-subtraction
                    // syntax in the regex it builds, and -like throws. PowerShell has no answer to compare with; ours
                    // must still answer (the range as written) or refuse it as a catalogue error, never throw raw.
                    return OursAnswersOrRefuses(c.Pattern, texts).Label("pattern '" + c.Pattern + "': WildcardPattern throws " + broken.Message);
                }

                Wildcard? ours = null;
                WandbException? refused = null;
                try
                {
                    ours = new Wildcard(c.Pattern);
                }
                catch (WandbException e)
                {
                    refused = e;
                }

                string label = "pattern '" + c.Pattern + "'";
                if (expected is null)
                {
                    return (refused is not null && refused.Kind == WandbErrorKind.InvalidArgument && Equals(refused.Target, c.Pattern)).Label(label + ": WildcardPattern refuses it, ours " + (refused is null ? "accepts it" : "says " + refused.ErrorId));
                }

                if (ours is null)
                {
                    return false.Label(label + ": WildcardPattern accepts it, ours refuses it: " + refused!.Message);
                }

                string[] differ = texts.Where((t, i) => ours.IsMatch(t) != expected[i]).Select(t => "'" + t.Replace("\n", "\\n") + "'").ToArray();
                bool literalAgrees = Wildcard.IsPattern(c.Pattern) || theirs.IsMatch(Wildcard.Unescape(c.Pattern));
                return (differ.Length == 0).Label(label + " (regex " + ours.RegexText + ") disagrees on " + string.Join(", ", differ))
                    .And((Wildcard.IsPattern(c.Pattern) == WildcardPattern.ContainsWildcardCharacters(c.Pattern)).Label(label + ": IsPattern differs"))
                    .And(literalAgrees.Label(label + ": its unescaped text '" + Wildcard.Unescape(c.Pattern) + "' is not what it matches"));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
        }

        [Fact]
        public void ARangeEndingInABracketIsTheRangeAsWrittenWherePowerShellsOwnMatcherThrows()
        {
            // '[1-[]' : '1' (0x31) to '[' (0x5B), so 'A' is in it and a backslash (0x5C) is not.
            Assert.Throws<RegexParseException>(() => new WildcardPattern("[1-[]", Like).IsMatch("A"));
            var ours = new Wildcard("[1-[]");
            Assert.True(ours.IsMatch("A"));
            Assert.True(ours.IsMatch("["));
            Assert.False(ours.IsMatch("\\"));
        }

        private static bool OursAnswersOrRefuses(string pattern, string[] texts)
        {
            try
            {
                var ours = new Wildcard(pattern);
                foreach (string text in texts)
                {
                    // An answer either way will do; an exception fails the property.
                    _ = ours.IsMatch(text);
                }

                return true;
            }
            catch (WandbException e)
            {
                return e.Kind == WandbErrorKind.InvalidArgument && Equals(e.Target, pattern);
            }
        }
    }
}
