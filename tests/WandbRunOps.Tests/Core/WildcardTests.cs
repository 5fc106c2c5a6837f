using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class WildcardTests
    {
        [Theory]
        [InlineData("fin*", "fin0001a", true)]
        [InlineData("FIN*", "fin0001a", true)]
        [InlineData("fin*", "xfin", false)]
        [InlineData("f?n0001a", "fin0001a", true)]
        [InlineData("f?n", "fn", false)]
        [InlineData("[fc]*", "crsh005e", true)]
        [InlineData("[a-c]*", "fin", false)]
        [InlineData("model:v[0-9]", "model:v3", true)]
        [InlineData("a`*b", "a*b", true)]
        [InlineData("a`*b", "axb", false)]
        [InlineData("data.augment", "dataXaugment", false)]
        [InlineData("(x)+", "(x)+", true)]
        [InlineData("[]]", "]", true)]
        [InlineData("[`]]", "]", true)]
        [InlineData("[a-]", "-", true)]
        [InlineData("[!a]", "!", true)]
        [InlineData("[!a]", "b", false)]
        [InlineData("[^a]", "^", true)]
        [InlineData("[`a-c]", "b", true)]
        [InlineData("a`", "a`", true)]
        [InlineData("`", "`", false)]
        [InlineData("a*", "ab\n", true)]
        [InlineData("a", "a\n", false)]
        [InlineData("a b", "a b", true)]
        public void MatchesLikePowerShell(string pattern, string text, bool expected) => Assert.Equal(expected, new Wildcard(pattern).IsMatch(text.Replace("\\n", "\n")));

        [Theory]
        [InlineData("[]", "'[]' is not a valid wildcard pattern: a '[' is not closed by ']'")]
        [InlineData("a[b-a]", "'a[b-a]' is not a valid wildcard pattern: the range 'b-a' runs backwards")]
        [InlineData("[a", "'[a' is not a valid wildcard pattern: a '[' is not closed by ']'")]
        [InlineData("[a`]", "'[a`]' is not a valid wildcard pattern: a '[' is not closed by ']'")]
        public void RefusesWhatWildcardPatternRefusesAsInvalidArgument(string pattern, string message)
        {
            var error = Assert.Throws<WandbRunOps.Errors.WandbException>(() => new Wildcard(pattern));
            Assert.Equal(WandbRunOps.Errors.WandbErrorKind.InvalidArgument, error.Kind);
            Assert.Equal(pattern, error.Target);
            Assert.StartsWith(message, error.Message);
        }

        [Theory]
        [InlineData("abc", false)]
        [InlineData("a*", true)]
        [InlineData("a?", true)]
        [InlineData("[ab]", true)]
        [InlineData("a`*", false)]
        [InlineData("a]", true)]
        public void KnowsPatternsFromLiterals(string text, bool expected) => Assert.Equal(expected, Wildcard.IsPattern(text));

        [Fact]
        public void UnescapeRemovesBackticks() => Assert.Equal("a*b", Wildcard.Unescape("a`*b"));
    }
}
