using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using WandbRunOps.Local.Log;
using WandbRunOps.Testing;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Tests.Support;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    /// <summary>
    /// The prefetching record source against the reader it runs: the same records, offsets, positions, stepped-over
    /// records and damage at every step, on random logs (damaged, cut off, records over many blocks); and its thread
    /// stopped by an early dispose, by cancellation, and by a stream that fails.
    /// </summary>
    public class LogRecordPrefetchTests
    {
        private const string LogPath = "prefetch-test.wandb";

        /// <summary>What a consumer sees, step by step: records (hashed), stepped-over runs, damage counts, the end.</summary>
        private static List<string> Trace(ILogRecordSource source)
        {
            var events = new List<string>();
            long skipStart = -1, skipEnd = -1;
            int skipDamage = -1;

            void EndSkips()
            {
                if (skipStart >= 0)
                {
                    events.Add("skipped " + skipStart + ".." + skipEnd + " damage " + skipDamage);
                    skipStart = -1;
                }
            }

            // Records stepped over one after another with no damage between are one event: the prefetch tells them once.
            source.Skipped = offset =>
            {
                if (skipStart >= 0 && skipDamage != source.Damage.Count)
                {
                    EndSkips();
                }

                skipStart = skipStart >= 0 ? skipStart : offset;
                skipEnd = source.Position;
                skipDamage = source.Damage.Count;
            };
            using var sha = SHA256.Create();
            while (source.TryRead(out ArraySegment<byte> payload))
            {
                EndSkips();
                events.Add("record " + source.RecordOffset + ".." + source.Position + " " + payload.Count + " bytes " +
                    Convert.ToHexString(sha.ComputeHash(payload.Array!, payload.Offset, payload.Count)) + " damage " + source.Damage.Count);
            }

            EndSkips();
            events.Add("end at " + source.Position);
            events.AddRange(source.Damage.Select(d => "damage " + d + (d.AtEnd ? " (at end)" : string.Empty)));
            return events;
        }

        private static LogChunkReader Reader(Stream stream, bool skipSome)
        {
            var reader = new LogChunkReader(stream, LogPath);
            if (skipSome)
            {
                reader.SkipWhen = first => first.Count > 0 && first.Array![first.Offset] % 3 == 0;
            }

            return reader;
        }

        private static byte[] RandomPayload(Random random)
        {
            int kind = random.Next(100);
            int size = kind < 70 ? random.Next(0, 200) : kind < 95 ? random.Next(200, 5000) : random.Next(30_000, 200_000);
            var payload = new byte[size];
            random.NextBytes(payload);
            return payload;
        }

        private static byte[] StrayChunk(Random random)
        {
            var payload = new byte[random.Next(1, 2000)];
            random.NextBytes(payload);
            return payload;
        }

        /// <summary>A log of random records, then damaged at random: flipped bytes, zeroed stretches, a cut-off end.</summary>
        internal static byte[] RandomLog(int seed, int records, bool damage)
        {
            var random = new Random(seed);
            byte[] bytes = LogBuilder.Bytes(w =>
            {
                for (int i = 0; i < records; i++)
                {
                    int what = damage ? random.Next(200) : 100;
                    if (what == 0)
                    {
                        w.WriteChunk(WandbLogWriter.Middle, StrayChunk(random));
                    }
                    else if (what == 1)
                    {
                        w.WriteChunk(WandbLogWriter.First, StrayChunk(random));
                    }
                    else if (what == 2)
                    {
                        w.WriteChunk(WandbLogWriter.Full, StrayChunk(random), corruptCrc: true);
                    }
                    else if (what == 3)
                    {
                        w.PadToBlockEnd();
                        w.WriteZeros(WandbLogWriter.BlockSize * random.Next(1, 3));
                    }
                    else
                    {
                        w.WriteRecord(RandomPayload(random));
                    }
                }
            });
            if (!damage)
            {
                return bytes;
            }

            for (int flips = random.Next(0, 6); flips > 0; flips--)
            {
                bytes[random.Next(LogChunkReader.HeaderSize, bytes.Length)] ^= (byte)random.Next(1, 256);
            }

            if (random.Next(2) == 0)
            {
                int at = random.Next(LogChunkReader.HeaderSize, bytes.Length);
                Array.Clear(bytes, at, Math.Min(bytes.Length - at, random.Next(1, 3 * LogChunkReader.BlockSize)));
            }

            return random.Next(2) == 0 ? bytes : bytes.Take(random.Next(bytes.Length / 2, bytes.Length)).ToArray();
        }

        [Theory]
        [InlineData(false, false)]
        [InlineData(false, true)]
        [InlineData(true, false)]
        [InlineData(true, true)]
        public void RandomLogsReadTheSameThroughThePrefetchAsThroughTheReader(bool damaged, bool skipSome)
        {
            for (int seed = 0; seed < 25; seed++)
            {
                byte[] log = RandomLog(seed * 31 + (damaged ? 1 : 0), 3000, damaged);
                List<string> direct = Trace(Reader(new MemoryStream(log), skipSome));
                List<string> prefetched;
                using (var prefetch = new LogRecordPrefetch(Reader(new MemoryStream(log), skipSome), CancellationToken.None))
                {
                    prefetched = Trace(prefetch);
                    Assert.False(prefetch.Running, "the thread still runs after the log ended");
                }

                Assert.True(direct.Count > 100, "seed " + seed + ": too few events to say anything");
                Assert.Equal(direct, prefetched);
            }
        }

        [RealFixtureFact]
        public void TheRealLogsAndTheSamplesReadTheSameThroughThePrefetch()
        {
            string[] logs = Directory.GetFiles(RepoPaths.RealFixtures, "*.wandb", SearchOption.AllDirectories)
                .Concat(Directory.GetFiles(RepoPaths.Samples, "*.wandb", SearchOption.AllDirectories)).ToArray();
            Assert.True(logs.Length > 10);
            foreach (string path in logs)
            {
                byte[] log = File.ReadAllBytes(path);
                foreach (bool console in new[] { false, true })
                {
                    // As Get-RunHistory reads them (every record) and as Get-RunLog does (records that cannot be console output stepped over).
                    LogChunkReader Open()
                    {
                        var reader = new LogChunkReader(new MemoryStream(log), path);
                        reader.SkipWhen = console ? first => ConsoleRecord.CannotBeConsole(first) : null;
                        return reader;
                    }

                    using var prefetch = new LogRecordPrefetch(Open(), CancellationToken.None);
                    Assert.Equal(Trace(Open()), Trace(prefetch));
                }
            }
        }

        [Fact]
        public void RecordsOverManyBlocksAndBatchesArriveWhole()
        {
            var random = new Random(7);
            byte[][] records = Enumerable.Range(0, 40).Select(i => i % 4 == 1 ? new byte[random.Next(300_000, 900_000)] : new byte[random.Next(1, 100)]).ToArray();
            foreach (byte[] record in records)
            {
                random.NextBytes(record);
            }

            byte[] log = LogBuilder.Bytes(records);
            using var prefetch = new LogRecordPrefetch(Reader(new MemoryStream(log), skipSome: false), CancellationToken.None);
            var read = new List<byte[]>();
            while (prefetch.TryRead(out ArraySegment<byte> payload))
            {
                read.Add(payload.ToArray());
            }

            Assert.Equal(records, read);
            Assert.Empty(prefetch.Damage);
            using var again = new LogRecordPrefetch(Reader(new MemoryStream(log), skipSome: false), CancellationToken.None);
            Assert.Equal(Trace(Reader(new MemoryStream(log), skipSome: false)), Trace(again));
        }

        /// <summary>A log long enough that the thread is still reading when the caller stops.</summary>
        internal static byte[] LongLog(int records = 40_000)
        {
            var random = new Random(3);
            return LogBuilder.Bytes(Enumerable.Range(0, records).Select(i =>
            {
                var payload = new byte[random.Next(50, 400)];
                random.NextBytes(payload);
                return payload;
            }));
        }

        [Fact]
        public void DisposingEarlyStopsTheThreadAndTheReading()
        {
            var stream = new WatchedStream(LongLog(), delayPerRead: TimeSpan.Zero);
            var prefetch = new LogRecordPrefetch(new LogChunkReader(stream, LogPath + ".early"), CancellationToken.None);
            Assert.True(prefetch.TryRead(out _));
            Assert.True(prefetch.TryRead(out _));

            // A caller that stops taking records holds the thread to a few batches ahead: memory stays bounded.
            Thread.Sleep(300);
            long ahead = stream.Position;
            Assert.True(ahead < (LogRecordPrefetch.Batches + 2) * (LogRecordPrefetch.BatchBytes + 2 * LogChunkReader.BlockSize), "read ahead " + ahead + " bytes");
            Assert.True(ahead < stream.Length / 2);

            prefetch.Dispose();
            Assert.False(prefetch.Running);
            Assert.Equal(0, LogRecordPrefetch.RunningOn(LogPath + ".early"));
            int reads = stream.Reads;
            Thread.Sleep(50);
            Assert.Equal(reads, stream.Reads);
        }

        [Fact]
        public void CancellationStopsTheReadAtOnce()
        {
            var stream = new WatchedStream(LongLog(), delayPerRead: TimeSpan.FromMilliseconds(5));
            using var cancel = new CancellationTokenSource();
            var prefetch = new LogRecordPrefetch(new LogChunkReader(stream, LogPath + ".cancel"), cancel.Token);
            Assert.True(prefetch.TryRead(out _));
            cancel.Cancel();
            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                while (prefetch.TryRead(out _))
                {
                }
            });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "stopping took " + clock.Elapsed);
            prefetch.Dispose();
            Assert.False(prefetch.Running);
            Assert.Equal(0, LogRecordPrefetch.RunningOn(LogPath + ".cancel"));
            Assert.True(stream.Position < stream.Length, "the whole log was read after the cancellation");
        }

        [Fact]
        public void CancellationWhileTheCallerWaitsForABatchEndsTheWait()
        {
            // Every read takes seconds: the caller is still waiting for the first batch when it is cancelled, once the
            // first read has begun. The cancel comes from a thread of its own, not a timer: on a busy machine a timer
            // can fire after the first read is done, and the read would then rightly return a record.
            var stream = new WatchedStream(LongLog(), delayPerRead: TimeSpan.FromSeconds(3));
            using var cancel = new CancellationTokenSource();
            using var prefetch = new LogRecordPrefetch(new LogChunkReader(stream, LogPath + ".wait"), cancel.Token);
            var clock = new Stopwatch();
            var canceller = new Thread(() =>
            {
                while (stream.Reads == 0)
                {
                    Thread.Sleep(1);
                }

                Thread.Sleep(50);
                clock.Start();
                cancel.Cancel();
            });
            canceller.Start();
            Assert.ThrowsAny<OperationCanceledException>(() => prefetch.TryRead(out _));
            canceller.Join();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "stopping took " + clock.Elapsed + " after the cancellation");
        }

        [Fact]
        public void AnIoErrorReachesTheCallerAfterTheRecordsBeforeIt()
        {
            byte[] log = LongLog(4000);
            int failAt = log.Length / 2;
            var (direct, directError) = ReadUntilError(new LogChunkReader(new WatchedStream(log, TimeSpan.Zero, failAt), LogPath));
            var prefetch = new LogRecordPrefetch(new LogChunkReader(new WatchedStream(log, TimeSpan.Zero, failAt), LogPath + ".fails"), CancellationToken.None);
            var (prefetched, prefetchError) = ReadUntilError(prefetch);

            // The same exception the reader threw on the other thread, with its stack: the same catalogue error for the user.
            Assert.Equal(WatchedStream.Failure, directError?.Message);
            Assert.Equal(WatchedStream.Failure, prefetchError?.Message);
            Assert.Contains(nameof(WatchedStream), prefetchError!.StackTrace);
            Assert.True(direct.Count > 100);
            Assert.Equal(direct, prefetched);
            prefetch.Dispose();
            Assert.False(prefetch.Running);
            Assert.Equal(0, LogRecordPrefetch.RunningOn(LogPath + ".fails"));
        }

        private static (List<string> Seen, IOException? Error) ReadUntilError(ILogRecordSource source)
        {
            var seen = new List<string>();
            try
            {
                while (source.TryRead(out ArraySegment<byte> payload))
                {
                    seen.Add(source.RecordOffset + " " + payload.Count);
                }
            }
            catch (IOException e)
            {
                return (seen, e);
            }

            return (seen, null);
        }

        [Fact]
        public void SmallReadsStayOnTheCallingThread()
        {
            var reader = new LogChunkReader(new MemoryStream(LongLog(10)), LogPath);
            Assert.Same(reader, LogRecordPrefetch.WhenWorthIt(reader, LogRecordPrefetch.Threshold - 1, CancellationToken.None));
            using ILogRecordSource big = LogRecordPrefetch.WhenWorthIt(reader, LogRecordPrefetch.Threshold, CancellationToken.None);
            Assert.IsType<LogRecordPrefetch>(big);
        }

        /// <summary>A log in memory that can be slow, that fails at an offset, and that counts its reads.</summary>
        internal sealed class WatchedStream : MemoryStream
        {
            public const string Failure = "the disk went away";
            private readonly TimeSpan _delay;
            private readonly long _failAt;
            private int _reads;

            public WatchedStream(byte[] bytes, TimeSpan delayPerRead, long failAt = long.MaxValue)
                : base(bytes, writable: false)
            {
                _delay = delayPerRead;
                _failAt = failAt;
            }

            public int Reads => Volatile.Read(ref _reads);

            public override int Read(byte[] buffer, int offset, int count)
            {
                Interlocked.Increment(ref _reads);
                if (_delay > TimeSpan.Zero)
                {
                    Thread.Sleep(_delay);
                }

                if (Position + count > _failAt)
                {
                    throw new IOException(Failure);
                }

                return base.Read(buffer, offset, count);
            }
        }
    }
}
