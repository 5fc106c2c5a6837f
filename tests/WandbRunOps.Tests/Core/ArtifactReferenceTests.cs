using WandbRunOps.Artifacts;
using WandbRunOps.Errors;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class ArtifactReferenceTests
    {
        [Theory]
        [InlineData("model", null, null, "model", null, null)]
        [InlineData("model:latest", null, null, "model", "latest", null)]
        [InlineData("model:v12", null, null, "model", "v12", 12)]
        [InlineData("proj/model:best", null, "proj", "model", "best", null)]
        [InlineData("team/proj/dataset:v0", "team", "proj", "dataset", "v0", 0)]
        [InlineData("model:release/2024", null, null, "model", "release/2024", null)]
        public void ParsesTheSdkForms(string text, string? entity, string? project, string name, string? selector, int? version)
        {
            ArtifactReference reference = ArtifactReference.Parse(text);
            Assert.Equal(entity, reference.Entity);
            Assert.Equal(project, reference.Project);
            Assert.Equal(name, reference.Name);
            Assert.Equal(selector, reference.Selector);
            Assert.Equal(version, reference.VersionIndex);
        }

        [Theory]
        [InlineData("model:", "nothing follows")]
        [InlineData(":latest", "name is empty")]
        [InlineData("a:b:c", "more than one ':'")]
        [InlineData("a/b/c/d", "too many '/'")]
        [InlineData("", "empty")]
        [InlineData("  ", "empty")]
        public void MalformedReferencesAreInvalidArguments(string text, string reason)
        {
            var error = Assert.Throws<WandbException>(() => ArtifactReference.Parse(text));
            Assert.Equal(WandbErrorKind.InvalidArgument, error.Kind);
            Assert.Equal("WandbInvalidArgument", error.ErrorId);
            Assert.Equal(text, error.Target);
            Assert.Contains(reason, error.Message);
        }

        [Theory]
        [InlineData("v0", true)]
        [InlineData("v12", true)]
        [InlineData("v", false)]
        [InlineData("latest", false)]
        [InlineData("v1a", false)]
        [InlineData("V1", false)]
        public void TellsVersionsFromAliases(string text, bool expected) => Assert.Equal(expected, ArtifactReference.IsVersion(text));
    }
}
