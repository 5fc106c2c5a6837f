using System;
using WandbRunOps.Errors;
using WandbRunOps.Filtering;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Filtering
{
    /// <summary>Every malformed-filter class is refused before a request, pointing at the bad part.</summary>
    public class FilterParserTests
    {
        [Theory]
        [InlineData("{\"summary.acc\": 1}", "summary.acc", "summary_metrics.acc")]
        [InlineData("{\"Name\": \"x\"}", "Name", "not a W&B run filter key")]
        [InlineData("{\"config\": 1}", "config", "needs a key")]
        [InlineData("{\"config.\": 1}", "config.", "names no key")]
        [InlineData("{\"tags\": [\"a\"]}", "tags", "a list needs an operator")]
        [InlineData("{\"$in\": [1]}", "$in", "must sit under a field")]
        [InlineData("{\"$foo\": 1}", "$foo", "is not an operator")]
        [InlineData("{\"$and\": {\"state\": \"finished\"}}", "$and", "non-empty list of filter objects")]
        [InlineData("{\"$or\": []}", "$or", "non-empty list")]
        [InlineData("{\"$nor\": [1, 2]}", "$nor", "list of filter objects")]
        [InlineData("{\"state\": {\"$in\": \"finished\"}}", "state.$in", "takes a list")]
        [InlineData("{\"tags\": {\"$all\": [[\"a\"]]}}", "tags.$all", "takes a list")]
        [InlineData("{\"config.lr\": {\"$gt\": [1]}}", "config.lr.$gt", "single value, not a list")]
        [InlineData("{\"config.lr\": {\"$gt\": {\"a\": 1}}}", "config.lr.$gt", "single value, not an object")]
        [InlineData("{\"config.lr\": {\"$gt\": null}}", "config.lr.$gt", "cannot compare with null")]
        [InlineData("{\"config.lr\": {\"$exists\": 1}}", "config.lr.$exists", "true or false")]
        [InlineData("{\"name\": {\"$regex\": \"(\"}}", "name.$regex", "not a valid regular expression")]
        [InlineData("{\"name\": {\"$regex\": 5}}", "name.$regex", "regular expression string")]
        [InlineData("{\"name\": {\"$not\": \"x\"}}", "name.$not", "operator object")]
        [InlineData("{\"name\": {\"$gt\": 1, \"plain\": 2}}", "name", "cannot be mixed")]
        [InlineData("{\"createdAt\": {\"$gt\": 1700000000.5}}", "createdAt.$gt", "ISO 8601")]
        [InlineData("{\"tags\": 5}", "tags", "tags are strings")]
        [InlineData("{\"$and\": [{\"state\": \"failed\"}, {\"bad\": 1}]}", "$and[1].bad", "not a W&B run filter key")]
        [InlineData("{\"state\": \"done\"}", "state", "done is not a W&B run state (use running, finished, failed, crashed, killed, preempting, preempted, pending; any case)")]
        [InlineData("{\"state\": {\"$in\": [\"finished\", \"Bogus\"]}}", "state.$in", "Bogus is not a W&B run state")]
        [InlineData("{\"state\": 1}", "state", "1 is not a W&B run state")]
        [InlineData("{\"tags\": {\"$all\": []}}", "tags.$all", "at least one value")]
        [InlineData("not json", "filter", "not valid JSON")]
        [InlineData("[1]", "filter", "a filter is an object")]
        public void MalformedFiltersAreInvalidFilterErrorsPointingAtTheBadPart(string json, string path, string reason)
        {
            var error = Assert.Throws<WandbException>(() => FilterParser.Parse(json));
            Assert.Equal(WandbErrorKind.InvalidFilter, error.Kind);
            Assert.Equal("WandbInvalidFilter", error.ErrorId);
            Assert.Contains("at " + path + ":", error.Message);
            Assert.Contains(reason, error.Message);
            Assert.Equal(json, error.Target);
        }

        [Theory]
        [InlineData("{}")]
        [InlineData("{\"state\": {\"$eq\": \"finished\"}}")]
        [InlineData("{\"$or\": [{\"config.lr\": {\"$gt\": 0.01}}, {\"tags\": {\"$all\": [\"a\", \"b\"]}}]}")]
        [InlineData("{\"$and\": [{\"summary_metrics.acc\": {\"$gte\": 0.5, \"$lt\": 1}}, {\"name\": {\"$not\": {\"$regex\": \"^test\"}}}]}")]
        [InlineData("{\"$nor\": [{\"group\": {\"$in\": [\"a\", null]}}, {\"host\": {\"$exists\": false}}]}")]
        [InlineData("{\"createdAt\": {\"$gt\": \"2026-01-01T00:00:00Z\"}}")]
        public void SerializedFiltersParseBackToTheSameJson(string json)
        {
            FilterNode filter = FilterParser.Parse(json);
            string once = FilterJson.Serialize(filter);
            Assert.Equal(once, FilterJson.Serialize(FilterParser.Parse(once)));
        }

        [Fact]
        public void ShorthandEqualityAndSeveralKeysReadAsAnd()
        {
            FilterNode filter = FilterParser.Parse("{\"state\": \"finished\", \"config.lr\": 0.1}");
            Assert.Equal("{\"$and\":[{\"state\":{\"$eq\":\"finished\"}},{\"config.lr\":{\"$eq\":0.1}}]}", FilterJson.Serialize(filter));
        }

        [Fact]
        public void EvaluationFollowsMongoStyleRules()
        {
            var run = new WandbRun
            {
                Id = "abc12345",
                Name = "Happy-Run",
                State = RunState.Finished,
                Tags = new[] { "baseline", "gpu" },
                CreatedAt = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc),
                Config = (WandbMap)ExtendedJson.Parse("{\"lr\": 0.01, \"epochs\": 10, \"data.augment\": true, \"opt\": {\"name\": \"adam\"}}")!,
                Summary = (WandbMap)ExtendedJson.Parse("{\"acc\": NaN, \"loss\": 0.5}")!,
            };
            bool Matches(string json) => FilterEvaluator.Matches(FilterParser.Parse(json), run);

            Assert.True(Matches("{\"state\": \"finished\"}"));
            Assert.True(Matches("{\"state\": \"Finished\"}"));
            Assert.True(Matches("{\"state\": {\"$in\": [\"FAILED\", \"Finished\"]}}"));
            Assert.False(Matches("{\"state\": {\"$ne\": \"FINISHED\"}}"));
            Assert.True(Matches("{\"config.epochs\": {\"$gte\": 10.0}}"));
            Assert.True(Matches("{\"config.opt.name\": \"adam\"}"));
            Assert.True(Matches("{\"config.data.augment\": true}"));
            Assert.True(Matches("{\"tags\": \"gpu\"}"));
            Assert.True(Matches("{\"tags\": {\"$all\": [\"gpu\", \"baseline\"]}}"));
            Assert.False(Matches("{\"tags\": {\"$all\": [\"gpu\", \"tpu\"]}}"));
            Assert.True(Matches("{\"tags\": {\"$nin\": [\"tpu\"]}}"));
            Assert.False(Matches("{\"summary_metrics.acc\": {\"$gt\": 0}}"));
            Assert.False(Matches("{\"summary_metrics.acc\": {\"$lte\": 0}}"));
            Assert.True(Matches("{\"config.missing\": {\"$ne\": 1}}"));
            Assert.True(Matches("{\"config.missing\": null}"));
            Assert.False(Matches("{\"config.missing\": {\"$exists\": true}}"));
            Assert.True(Matches("{\"displayName\": {\"$regex\": \"(?i)^happy\"}}"));
            Assert.True(Matches("{\"name\": {\"$not\": {\"$regex\": \"^zzz\"}}}"));
            Assert.True(Matches("{\"createdAt\": {\"$gt\": \"2026-02-28T23:59:59Z\"}}"));
            Assert.True(Matches("{\"$or\": [{\"state\": \"failed\"}, {\"config.lr\": {\"$lt\": 0.1}}]}"));
            Assert.False(Matches("{\"$nor\": [{\"state\": \"failed\"}, {\"config.lr\": {\"$lt\": 0.1}}]}"));
        }

        [Theory]
        [InlineData("{\"state\": \"Finished\"}", "{\"state\":{\"$eq\":\"finished\"}}")]
        [InlineData("{\"state\": {\"$nin\": [\"CRASHED\", \"Killed\"]}}", "{\"state\":{\"$nin\":[\"crashed\",\"killed\"]}}")]
        [InlineData("{\"state\": {\"$regex\": \"^Fin\"}}", "{\"state\":{\"$regex\":\"^Fin\"}}")]
        [InlineData("{\"tags\": {\"$all\": [\"a\", \"b\"]}}", "{\"$and\":[{\"tags\":{\"$in\":[\"a\"]}},{\"tags\":{\"$in\":[\"b\"]}}]}")]
        [InlineData("{\"tags\": {\"$all\": [\"a\"]}}", "{\"tags\":{\"$in\":[\"a\"]}}")]
        [InlineData("{\"tags\": {\"$not\": {\"$all\": [\"a\", \"b\"]}}}", "{\"$nor\":[{\"$and\":[{\"tags\":{\"$in\":[\"a\"]}},{\"tags\":{\"$in\":[\"b\"]}}]}]}")]
        [InlineData("{\"tags\": {\"$all\": [\"a\"], \"$nin\": [\"b\"]}}", "{\"$and\":[{\"tags\":{\"$in\":[\"a\"]}},{\"tags\":{\"$nin\":[\"b\"]}}]}")]
        public void StatesAreSentInLowercaseAndTagsWithoutAll(string json, string sent) =>
            Assert.Equal(sent, FilterJson.Serialize(FilterParser.Parse(json)));

        [Fact]
        public void EveryTagIsSentAsWandbClientsSendIt()
        {
            Assert.Equal("{\"$and\":[{\"tags\":{\"$in\":[\"a\"]}},{\"tags\":{\"$in\":[\"b c\"]}}]}", FilterJson.Serialize(new FilterBuilder().Tags(new[] { "a", "b c" }).Build()));
            Assert.Equal("{\"tags\":{\"$in\":[\"a\"]}}", FilterJson.Serialize(new FilterBuilder().Tags(new[] { "a" }).Build()));
        }

        [Fact]
        public void DottedConfigPathsAreKeptForThisProcess()
        {
            FilterNode filter = FilterParser.Parse("{\"$and\": [{\"state\": \"finished\"}, {\"config.data.augment\": true}]}");
            FilterNode? server = FilterSplit.ServerPart(filter, out bool complete);
            Assert.False(complete);
            Assert.Equal("{\"state\":{\"$eq\":\"finished\"}}", FilterJson.Serialize(server!));
            Assert.Equal(new[] { "config.data.augment" }, FilterSplit.LocalOnlyKeys(filter));

            FilterNode either = FilterParser.Parse("{\"$or\": [{\"state\": \"finished\"}, {\"config.data.augment\": true}]}");
            Assert.Null(FilterSplit.ServerPart(either, out _));
        }

        [Fact]
        public void OrderKeysMapToTheServersSyntaxAndSortMissingFirst()
        {
            Assert.Equal("-summary_metrics.acc", new RunOrder(new[] { "-Summary.acc" }).ServerOrder);
            Assert.Equal("+config.lr.value", new RunOrder(new[] { "Config.lr" }).ServerOrder);
            Assert.Equal("+created_at", new RunOrder(new[] { "createdat" }).ServerOrder);
            Assert.Null(new RunOrder(new[] { "Runtime" }).ServerOrder);
            Assert.Equal(WandbErrorKind.InvalidArgument, Assert.Throws<WandbException>(() => new RunOrder(new[] { "Bogus" })).Kind);
            Assert.Equal(WandbErrorKind.InvalidArgument, Assert.Throws<WandbException>(() => new RunOrder(new[] { "Config.lr." })).Kind);
            var values = new object?[] { 2.0, null, double.NaN, "b", 1L, "A" };
            Array.Sort(values, RunOrder.CompareValues);
            Assert.Equal(new object?[] { null, double.NaN, 1L, 2.0, "A", "b" }, values);
        }
    }
}
