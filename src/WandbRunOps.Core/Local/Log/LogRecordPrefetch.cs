using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Runs a <see cref="LogChunkReader"/> on a thread of its own — the framing and the checksums, a fifth to a quarter
    /// of a full read — and hands its records to the caller's thread in batches, while the caller decodes the ones
    /// before. The caller sees exactly what the reader would have shown it, step by step: the same payloads, offsets,
    /// positions, stepped-over records (<see cref="Skipped"/>, called on the caller's thread, once for records stepped over
    /// one after another) and damage, in order; an exception the reader throws (an I/O error) is thrown to the caller,
    /// the same exception, after the records before it.
    /// Memory is bounded: <see cref="Batches"/> batches of about <see cref="BatchBytes"/> of payload each, recycled.
    /// The thread starts at the first <see cref="TryRead"/>, stops when the log ends, and <see cref="Dispose"/> stops it
    /// at once and waits for it (an enumerator disposed early, an exception, Ctrl+C); the caller's cancellation stops it too.
    /// The reader and its stream belong to the thread until the read ends or <see cref="Dispose"/> returns.
    /// </summary>
    internal sealed class LogRecordPrefetch : ILogRecordSource
    {
        /// <summary>
        /// Below this many bytes to read, starting the thread and its first batch (about 0.1 ms) is not paid back
        /// (docs/performance.md, "Console lines: Get-RunLog", round three): <see cref="WhenWorthIt"/> leaves the reader on
        /// the calling thread. Settable only so that the bench can time the same reads with and without the thread in
        /// one process; nothing else sets it.
        /// </summary>
        internal static long Threshold { get; set; } = 1024 * 1024;

        /// <summary>Batches in flight: one being decoded, the others being filled or waiting.</summary>
        internal const int Batches = 4;

        /// <summary>
        /// A batch is handed over once it holds this much payload (or <see cref="BatchRecords"/> records): batches this
        /// large let each thread run on through the other's pauses on a busy machine.
        /// </summary>
        internal const int BatchBytes = 1024 * 1024;

        /// <summary>The first batch's size; each next one doubles, up to <see cref="BatchBytes"/>: the caller starts decoding early.</summary>
        private const int FirstBatchBytes = 32 * 1024;

        private const int BatchRecords = 16384;

        private readonly LogChunkReader _reader;
        private readonly string _path;
        private readonly CancellationToken _cancellation;
        private readonly CancellationTokenSource _stop;
        private readonly Hand _hand = new Hand();
        private readonly List<LogDamage> _damage = new List<LogDamage>();
        private Thread? _thread;
        private bool _ended;
        private bool _disposed;

        // The batch being read, its entries and payloads (kept here, not read through the batch for every record: the
        // thread writes the batch it fills, and this object's lines stay on this core).
        private Batch? _current;
        private Entry[] _entries = Array.Empty<Entry>();
        private byte[] _bytes = Array.Empty<byte>();
        private int _count;
        private int _next;

        /// <param name="reader">A reader no one else uses from now on (its <see cref="LogChunkReader.Skipped"/> and cancellation are the prefetch's).</param>
        /// <param name="cancellation">The caller's: stops the thread, and a wait for a batch.</param>
        public LogRecordPrefetch(LogChunkReader reader, CancellationToken cancellation)
        {
            _reader = reader;
            _path = reader.Path;
            _cancellation = cancellation;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        }

        /// <summary>
        /// The reader itself when <paramref name="bytes"/> (what is left to read) is under <see cref="Threshold"/> or the
        /// machine has one processor (the thread could only take turns with the caller's), else a prefetch over it. Set
        /// the reader's <see cref="LogChunkReader.SkipWhen"/> before: it runs on the thread.
        /// </summary>
        public static ILogRecordSource WhenWorthIt(LogChunkReader reader, long bytes, CancellationToken cancellation) =>
            bytes < Threshold || Environment.ProcessorCount < 2 ? reader : new LogRecordPrefetch(reader, cancellation);

        public long RecordOffset { get; private set; }

        public long Position { get; private set; }

        public IReadOnlyList<LogDamage> Damage => _damage;

        public Action<long>? Skipped { get; set; }

        /// <summary>True while the thread runs.</summary>
        internal bool Running => _thread is not null && _thread.IsAlive;

        // Threads running per log path: tests check that none is left behind once a pipeline ends.
        private static readonly ThreadsPerLog RunningThreads = new ThreadsPerLog();

        /// <summary>How many prefetch threads are running on the log at <paramref name="path"/>.</summary>
        internal static int RunningOn(string path) => RunningThreads.On(path);

        public bool TryRead(out ArraySegment<byte> payload)
        {
            while (true)
            {
                if (_next == _count)
                {
                    if (!NextBatch())
                    {
                        payload = default;
                        return false;
                    }

                    continue;
                }

                ref Entry entry = ref _entries[_next++];
                if (entry.DamageCount != _damage.Count)
                {
                    TakeDamage(_current!, entry.DamageCount);
                }

                Position = entry.End;
                if (entry.Length < 0)
                {
                    Skipped?.Invoke(entry.Offset);
                    continue;
                }

                RecordOffset = entry.Offset;
                payload = new ArraySegment<byte>(_bytes, entry.Start, entry.Length);
                return true;
            }
        }

        /// <summary>Gives the finished batch back and waits for the next; false (or the reader's exception) at the end.</summary>
        private bool NextBatch()
        {
            Batch? done = _current;
            if (done is not null)
            {
                _current = null;
                _count = _next = 0;
                if (done.Last)
                {
                    // The thread handed this batch over as its last act: once it has returned, the read is over.
                    _thread!.Join();
                    _ended = true;
                    TakeDamage(done, done.DamageCount);
                    Position = done.End;
                    Exception? error = done.Error;
                    _hand.GiveBack(done);
                    if (error is not null)
                    {
                        ExceptionDispatchInfo.Capture(error).Throw();
                    }

                    return false;
                }

                _hand.GiveBack(done);
            }

            if (_ended)
            {
                return false;
            }

            if (_thread is null)
            {
                var filler = new Filler(_reader, _hand, _stop.Token);
                _thread = new Thread(() =>
                {
                    try
                    {
                        filler.Run();
                    }
                    finally
                    {
                        RunningThreads.Count(_path, -1);
                    }
                })
                { IsBackground = true, Name = "WandbRunOps log prefetch" };
                RunningThreads.Count(_path, +1);
                _thread.Start();
            }

            Batch batch = _hand.Take(_cancellation);
            _current = batch;
            _entries = batch.Entries;
            _bytes = batch.Bytes;
            _count = batch.Count;
            _next = 0;
            return true;
        }

        private void TakeDamage(Batch batch, int count)
        {
            while (_damage.Count < count)
            {
                _damage.Add(batch.Damage[_damage.Count - batch.DamageBase]);
            }
        }

        /// <summary>Stops the thread and waits for it: when this returns, nothing reads the stream any more.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_thread is not null)
            {
                _stop.Cancel();
                _thread.Join();
            }

            _current = null;
            _entries = Array.Empty<Entry>();
            _bytes = Array.Empty<byte>();
            _count = _next = 0;
            _ended = true;
            _stop.Dispose();
            _hand.Dispose();
        }

        /// <summary>The batches between the two threads: free ones to fill, filled ones to read, in order.</summary>
        private sealed class Hand : IDisposable
        {
            private readonly SemaphoreSlim _free = new SemaphoreSlim(Batches, Batches);
            private readonly SemaphoreSlim _filled = new SemaphoreSlim(0);
            private readonly ConcurrentQueue<Batch> _freeBatches = new ConcurrentQueue<Batch>();
            private readonly ConcurrentQueue<Batch> _filledBatches = new ConcurrentQueue<Batch>();
            private readonly List<Batch> _all = new List<Batch>(Batches);

            /// <summary>The thread: a batch to fill (made on the thread, so the batches it writes are not near what the caller writes).</summary>
            public Batch TakeFree(CancellationToken stop)
            {
                _free.Wait(stop);
                if (_freeBatches.TryDequeue(out Batch? batch))
                {
                    return batch;
                }

                batch = new Batch();
                lock (_all)
                {
                    _all.Add(batch);
                }

                return batch;
            }

            public void Give(Batch batch)
            {
                _filledBatches.Enqueue(batch);
                _filled.Release();
            }

            /// <summary>The caller: the next filled batch, waiting for it (and stopped by the caller's cancellation).</summary>
            public Batch Take(CancellationToken cancellation)
            {
                _filled.Wait(cancellation);
                _filledBatches.TryDequeue(out Batch? batch);
                return batch!;
            }

            public void GiveBack(Batch batch)
            {
                batch.Clear();
                _freeBatches.Enqueue(batch);
                _free.Release();
            }

            /// <summary>Once the thread has ended: the semaphores, and every batch's arrays back to their pools.</summary>
            public void Dispose()
            {
                _free.Dispose();
                _filled.Dispose();
                lock (_all)
                {
                    foreach (Batch batch in _all)
                    {
                        batch.Release();
                    }

                    _all.Clear();
                }
            }
        }

        /// <summary>The thread's side: fills batches from the reader until the log ends, the reader throws, or the read is stopped.</summary>
        private sealed class Filler
        {
            private readonly LogChunkReader _reader;
            private readonly Hand _hand;
            private readonly CancellationToken _stop;
            private Batch? _filling;

            // How much of the reader's damage went into batches so far.
            private int _damageTaken;

            public Filler(LogChunkReader reader, Hand hand, CancellationToken stop)
            {
                _reader = reader;
                _hand = hand;
                _stop = stop;
            }

            public void Run()
            {
                LogChunkReader reader = _reader;
                reader.Cancellation = _stop;
                reader.Skipped = offset => _filling!.AddSkipped(offset, reader.Position, reader.Damage.Count);
                int limit = FirstBatchBytes;
                try
                {
                    while (true)
                    {
                        Batch batch = _hand.TakeFree(_stop);
                        batch.DamageBase = _damageTaken;
                        _filling = batch;
                        bool more;
                        try
                        {
                            while ((more = reader.TryRead(out ArraySegment<byte> payload))
                                && batch.Add(reader.RecordOffset, reader.Position, payload, reader.Damage.Count) < limit
                                && batch.Count < BatchRecords)
                            {
                            }

                            limit = Math.Min(2 * limit, BatchBytes);
                        }
                        catch (Exception e)
                        {
                            // Handed to the caller's thread after the records before it (an OperationCanceledException too:
                            // the caller either cancelled, and throws its own, or has gone and takes nothing more).
                            batch.Error = e;
                            more = false;
                        }

                        TakeReaderDamage(batch);
                        if (!more)
                        {
                            batch.Last = true;
                            batch.End = reader.Position;
                        }

                        _filling = null;
                        _hand.Give(batch);
                        if (!more)
                        {
                            return;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopped while waiting for a free batch: Dispose, or the caller's cancellation, which it sees itself.
                }
            }

            /// <summary>The damage the reader noted since the last batch, copied into this one (the caller takes it in order).</summary>
            private void TakeReaderDamage(Batch batch)
            {
                IReadOnlyList<LogDamage> damage = _reader.Damage;
                for (; _damageTaken < damage.Count; _damageTaken++)
                {
                    batch.Damage.Add(damage[_damageTaken]);
                }

                batch.DamageCount = damage.Count;
            }
        }

        /// <summary>One record handed over, or one stepped over (<see cref="Length"/> -1).</summary>
        private struct Entry
        {
            public long Offset;
            public long End;
            public int Start;
            public int Length;

            /// <summary>How much damage the reader had noted when it gave this record.</summary>
            public int DamageCount;
        }

        /// <summary>Records' payloads back to back, their entries, and the damage noted while they were read.</summary>
        private sealed class Batch
        {
            // The arrays come from the shared pools and go back when the read ends: a read of many runs' logs, one after
            // another, does not make new megabyte arrays (and the collections they cost) for every log.
            public byte[] Bytes = ArrayPool<byte>.Shared.Rent(BatchBytes);
            public Entry[] Entries = ArrayPool<Entry>.Shared.Rent(BatchRecords);
            public int Count;
            public int Used;
            public readonly List<LogDamage> Damage = new List<LogDamage>();

            /// <summary>The reader's damage count when this batch began: <see cref="Damage"/>[0] is that one.</summary>
            public int DamageBase;

            /// <summary>The reader's damage count when this batch was handed over.</summary>
            public int DamageCount;

            /// <summary>True for the batch the read ends with; <see cref="End"/> is where it stopped, <see cref="Error"/> why, if it failed.</summary>
            public bool Last;
            public long End;
            public Exception? Error;

            /// <summary>Copies a record in; returns the payload bytes now held.</summary>
            public int Add(long offset, long end, ArraySegment<byte> payload, int damageCount)
            {
                if (Used + payload.Count > Bytes.Length)
                {
                    // A record larger than the room left (a big config or files record): the batch grows for it.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(Bytes.Length * 2, Used + payload.Count));
                    Buffer.BlockCopy(Bytes, 0, larger, 0, Used);
                    ArrayPool<byte>.Shared.Return(Bytes);
                    Bytes = larger;
                }

                Buffer.BlockCopy(payload.Array!, payload.Offset, Bytes, Used, payload.Count);
                Append(offset, end, Used, payload.Count, damageCount);
                Used += payload.Count;
                return Used;
            }

            /// <summary>
            /// A record stepped over. Records stepped over one after another with no damage between them are one entry
            /// (the first one's offset, the last one's end): a log whose records are all stepped over (history only, read
            /// for console lines) is then one entry, not one per record held until the end.
            /// </summary>
            public void AddSkipped(long offset, long end, int damageCount)
            {
                if (Count > 0 && Entries[Count - 1].Length < 0 && Entries[Count - 1].DamageCount == damageCount)
                {
                    Entries[Count - 1].End = end;
                    return;
                }

                Append(offset, end, 0, -1, damageCount);
            }

            private void Append(long offset, long end, int start, int length, int damageCount)
            {
                if (Count == Entries.Length)
                {
                    Entry[] larger = ArrayPool<Entry>.Shared.Rent(Count * 2);
                    Array.Copy(Entries, larger, Count);
                    ArrayPool<Entry>.Shared.Return(Entries);
                    Entries = larger;
                }

                ref Entry entry = ref Entries[Count++];
                entry.Offset = offset;
                entry.End = end;
                entry.Start = start;
                entry.Length = length;
                entry.DamageCount = damageCount;
            }

            public void Clear()
            {
                if (Bytes.Length > 4 * BatchBytes)
                {
                    // Grown for a huge record: not kept, so a few big records do not hold memory for the rest of the read.
                    ArrayPool<byte>.Shared.Return(Bytes);
                    Bytes = ArrayPool<byte>.Shared.Rent(BatchBytes);
                }

                Count = 0;
                Used = 0;
                Damage.Clear();
                Last = false;
                Error = null;
            }

            /// <summary>Gives the arrays back to their pools (the read is over; nothing refers to them any more).</summary>
            public void Release()
            {
                ArrayPool<byte>.Shared.Return(Bytes);
                ArrayPool<Entry>.Shared.Return(Entries);
                Bytes = Array.Empty<byte>();
                Entries = Array.Empty<Entry>();
            }
        }
    }
}
