using System.Linq;
using WandbRunOps.Artifacts;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class SelectorTests
    {
        private static WandbArtifact Artifact(string name, string? version, params string[] aliases) => new WandbArtifact
        {
            Name = name,
            Version = version,
            VersionIndex = version is null ? null : int.Parse(version.Substring(1)),
            Aliases = aliases,
            Reference = name + ":" + (version ?? aliases.FirstOrDefault()),
        };

        [Fact]
        public void ArtifactNamesSelectOneVersionAllVersionsOrPatterns()
        {
            var artifacts = new[] { Artifact("model", "v1"), Artifact("model", "v2", "latest", "best"), Artifact("data", "v0", "latest") };
            Assert.Equal(new[] { "model:v2" }, new ArtifactSelector(new[] { "model:latest" }).Select(artifacts, out _).Select(a => a.Reference));
            Assert.Equal(new[] { "model:v1" }, new ArtifactSelector(new[] { "model:v1" }).Select(artifacts, out _).Select(a => a.Reference));
            Assert.Equal(2, new ArtifactSelector(new[] { "model" }).Select(artifacts, out _).Count);
            Assert.Equal(2, new ArtifactSelector(new[] { "*:latest" }).Select(artifacts, out _).Count);
            Assert.Equal(3, new ArtifactSelector(new[] { "*" }).Select(artifacts, out _).Count);
            Assert.Equal(3, new ArtifactSelector(null).Select(artifacts, out _).Count);
        }

        [Fact]
        public void UnmatchedLiteralReferencesAreReportedAndPatternsAreNot()
        {
            var artifacts = new[] { Artifact("model", "v2", "latest") };
            var kept = new ArtifactSelector(new[] { "model:best", "model:v9", "nomatch*", "model" }).Select(artifacts, out var unmatched);
            Assert.Single(kept);
            Assert.Equal(new[] { "model:best", "model:v9" }, unmatched);
        }

        [Fact]
        public void RunSelectorTracksLiteralIdsAndNames()
        {
            var selector = new RunSelector(new[] { "abc*", "zzz00000" }, new[] { "brisk-river-1", "nobody" });
            Assert.True(selector.MayMatchId("abcdef12"));
            Assert.False(selector.MayMatchId("xyz"));
            Assert.True(selector.Matches(new WandbRun { Id = "abcdef12", Name = "brisk-river-1" }));
            Assert.False(selector.Matches(new WandbRun { Id = "abcdef13", Name = "other" }));
            Assert.Equal(new[] { "zzz00000", "nobody" }, selector.UnmatchedLiterals);
        }
    }
}
