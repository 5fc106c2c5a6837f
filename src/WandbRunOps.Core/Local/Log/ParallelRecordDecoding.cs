using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Decodes a long log's records on several threads and gives them back in file order. The calling thread takes the
    /// records from its <see cref="ILogRecordSource"/>, copies them into jobs (a few hundred KB of payload each, with
    /// their offsets) and hands the jobs to decode workers; when the next job in order is not yet claimed by a worker, the
    /// calling thread decodes it itself rather than wait, so the work balances itself over the cores there are. Only what
    /// is per record runs on the workers (each with its own <see cref="RecordDecoder"/>); what depends on order stays with
    /// the caller, which takes the results record by record. An exception of the source (an I/O error) or of a decoder
    /// (anything but the <see cref="FormatException"/> a decoder keeps as damage) is thrown to the caller, the same
    /// exception, after the records before it — as the sequential read would.
    /// Memory is bounded: <see cref="Jobs"/> jobs in flight, their arrays from the shared pools and recycled.
    /// The workers start with the first job, end with the read, and <see cref="Dispose"/> stops them at once and waits
    /// for them (an enumerator disposed early, an exception, Ctrl+C); the caller's cancellation stops them too.
    /// </summary>
    internal sealed class ParallelRecordDecoding : IDecodedRecordSource
    {
        /// <summary>
        /// Below this many bytes to read, the log is decoded on the calling thread (docs/performance.md, "History decoding",
        /// round four). Settable only so that the bench and the tests can take either path on the same log; nothing else sets it.
        /// </summary>
        internal static long Threshold { get; set; } = 1024 * 1024;

        /// <summary>At most this many workers beside the calling thread, which decodes too.</summary>
        internal const int MaxWorkers = 3;

        /// <summary>A job is handed over once it holds this much payload (or <see cref="JobRecords"/> records).</summary>
        internal const int JobBytes = 256 * 1024;

        /// <summary>The first job's size; each next one doubles, up to <see cref="JobBytes"/>: the first rows come early.</summary>
        private const int FirstJobBytes = 32 * 1024;

        private const int JobRecords = 4096;

        // Threads running per log path: tests check that none is left behind once a pipeline ends.
        private static readonly ThreadsPerLog RunningThreads = new ThreadsPerLog();

        private readonly ILogRecordSource _records;
        private readonly string _path;
        private readonly Func<RecordDecoder> _newDecoder;
        private readonly CancellationToken _cancellation;
        private readonly CancellationTokenSource _stop;
        private readonly Job[] _ring;
        private readonly Thread[] _workers;
        private readonly ConcurrentQueue<Job> _queue = new ConcurrentQueue<Job>();
        private readonly SemaphoreSlim _queued = new SemaphoreSlim(0);
        private RecordDecoder? _own;
        private int _head;
        private int _inFlight;
        private int _limit = FirstJobBytes;
        private bool _recordsEnded;
        private bool _started;
        private bool _disposed;

        // The job whose records the caller is taking, and the next one's index.
        private Job? _current;
        private int _next;

        /// <param name="records">The log's records; read on the calling thread only, and disposed with this.</param>
        /// <param name="path">The log's path, for <see cref="RunningOn"/>.</param>
        /// <param name="newDecoder">Makes a decoder with state of its own; called once on each thread that decodes.</param>
        /// <param name="workers">Decode threads beside the calling thread (1 to <see cref="MaxWorkers"/>).</param>
        /// <param name="cancellation">The caller's: stops the workers, and a wait for a job.</param>
        public ParallelRecordDecoding(ILogRecordSource records, string path, Func<RecordDecoder> newDecoder, int workers, CancellationToken cancellation)
        {
            _records = records;
            _path = path;
            _newDecoder = newDecoder;
            _cancellation = cancellation;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _workers = new Thread[Math.Max(1, Math.Min(MaxWorkers, workers))];
            _ring = new Job[2 * (_workers.Length + 1)];
            for (int i = 0; i < _ring.Length; i++)
            {
                _ring[i] = new Job();
            }
        }

        /// <summary>Jobs in flight: two for each thread that decodes (one decoded, one waiting).</summary>
        internal int Jobs => _ring.Length;

        /// <summary>
        /// A log's records decoded on the calling thread, their framing on the prefetch thread where that is worth it
        /// (<see cref="LogRecordPrefetch.WhenWorthIt"/>), when <paramref name="bytes"/> (what is left to read) is under
        /// <paramref name="threshold"/> (<see cref="Threshold"/>) or the machine has one processor. Else spread over ProcessorCount - 1 workers (at most
        /// <see cref="MaxWorkers"/>) and the calling thread, which does the framing itself: on two cores a prefetch thread
        /// besides made the read a third slower (docs/performance.md, "History decoding", round four), and the calling
        /// thread decodes whatever no worker has taken, so the framing's share balances itself.
        /// </summary>
        public static IDecodedRecordSource WhenWorthIt(LogChunkReader reader, string path, long bytes, long threshold, Func<RecordDecoder> newDecoder, CancellationToken cancellation) =>
            bytes < threshold || Environment.ProcessorCount < 2
                ? new DecodedOnThisThread(LogRecordPrefetch.WhenWorthIt(reader, bytes, cancellation), newDecoder())
                : new ParallelRecordDecoding(reader, path, newDecoder, Environment.ProcessorCount - 1, cancellation);

        /// <summary>How many decode workers are running on the log at <paramref name="path"/>.</summary>
        internal static int RunningOn(string path) => RunningThreads.On(path);

        public IReadOnlyList<LogDamage> Damage => _records.Damage;

        public bool TryRead(out DecodedRecord record)
        {
            while (true)
            {
                Job? job = _current;
                if (job is not null)
                {
                    if (_next == job.FailedAt)
                    {
                        Fail(job);
                    }

                    if (_next < job.Count)
                    {
                        record = job.Records[_next++];
                        return true;
                    }

                    _current = null;
                    job.Recycle();
                }

                _cancellation.ThrowIfCancellationRequested();
                Fill();
                if (_inFlight == 0)
                {
                    record = null!;
                    return false;
                }

                job = _ring[_head];
                while (!job.IsDone)
                {
                    // Rather than wait for the worker on the next job, decode the first job no one has claimed yet.
                    if (FirstUnclaimed() is Job unclaimed)
                    {
                        _own ??= _newDecoder();
                        unclaimed.Decode(_own, _stop.Token);
                    }
                    else
                    {
                        job.WaitDone(_cancellation);
                    }
                }

                _head = (_head + 1) % _ring.Length;
                _inFlight--;
                _current = job;
                _next = 0;
            }
        }

        private Job? FirstUnclaimed()
        {
            for (int i = 0; i < _inFlight; i++)
            {
                Job job = _ring[(_head + i) % _ring.Length];
                if (job.TryClaim())
                {
                    return job;
                }
            }

            return null;
        }

        /// <summary>The error a job stopped at, thrown in its place in file order.</summary>
        private void Fail(Job job)
        {
            if (job.Error is OperationCanceledException)
            {
                // A worker stopped half-way: only Dispose or the caller's cancellation do that.
                _cancellation.ThrowIfCancellationRequested();
            }

            ExceptionDispatchInfo.Capture(job.Error!).Throw();
        }

        /// <summary>Copies records into free jobs and hands them to the workers, until every job is in flight or the log ends.</summary>
        private void Fill()
        {
            while (_inFlight < _ring.Length && !_recordsEnded)
            {
                Job job = _ring[(_head + _inFlight) % _ring.Length];
                try
                {
                    while (job.Used < _limit && job.Count < JobRecords)
                    {
                        if (!_records.TryRead(out ArraySegment<byte> payload))
                        {
                            _recordsEnded = true;
                            break;
                        }

                        job.Add(_records.RecordOffset, payload);
                    }
                }
                catch (Exception e)
                {
                    // Thrown to the caller after this job's records, as the sequential read would.
                    job.Error = e;
                    job.FailedAt = job.Count;
                    _recordsEnded = true;
                }

                if (job.Count == 0 && job.Error is null)
                {
                    return;
                }

                _limit = Math.Min(2 * _limit, JobBytes);
                _inFlight++;
                job.Publish();
                StartWorkers();
                _queue.Enqueue(job);
                _queued.Release();
            }
        }

        private void StartWorkers()
        {
            if (_started)
            {
                return;
            }

            _started = true;
            for (int i = 0; i < _workers.Length; i++)
            {
                _workers[i] = new Thread(Work) { IsBackground = true, Name = "WandbRunOps history decoding" };
                RunningThreads.Count(_path, +1);
                _workers[i].Start();
            }
        }

        /// <summary>A worker: claims the queued jobs the caller has not taken and decodes them, until the read is stopped.</summary>
        private void Work()
        {
            try
            {
                RecordDecoder decode;
                try
                {
                    decode = _newDecoder();
                }
                catch (Exception)
                {
                    // Not thrown on this thread, where it would end the process: the worker ends, and the calling thread
                    // decodes the jobs it would have taken, making its own decoder the same way (and meeting the same
                    // exception there, in its place, if it is not particular to this thread).
                    return;
                }

                CancellationToken stop = _stop.Token;
                while (true)
                {
                    _queued.Wait(stop);
                    if (_queue.TryDequeue(out Job? job) && job.TryClaim())
                    {
                        job.Decode(decode, stop);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: Dispose, or the caller's cancellation, which it sees itself.
            }
            finally
            {
                RunningThreads.Count(_path, -1);
            }
        }

        /// <summary>Stops the workers and waits for them: when this returns, no thread decodes any more.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stop.Cancel();
            if (_started)
            {
                foreach (Thread worker in _workers)
                {
                    worker.Join();
                }
            }

            _current = null;
            foreach (Job job in _ring)
            {
                job.Release();
            }

            _queued.Dispose();
            _stop.Dispose();
            _records.Dispose();
        }

        /// <summary>Records' payloads back to back with their offsets, and what decoding them gave.</summary>
        private sealed class Job
        {
            private const int Free = 0, Queued = 1, Claimed = 2;

            private readonly ManualResetEventSlim _done = new ManualResetEventSlim(false);
            private byte[] _bytes = Array.Empty<byte>();
            private int[] _starts = Array.Empty<int>();
            private int[] _lengths = Array.Empty<int>();
            private long[] _offsets = Array.Empty<long>();
            private int _state;

            public DecodedRecord[] Records = Array.Empty<DecodedRecord>();
            public int Count;
            public int Used;

            /// <summary>The record index the job's <see cref="Error"/> belongs before (-1: none).</summary>
            public int FailedAt = -1;
            public Exception? Error;

            public bool IsDone => _done.IsSet;

            public void Add(long offset, ArraySegment<byte> payload)
            {
                if (_bytes.Length == 0)
                {
                    // Rented when the job is first filled: a short read of a long log rents only what it uses.
                    _bytes = ArrayPool<byte>.Shared.Rent(JobBytes);
                    _starts = ArrayPool<int>.Shared.Rent(JobRecords);
                    _lengths = ArrayPool<int>.Shared.Rent(JobRecords);
                    _offsets = ArrayPool<long>.Shared.Rent(JobRecords);
                    Records = new DecodedRecord[JobRecords];
                }

                if (Used + payload.Count > _bytes.Length)
                {
                    // A record larger than the room left (a big config or files record): the job grows for it.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, Used + payload.Count));
                    Buffer.BlockCopy(_bytes, 0, larger, 0, Used);
                    ArrayPool<byte>.Shared.Return(_bytes);
                    _bytes = larger;
                }

                Buffer.BlockCopy(payload.Array!, payload.Offset, _bytes, Used, payload.Count);
                _starts[Count] = Used;
                _lengths[Count] = payload.Count;
                _offsets[Count] = offset;
                Records[Count] ??= new DecodedRecord();
                Count++;
                Used += payload.Count;
            }

            /// <summary>Filled: from now on a worker or the caller may claim it.</summary>
            public void Publish() => Volatile.Write(ref _state, Queued);

            /// <summary>True for the one thread that gets to decode the job.</summary>
            public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

            /// <summary>Decodes every record (the claiming thread only), stopping at an exception other than damage, or when stopped.</summary>
            public void Decode(RecordDecoder decode, CancellationToken stop)
            {
                for (int i = 0; i < Count; i++)
                {
                    if (i == FailedAt)
                    {
                        break;
                    }

                    if (stop.IsCancellationRequested)
                    {
                        Error = new OperationCanceledException(stop);
                        FailedAt = i;
                        break;
                    }

                    DecodedRecord record = Records[i];
                    record.Start(_offsets[i]);
                    try
                    {
                        decode(new ArraySegment<byte>(_bytes, _starts[i], _lengths[i]), record);
                    }
                    catch (Exception e)
                    {
                        // Before any error of the source after the job's records: the caller meets this one first.
                        Error = e;
                        FailedAt = i;
                        break;
                    }
                }

                _done.Set();
            }

            public void WaitDone(CancellationToken cancellation) => _done.Wait(cancellation);

            /// <summary>Its records taken: the decoded rows are let go and the job is free to fill again.</summary>
            public void Recycle()
            {
                for (int i = 0; i < Count; i++)
                {
                    Records[i].Parts.Clear();
                }

                if (_bytes.Length > 4 * JobBytes)
                {
                    // Grown for a huge record: not kept, so a few big records do not hold memory for the rest of the read.
                    ArrayPool<byte>.Shared.Return(_bytes);
                    _bytes = ArrayPool<byte>.Shared.Rent(JobBytes);
                }

                Count = 0;
                Used = 0;
                FailedAt = -1;
                Error = null;
                _done.Reset();
                Volatile.Write(ref _state, Free);
            }

            /// <summary>Gives the arrays back to their pools (the workers have ended; nothing refers to them any more).</summary>
            public void Release()
            {
                if (_bytes.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(_bytes);
                    ArrayPool<int>.Shared.Return(_starts);
                    ArrayPool<int>.Shared.Return(_lengths);
                    ArrayPool<long>.Shared.Return(_offsets);
                }

                _bytes = Array.Empty<byte>();
                _starts = _lengths = Array.Empty<int>();
                _offsets = Array.Empty<long>();
                Records = Array.Empty<DecodedRecord>();
                _done.Dispose();
            }
        }
    }
}
