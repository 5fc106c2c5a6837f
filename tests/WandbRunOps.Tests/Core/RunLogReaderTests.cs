using System;
using System.IO;
using System.Linq;
using WandbRunOps.Local.Log;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Support;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>How records fold into a run: identity, config, summary, history, exit, artifacts.</summary>
    public class RunLogReaderTests
    {
        private static readonly DateTime Start = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        private static RunLog Read(params byte[][] records) => RunLogReader.Read(new MemoryStream(LogBuilder.Bytes(records)), "t.wandb");

        private static byte[] Run(params Item[] config) => Records.Run(new RunSpec
        {
            RunId = "abc12345",
            Entity = "team",
            Project = "proj",
            DisplayName = "happy-run-1",
            RunGroup = "g",
            JobType = "train",
            Tags = new[] { "a", "b" },
            Notes = "n",
            SweepId = "sw1",
            Host = "box",
            StartTime = Start,
            Config = config,
        });

        [Fact]
        public void IdentityComesFromTheRunRecord()
        {
            RunLog log = Read(Records.Header("0.22.1"), Run());
            Assert.Equal(("abc12345", "team", "proj", "happy-run-1"), (log.RunId, log.Entity, log.Project, log.DisplayName));
            Assert.Equal(("g", "train", "n", "sw1", "box"), (log.Group, log.JobType, log.Notes, log.SweepId, log.Host));
            Assert.Equal(new[] { "a", "b" }, log.Tags);
            Assert.Equal(Start, log.StartTime);
            Assert.Equal(DateTimeKind.Utc, log.StartTime!.Value.Kind);
            Assert.Equal("0.22.1", log.Producer);
        }

        [Fact]
        public void ConfigFoldsTheRunRecordThenUpdatesAndRemovesInOrder()
        {
            RunLog log = Read(
                Records.Header("0.22.1"),
                Run(Item.ByKey("lr", "0.1"), Item.ByKey("_wandb", "{}"), Item.ByKey("drop", "1")),
                Records.Config(new[] { Item.ByKey("lr", "0.2"), Item.ByPath(new[] { "opt", "beta" }, "0.9"), Item.ByKey("a.b", "true") }, Array.Empty<Item>()),
                Records.Config(Array.Empty<Item>(), new[] { Item.Remove("drop") }));
            Assert.Equal(new[] { "lr", "_wandb", "opt", "a.b" }, log.Config.Keys);
            Assert.Equal(0.2, log.Config["lr"]);
            Assert.Equal(0.9, ((WandbMap)log.Config["opt"]!)["beta"]);
            Assert.Equal(true, log.Config["a.b"]);
        }

        [Fact]
        public void SummaryFoldsNestedKeysAndKeepsNaN()
        {
            RunLog log = Read(
                Records.Header("0.22.1"),
                Run(),
                Records.Summary(new[] { Item.ByPath(new[] { "acc" }, "NaN"), Item.ByPath(new[] { "img", "_type" }, "\"image-file\""), Item.ByPath(new[] { "_wandb", "runtime" }, "12") }, Array.Empty<Item>()),
                Records.Summary(new[] { Item.ByPath(new[] { "loss" }, "-Infinity") }, new[] { Item.ByPath(new[] { "img", "_type" }, null) }));
            Assert.True(double.IsNaN((double)log.Summary["acc"]!));
            Assert.Equal(double.NegativeInfinity, log.Summary["loss"]);
            Assert.Empty((WandbMap)log.Summary["img"]!);
            Assert.Equal(12L, ((WandbMap)log.Summary["_wandb"]!)["runtime"]);
        }

        [Fact]
        public void HistoryIsCountedWithItsLastStepTimeAndRuntime()
        {
            RunLog log = Read(
                Records.Header("0.22.1"),
                Run(),
                LogBuilder.History(0, Start, 1.5, ("loss", "0.9")),
                LogBuilder.History(1, Start, 2.5, ("loss", "0.8")),
                LogBuilder.History(2, Start, 10.25, ("loss", "0.7")));
            Assert.Equal(3, log.HistoryCount);
            Assert.Equal(2, log.LastStep);
            Assert.Equal(10.25, log.LastHistoryRuntime);
            Assert.Equal(Start.AddSeconds(10.25), log.LastHistoryTime!.Value, TimeSpan.FromMilliseconds(1));
            Assert.Equal(log.LastHistoryTime, log.LatestProvenTime);
        }

        [Fact]
        public void ListingReadsTheLastHistoryRowEvenWhenItSpansChunks()
        {
            // wandb-core logs: rows are only counted while listing; the last (here ~100 KB, FIRST/MIDDLE/LAST) is read again.
            string big = "\"" + new string('x', 100_000) + "\"";
            RunLog log = Read(
                Records.Header("0.22.1"),
                Run(),
                LogBuilder.History(0, Start, 1.5, ("loss", "0.9")),
                LogBuilder.History(1, Start, 2.5, ("loss", "0.8")),
                LogBuilder.History(2, Start, 7.75, ("text", big)),
                Records.Exit(0, 8));
            Assert.Equal(3, log.HistoryCount);
            Assert.Equal(6, log.RecordCount);
            Assert.Equal(2, log.LastStep);
            Assert.Equal(7.75, log.LastHistoryRuntime);
            Assert.Empty(log.Damage);
        }

        [Fact]
        public void ADamagedLastHistoryRowIsReportedAndThePreviousRowIsTheLast()
        {
            long damagedAt = 0;
            byte[] bytes = LogBuilder.Bytes(w =>
            {
                w.WriteRecord(Records.Header("0.22.1"));
                w.WriteRecord(Run());
                w.WriteRecord(LogBuilder.History(0, Start, 1.5, ("loss", "0.9")));
                w.WriteRecord(LogBuilder.History(1, Start, 2.5, ("loss", "0.8")));
                damagedAt = w.Position;
                w.WriteChunk(WandbLogWriter.Full, LogBuilder.History(2, Start, 9.5, ("loss", "0.7")), corruptCrc: true);
            });
            RunLog log = RunLogReader.Read(new MemoryStream(bytes), "t.wandb");
            Assert.Equal(2, log.HistoryCount);
            Assert.Equal(1, log.LastStep);
            Assert.Equal(2.5, log.LastHistoryRuntime);
            LogDamage damage = Assert.Single(log.Damage);
            Assert.Equal(damagedAt, damage.Offset);
            Assert.Contains("checksum", damage.ToString());
        }

        [Fact]
        public void ANonSeekableStreamIsRefused() =>
            Assert.Throws<ArgumentException>(() => RunLogReader.Read(new NonSeekableStream(LogBuilder.Bytes(new[] { Records.Header("0.22.1") })), "t.wandb"));

        private sealed class NonSeekableStream : MemoryStream
        {
            public NonSeekableStream(byte[] bytes)
                : base(bytes)
            {
            }

            public override bool CanSeek => false;
        }

        [Fact]
        public void ExitDecidesOutcomeAndRuntime()
        {
            RunLog failed = Read(Records.Header("0.22.1"), Run(), Records.Exit(3, 120));
            Assert.True(failed.HasExit);
            Assert.Equal(3, failed.ExitCode);
            Assert.Equal(120, failed.ExitRuntime);
            Assert.Equal(Start.AddSeconds(120), failed.LatestProvenTime);

            // proto3 leaves a zero runtime out; from 0.12 on that means "ran 0 seconds".
            RunLog instant = Read(Records.Header("0.22.1"), Run(), Records.Exit(1, 0));
            Assert.Equal(0, instant.ExitRuntime);

            RunLog old = Read(Records.Header(null), Records.Telemetry("0.10.20"), Run(), Records.Exit(0, 0));
            Assert.Null(old.ExitRuntime);
        }

        [Fact]
        public void AResumedLogsExitRuntimeCountsFromWhereTheRunLeftOff()
        {
            byte[] resumed = Records.Run(new RunSpec { RunId = "abc12345", StartTime = Start, Resumed = true, Runtime = 1500 });
            RunLog log = Read(Records.Header("0.22.1"), resumed, Records.Exit(0, 3000));
            Assert.Equal(1500, log.PriorRuntime);
            Assert.Equal(Start.AddSeconds(1500), log.LatestProvenTime);
        }

        [Fact]
        public void PreemptingCountsUntilAnExitFollows()
        {
            Assert.True(Read(Records.Header("0.22.1"), Run(), Records.Preempting()).Preempting);
            Assert.False(Read(Records.Header("0.22.1"), Run(), Records.Preempting(), Records.Exit(0, 5)).Preempting);
        }

        [Fact]
        public void PythonEraCrashedRunDerivesItsSummaryFromHistory()
        {
            RunLog log = Read(
                Records.Header(null),
                Run(),
                Records.Metric("loss", new MetricSummarySpec { Min = true, Last = true }, goal: 1),
                Records.History(0, new[] { Item.ByKey("acc", "0.5"), Item.ByKey("loss", "0.9"), Item.ByKey("only_first", "\"x\"") }),
                Records.History(1, new[] { Item.ByKey("acc", "0.7"), Item.ByKey("loss", "0.4") }),
                Records.History(2, new[] { Item.ByKey("acc", "0.6"), Item.ByKey("loss", "0.6") }),
                Records.Summary(new[] { Item.ByKey("explicit", "1") }, Array.Empty<Item>()));
            Assert.Equal(0.6, log.Summary["acc"]);
            Assert.Equal("x", log.Summary["only_first"]);
            Assert.Equal(1L, log.Summary["explicit"]);
            var loss = Assert.IsType<WandbMap>(log.Summary["loss"]);
            Assert.Equal(0.4, loss["min"]);
            Assert.Equal(0.6, loss["last"]);
        }

        [Fact]
        public void PythonEraCleanShutdownSummaryIsUsedAsWritten()
        {
            RunLog log = Read(
                Records.Header(null),
                Run(),
                Records.History(0, new[] { Item.ByKey("acc", "0.5") }),
                Records.Exit(0, 10),
                Records.Summary(new[] { Item.ByKey("acc", "0.99") }, Array.Empty<Item>()));
            Assert.True(log.SummaryAfterExit);
            Assert.Equal(0.99, log.Summary["acc"]);
        }

        [Fact]
        public void CoreEraSummaryIsNotRederived()
        {
            RunLog log = Read(
                Records.Header("0.21.0"),
                Run(),
                Records.History(0, new[] { Item.ByPath(new[] { "acc" }, "0.5") }),
                Records.Summary(new[] { Item.ByPath(new[] { "other" }, "1") }, Array.Empty<Item>()));
            Assert.Equal(new[] { "other" }, log.Summary.Keys);
        }

        [Fact]
        public void ArtifactRecordsAreRead()
        {
            RunLog log = Read(
                Records.Header("0.22.1"),
                Run(),
                Records.Artifact(new ArtifactSpec
                {
                    Name = "model",
                    Type = "model",
                    Digest = "abc",
                    Aliases = new[] { "latest", "best" },
                    MetadataJson = "{\"f\":1}",
                    Entries = new[] { new ManifestEntry("a.bin", "x", 100), new ManifestEntry("b.bin", "y", 23) },
                }),
                Records.UseArtifact("QXJ0aWZhY3Q6MQ==", "dataset", "mnist:v3"));
            LoggedArtifactRecord logged = Assert.Single(log.LoggedArtifacts);
            Assert.Equal(("model", "model", "abc", 123L, 2), (logged.Name, logged.Type, logged.Digest, logged.Size, logged.FileCount));
            Assert.Equal(new[] { "latest", "best" }, logged.Aliases);
            UsedArtifactRecord used = Assert.Single(log.UsedArtifacts);
            Assert.Equal(("QXJ0aWZhY3Q6MQ==", "dataset", "mnist:v3"), (used.Id, used.Type, used.Name));
        }

        [Fact]
        public void ABadValueJsonIsKeptAsTextAndGarbageRecordsAreSkipped()
        {
            RunLog log = Read(
                Records.Header("0.22.1"),
                Run(Item.ByKey("weird", "{not json")),
                new byte[] { 0x8A, 0x01, 0xFF, 0xFF, 0xFF },
                Records.Exit(0, 1));
            Assert.Equal("{not json", log.Config["weird"]);
            Assert.True(log.HasExit);
            Assert.Contains(log.Damage, d => d.Description.Contains("could not be decoded"));
        }

        [Fact]
        public void StatsAndOutputTimesCountAsProofOfLife()
        {
            RunLog log = Read(
                Records.Header("0.22.1"),
                Run(),
                Records.Stats(Start.AddMinutes(3), new[] { ("cpu", "12.5") }),
                Records.Output(Start.AddMinutes(4), "hello"));
            Assert.Equal(Start.AddMinutes(4), log.LatestProvenTime);
        }
    }
}
