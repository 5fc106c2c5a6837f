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
        public void MatchesLikePowerShell(string pattern, string text, bool expected) => Assert.Equal(expected, new Wildcard(pattern).IsMatch(text));

        [Theory]
        [InlineData("abc", false)]
        [InlineData("a*", true)]
        [InlineData("a?", true)]
        [InlineData("[ab]", true)]
        [InlineData("a`*", false)]
        public void KnowsPatternsFromLiterals(string text, bool expected) => Assert.Equal(expected, Wildcard.IsPattern(text));

        [Fact]
        public void UnescapeRemovesBackticks() => Assert.Equal("a*b", Wildcard.Unescape("a`*b"));
    }
}
