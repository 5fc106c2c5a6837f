using System;
using System.Linq;
using WandbRunOps.Json;
using WandbRunOps.Changes;
using WandbRunOps.Errors;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Changes
{
    public sealed class RunChangePlanTests
    {
        private static RunSnapshot Run(params string[] tags) => new RunSnapshot("UnVuOjE=", "acme", "mnist", "abc123", "brisk-river-1")
        {
            Tags = tags,
            Notes = "old notes",
            Group = "baseline",
            Config = (WandbMap)ExtendedJson.Parse("{\"lr\":{\"value\":0.1,\"desc\":\"learning rate\"},\"epochs\":{\"value\":10,\"desc\":null}}")!,
        };

        [Fact]
        public void AddingAndRemovingTagsWorksOnTheFreshListAndSendsTheWholeList()
        {
            RunChangePlan plan = RunChangePlan.For(Run("a", "b"), new RunChangeRequest { AddTags = new[] { "c", "a" }, RemoveTags = new[] { "b" } });
            Assert.Equal("tags [a, b] -> [a, c]", plan.Description);
            Assert.Equal(new object?[] { "a", "c" }, (System.Collections.Generic.IEnumerable<object?>)plan.Input["tags"]!);
            Assert.Equal("UnVuOjE=", plan.Input["id"]);
        }

        [Fact]
        public void AddingATagTheRunHasChangesNothingAndSendsNothing()
        {
            RunChangePlan plan = RunChangePlan.For(Run("a"), new RunChangeRequest { AddTags = new[] { "a" } });
            Assert.True(plan.IsEmpty);
            Assert.Equal(new[] { "id" }, plan.Input.Keys);
        }

        [Fact]
        public void TheShownChangeNamesExactlyTheFieldsSent()
        {
            RunChangePlan plan = RunChangePlan.For(Run(), new RunChangeRequest { Notes = "ticket 42", Group = "baseline", DisplayName = "best" });
            // The group is already 'baseline': neither shown nor sent.
            Assert.Equal("notes 'old notes' -> 'ticket 42'; name 'brisk-river-1' -> 'best'", plan.Description);
            Assert.Equal(new[] { "id", "notes", "displayName" }, plan.Input.Keys);
        }

        [Fact]
        public void ConfigMergesKeyByKeyKeepsDescriptionsAndANullRemovesAKey()
        {
            var changes = new WandbMap { { "lr", 0.5 }, { "epochs", null }, { "seed", 7L } };
            RunChangePlan plan = RunChangePlan.For(Run(), new RunChangeRequest { Config = changes });
            Assert.Equal("config lr 0.1 -> 0.5, epochs 10 -> (removed), seed (new) -> 7", plan.Description);
            var sent = (WandbMap)ExtendedJson.Parse((string)plan.Input["config"]!)!;
            Assert.Equal(new[] { "lr", "seed" }, sent.Keys);
            Assert.Equal("learning rate", ((WandbMap)sent["lr"]!)["desc"]);
            Assert.Equal(0.5, ((WandbMap)sent["lr"]!)["value"]);
        }

        [Fact]
        public void RemovingAConfigKeyTheRunLacksChangesNothing()
        {
            Assert.True(RunChangePlan.For(Run(), new RunChangeRequest { Config = new WandbMap { { "missing", null } } }).IsEmpty);
        }

        [Theory]
        [InlineData("tag-and-add")]
        [InlineData("empty-tag")]
        [InlineData("long-tag")]
        [InlineData("add-and-remove")]
        [InlineData("nothing")]
        public void ARequestNoRunCouldTakeIsRefusedBeforeAnythingIsRead(string shape)
        {
            RunChangeRequest request = shape switch
            {
                "tag-and-add" => new RunChangeRequest { Tags = new[] { "a" }, AddTags = new[] { "b" } },
                "empty-tag" => new RunChangeRequest { AddTags = new[] { " " } },
                "long-tag" => new RunChangeRequest { AddTags = new[] { new string('x', 65) } },
                "add-and-remove" => new RunChangeRequest { AddTags = new[] { "a" }, RemoveTags = new[] { "a" } },
                _ => new RunChangeRequest(),
            };
            WandbException error = Assert.Throws<WandbException>(request.Validate);
            Assert.Equal("WandbInvalidArgument", error.ErrorId);
            if (shape == "long-tag")
            {
                Assert.Contains("65 characters", error.Message);
            }
        }

        [Fact]
        public void ATagOfSixtyFourCharactersIsAccepted()
        {
            new RunChangeRequest { Tags = new[] { new string('x', 64) } }.Validate();
        }
    }
}
