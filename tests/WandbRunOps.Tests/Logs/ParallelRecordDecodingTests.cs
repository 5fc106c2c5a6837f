using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using WandbRunOps.Local.Log;
using WandbRunOps.Tests.Core;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Logs
{
    /// <summary>
    /// Records decoded on several threads against the same records decoded on the calling thread: the same records,
    /// offsets, decoded parts, damage and end, in file order, on random logs (damaged, cut off, huge records); a decoder's
    /// exception and the stream's thrown in their place; and the workers stopped by an early dispose and by cancellation.
    /// The decoder here stands for the history decoder: it hashes each payload, keeps a FormatException as damage, and has
    /// state of its own per thread (a counter it checks is never shared).
    /// </summary>
    [Collection(WandbRunOps.Tests.Reliability.CpuHeavyCollection.Name)]
    public class ParallelRecordDecodingTests
    {
        private const string LogPath = "parallel-decoding-test.wandb";

        /// <summary>A decoder per thread: its state is touched by one thread only, or it throws.</summary>
        private static Func<RecordDecoder> Decoders(Func<ArraySegment<byte>, Exception?>? failure = null) => () =>
        {
            int owner = Environment.CurrentManagedThreadId;
            return (payload, into) =>
            {
                // The decoder's state is its thread's own: the history decoder's key table is not thread-safe.
                Assert.Equal(owner, Environment.CurrentManagedThreadId);
                if (failure?.Invoke(payload) is Exception e)
                {
                    if (e is FormatException damage)
                    {
                        into.Damage = damage;
                        return;
                    }

                    throw e;
                }

                into.Histories = payload.Count % 3;
                for (int i = 0; i < into.Histories; i++)
                {
                    var values = new WandbMap();
                    values.Set("hash", Convert.ToHexString(SHA256.HashData(payload.AsSpan())) + "/" + i);
                    into.Parts.Add(new DecodedHistory { Values = values, Step = payload.Count, Wanted = true });
                }
            };
        };

        private static List<string> Trace(IDecodedRecordSource source)
        {
            var events = new List<string>();
            while (source.TryRead(out DecodedRecord record))
            {
                events.Add(record.Offset + " " + record.Histories + " " + string.Join(",", record.Parts.Select(p => p.Values["hash"] + "@" + p.Step)) + " " + record.Damage?.Message);
            }

            events.Add("end");
            events.AddRange(source.Damage.Select(d => "damage " + d + (d.AtEnd ? " (at end)" : string.Empty)));
            return events;
        }

        private static IDecodedRecordSource OnThisThread(byte[] log, Func<RecordDecoder> decoders) =>
            new DecodedOnThisThread(new LogChunkReader(new MemoryStream(log), LogPath), decoders());

        private static ParallelRecordDecoding Spread(Stream log, Func<RecordDecoder> decoders, int workers = 1, string path = LogPath, CancellationToken cancellation = default) =>
            new ParallelRecordDecoding(new LogChunkReader(log, path), path, decoders, workers, cancellation);

        [Theory]
        [InlineData(false, 1)]
        [InlineData(true, 1)]
        [InlineData(true, 3)]
        public void RandomLogsDecodeTheSameOnSeveralThreadsAsOnOne(bool damaged, int workers)
        {
            // Damage kept by the decoder for one payload in 50 (the first byte's remainder).
            Func<RecordDecoder> decoders = Decoders(p => p.Count > 0 && p.Array![p.Offset] % 50 == 7 ? new FormatException("damaged " + p.Count) : null);
            for (int seed = 0; seed < 20; seed++)
            {
                byte[] log = LogRecordPrefetchTests.RandomLog(seed * 17 + (damaged ? 1 : 0), 3000, damaged);
                List<string> one = Trace(OnThisThread(log, decoders));
                List<string> spread;
                using (ParallelRecordDecoding parallel = Spread(new MemoryStream(log), decoders, workers))
                {
                    spread = Trace(parallel);
                }

                Assert.True(one.Count > 100, "seed " + seed + ": too few records to say anything");
                Assert.Equal(one, spread);
            }

            Assert.Equal(0, ParallelRecordDecoding.RunningOn(LogPath));
        }

        [Fact]
        public void ADecoderExceptionReachesTheCallerInItsPlaceTheSameException()
        {
            byte[] log = LogRecordPrefetchTests.LongLog(20_000);
            var failure = new InvalidOperationException("a decoder bug");
            const int FailAt = 12_345;
            int mark = FailingRecordMark(log, FailAt);
            Func<RecordDecoder> decoders = Decoders(p => p.Count >= 4 && BitConverter.ToInt32(p.Array!, p.Offset) == mark ? failure : null);
            (List<string> seen, Exception? error) = ReadUntilError(OnThisThread(log, decoders));
            Assert.Same(failure, error);
            Assert.Equal(FailAt, seen.Count);

            using ParallelRecordDecoding parallel = Spread(new MemoryStream(log), decoders, workers: 2, path: LogPath + ".bug");
            (List<string> spread, Exception? spreadError) = ReadUntilError(parallel);
            Assert.Same(failure, spreadError);
            Assert.Equal(seen, spread);
            parallel.Dispose();
            Assert.Equal(0, ParallelRecordDecoding.RunningOn(LogPath + ".bug"));
        }

        /// <summary>The first four bytes of the log's record at <paramref name="index"/> (random payloads: unique enough to pick it out).</summary>
        private static int FailingRecordMark(byte[] log, int index)
        {
            var reader = new LogChunkReader(new MemoryStream(log), LogPath);
            for (int i = 0; reader.TryRead(out ArraySegment<byte> payload); i++)
            {
                if (i == index)
                {
                    return BitConverter.ToInt32(payload.Array!, payload.Offset);
                }
            }

            throw new InvalidOperationException("the log is shorter");
        }

        [Fact]
        public void AnIoErrorReachesTheCallerAfterTheRecordsBeforeIt()
        {
            byte[] log = LogRecordPrefetchTests.LongLog(4000);
            int failAt = log.Length / 2;
            Func<RecordDecoder> decoders = Decoders();
            var direct = new DecodedOnThisThread(new LogChunkReader(new LogRecordPrefetchTests.WatchedStream(log, TimeSpan.Zero, failAt), LogPath), decoders());
            (List<string> seen, Exception? error) = ReadUntilError(direct);
            using ParallelRecordDecoding parallel = Spread(new LogRecordPrefetchTests.WatchedStream(log, TimeSpan.Zero, failAt), decoders, path: LogPath + ".fails");
            (List<string> spread, Exception? spreadError) = ReadUntilError(parallel);

            Assert.Equal(LogRecordPrefetchTests.WatchedStream.Failure, error?.Message);
            Assert.IsType<IOException>(spreadError);
            Assert.Equal(LogRecordPrefetchTests.WatchedStream.Failure, spreadError!.Message);
            Assert.True(seen.Count > 100);
            Assert.Equal(seen, spread);
            parallel.Dispose();
            Assert.Equal(0, ParallelRecordDecoding.RunningOn(LogPath + ".fails"));
        }

        private static (List<string> Seen, Exception? Error) ReadUntilError(IDecodedRecordSource source)
        {
            var seen = new List<string>();
            try
            {
                while (source.TryRead(out DecodedRecord record))
                {
                    seen.Add(record.Offset + " " + string.Join(",", record.Parts.Select(p => p.Values["hash"])));
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                return (seen, e);
            }

            return (seen, null);
        }

        [Fact]
        public void AWorkerThatCannotMakeItsDecoderLeavesItsJobsToTheCallingThread()
        {
            byte[] log = LogRecordPrefetchTests.LongLog(5000);
            Func<RecordDecoder> decoders = Decoders();
            int caller = Environment.CurrentManagedThreadId;
            Func<RecordDecoder> failingOnWorkers = () => Environment.CurrentManagedThreadId == caller ? decoders() : throw new InvalidOperationException("no decoder on a worker");
            using ParallelRecordDecoding parallel = Spread(new MemoryStream(log), failingOnWorkers, workers: 2, path: LogPath + ".nodecoder");
            Assert.Equal(Trace(OnThisThread(log, decoders)), Trace(parallel));
            parallel.Dispose();
            Assert.Equal(0, ParallelRecordDecoding.RunningOn(LogPath + ".nodecoder"));
        }

        [Fact]
        public void DisposingEarlyStopsTheWorkersAndTheReading()
        {
            var stream = new LogRecordPrefetchTests.WatchedStream(LogRecordPrefetchTests.LongLog(), delayPerRead: TimeSpan.Zero);
            ParallelRecordDecoding parallel = Spread(stream, Decoders(), workers: 3, path: LogPath + ".early");
            Assert.True(parallel.TryRead(out _));
            Assert.True(parallel.TryRead(out _));
            Assert.Equal(3, ParallelRecordDecoding.RunningOn(LogPath + ".early"));

            // A caller that stops taking records holds the read to the jobs in flight: memory stays bounded.
            Thread.Sleep(200);
            long ahead = stream.Position;
            Assert.True(ahead < parallel.Jobs * (ParallelRecordDecoding.JobBytes + 2 * LogChunkReader.BlockSize), "read ahead " + ahead + " bytes");
            Assert.True(ahead < stream.Length / 2);

            var clock = Stopwatch.StartNew();
            parallel.Dispose();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "stopping took " + clock.Elapsed);
            Assert.Equal(0, ParallelRecordDecoding.RunningOn(LogPath + ".early"));
            int reads = stream.Reads;
            Thread.Sleep(50);
            Assert.Equal(reads, stream.Reads);
        }

        [Fact]
        public void CancellationStopsTheReadAtOnce()
        {
            // Slow decoding: the workers are inside their jobs when the read is cancelled.
            Func<RecordDecoder> decoders = Decoders(_ =>
            {
                Thread.SpinWait(2000);
                return null;
            });
            var stream = new LogRecordPrefetchTests.WatchedStream(LogRecordPrefetchTests.LongLog(), delayPerRead: TimeSpan.Zero);
            using var cancel = new CancellationTokenSource();
            ParallelRecordDecoding parallel = Spread(stream, decoders, workers: 2, path: LogPath + ".cancel", cancellation: cancel.Token);
            Assert.True(parallel.TryRead(out _));
            cancel.Cancel();
            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                while (parallel.TryRead(out _))
                {
                }
            });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "stopping took " + clock.Elapsed);
            parallel.Dispose();
            Assert.Equal(0, ParallelRecordDecoding.RunningOn(LogPath + ".cancel"));
            Assert.True(stream.Position < stream.Length, "the whole log was read after the cancellation");
        }

        [Fact]
        public void SmallReadsAndOneProcessorStayOnTheCallingThread()
        {
            byte[] log = LogRecordPrefetchTests.LongLog(10);
            using IDecodedRecordSource small = ParallelRecordDecoding.WhenWorthIt(new LogChunkReader(new MemoryStream(log), LogPath), LogPath, 1000, 1001, Decoders(), CancellationToken.None);
            Assert.IsType<DecodedOnThisThread>(small);
            using IDecodedRecordSource big = ParallelRecordDecoding.WhenWorthIt(new LogChunkReader(new MemoryStream(log), LogPath), LogPath, 1001, 1001, Decoders(), CancellationToken.None);
            Assert.IsType(Environment.ProcessorCount < 2 ? typeof(DecodedOnThisThread) : typeof(ParallelRecordDecoding), big);
        }
    }
}
