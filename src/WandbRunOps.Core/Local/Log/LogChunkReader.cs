using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Reads the framing of a .wandb transaction log: the 7-byte header, then LevelDB-log style 32 KiB blocks of
    /// CRC-checked chunks (FULL, or FIRST/MIDDLE*/LAST) that reassemble into record payloads.
    /// Damage never stops the read: a bad chunk is noted in <see cref="Damage"/> and reading resumes at the next
    /// block, where the writer is known to start a fresh chunk. A log that ends mid-chunk or mid-record (a run still
    /// writing, or one that crashed) ends cleanly after the last complete record.
    /// </summary>
    internal sealed class LogChunkReader : ILogRecordSource
    {
        public const int BlockSize = 32768;
        public const int HeaderSize = 7;
        private const int ChunkHeaderSize = 7;
        private const byte Full = 1;
        private const byte First = 2;
        private const byte Middle = 3;
        private const byte Last = 4;

        private readonly Stream _stream;
        private readonly string _path;
        private readonly byte[] _block = new byte[BlockSize];
        private readonly List<LogDamage> _damage = new List<LogDamage>();
        private long _blockStart;
        private int _blockLength;
        private int _pos;
        private bool _eof;
        private byte[] _record = new byte[4096];
        private int _recordLength;
        private long _recordStart = -1;
        private bool _skipping;
        private long _zeroStart = -1;
        private long _zeroBytes;

        public LogChunkReader(Stream stream, string path)
        {
            _stream = stream;
            _path = path;
            FillBlock();
            if (_blockLength < HeaderSize)
            {
                throw new LogFormatException(path, _blockLength == 0 ? "the file is empty" : "the file ends inside the 7-byte header");
            }

            if (_block[0] != (byte)':' || _block[1] != (byte)'W' || _block[2] != (byte)'&' || _block[3] != (byte)'B')
            {
                throw new LogFormatException(path, "it does not start with ':W&B'");
            }

            if (_block[4] != 0xE1 || _block[5] != 0xBE)
            {
                throw new LogFormatException(path, "the header magic is not 0xBEE1");
            }

            if (_block[6] != 0)
            {
                throw new LogFormatException(path, "log format version " + _block[6] + " is not supported (only 0 exists)");
            }

            _pos = HeaderSize;
        }

        /// <summary>A reader positioned at a record's first chunk (an offset <see cref="RecordOffset"/> gave earlier).</summary>
        private LogChunkReader(Stream stream, string path, long recordOffset)
        {
            _stream = stream;
            _path = path;
            _blockStart = recordOffset - (recordOffset % BlockSize);
            stream.Seek(_blockStart, SeekOrigin.Begin);
            FillBlock();
            _pos = (int)(recordOffset % BlockSize);
        }

        /// <summary>
        /// A reader that starts at <paramref name="offset"/>: a chunk boundary (the end of a record read earlier, or a
        /// block start, where the writer always starts a chunk). From a block start, chunks that continue a record
        /// begun before it are noted as damage and skipped: a caller reading from the middle knows to expect them.
        /// Offset 0 reads the file from its header, checked.
        /// </summary>
        public static LogChunkReader At(Stream stream, string path, long offset)
        {
            if (offset <= HeaderSize)
            {
                stream.Seek(0, SeekOrigin.Begin);
                return new LogChunkReader(stream, path);
            }

            return new LogChunkReader(stream, path, offset);
        }

        /// <summary>The log's path, as given.</summary>
        public string Path => _path;

        /// <summary>The file offset just after the last chunk read: after a record is returned, where that record ends.</summary>
        public long Position => _blockStart + _pos;

        /// <summary>
        /// Optional: decides from a record's first chunk that the caller only counts it and will not decode it (history
        /// rows while listing). Such a record is stepped over — neither returned nor checksummed, so listing does not
        /// pay for checking bytes it does not use — and its offset goes to <see cref="Skipped"/>. A record the caller
        /// needs after all is read again, checked, with <see cref="ReadRecordAt"/>. Chunk headers are still checked.
        /// </summary>
        public Func<ArraySegment<byte>, bool>? SkipWhen { get; set; }

        /// <summary>Checked at every block, so a read that finds no record for a long way (a hole of zeros) still stops.</summary>
        public System.Threading.CancellationToken Cancellation { get; set; }

        /// <summary>Receives the offset of each record <see cref="SkipWhen"/> stepped over.</summary>
        public Action<long>? Skipped { get; set; }

        /// <summary>
        /// The checked payload of the record at <paramref name="recordOffset"/> (a copy), or null when it is damaged;
        /// the damage is added to <paramref name="damage"/>. The stream must be seekable.
        /// </summary>
        public static byte[]? ReadRecordAt(Stream stream, string path, long recordOffset, List<LogDamage> damage)
        {
            var reader = new LogChunkReader(stream, path, recordOffset);
            byte[]? payload = null;
            if (reader.TryRead(out ArraySegment<byte> segment) && reader.RecordOffset == recordOffset)
            {
                payload = new byte[segment.Count];
                Buffer.BlockCopy(segment.Array!, segment.Offset, payload, 0, segment.Count);
            }

            // Only damage at the record itself counts; whatever follows it is not this read's concern.
            damage.AddRange(reader.Damage.Where(d => d.Offset == recordOffset));
            if (payload is null && !damage.Any(d => d.Offset == recordOffset))
            {
                damage.Add(new LogDamage(recordOffset, "the record could not be read again"));
            }

            return payload;
        }

        /// <summary>Where the log could not be read as written.</summary>
        public IReadOnlyList<LogDamage> Damage => _damage;

        /// <summary>True when the log is only the 7-byte header.</summary>
        public bool HeaderOnly => _blockStart == 0 && _blockLength == HeaderSize && _eof;

        /// <summary>The file offset where the current record started.</summary>
        public long RecordOffset { get; private set; }

        /// <summary>
        /// The next complete record's payload, or false at the end. The returned segment is only valid until the next call.
        /// </summary>
        public bool TryRead(out ArraySegment<byte> payload)
        {
            while (true)
            {
                if (_blockLength - _pos < ChunkHeaderSize)
                {
                    if (_eof && _blockLength < BlockSize && HasNonZero(_pos, _blockLength))
                    {
                        Note(_blockStart + _pos, "the log ends inside a chunk header; the run may still be writing or was cut off", atEnd: true);
                        _pos = _blockLength;
                    }

                    if (!NextBlock())
                    {
                        FinishAtEnd();
                        payload = default;
                        return false;
                    }

                    continue;
                }

                long chunkOffset = _blockStart + _pos;
                uint checksum = BitConverter.ToUInt32(_block, _pos);
                int length = BitConverter.ToUInt16(_block, _pos + 4);
                byte type = _block[_pos + 6];
                if (checksum == 0 && length == 0 && type == 0)
                {
                    // A zeroed region (preallocated or mmap'd file): nothing more in this block.
                    SkipRestOfBlock();
                    continue;
                }

                int payloadStart = _pos + ChunkHeaderSize;
                if (payloadStart + length > _blockLength)
                {
                    if (_blockLength < BlockSize && _eof)
                    {
                        Note(
                            chunkOffset,
                            "the log ends inside a chunk that claims " + length + " bytes (" + (_blockLength - payloadStart)
                            + " present); the run may still be writing or was cut off",
                            atEnd: true);
                        DropPartial(atEnd: true);
                        _pos = _blockLength;
                        continue;
                    }

                    Note(chunkOffset, "a chunk claims " + length + " bytes, more than its block holds");
                    DropPartial();
                    SkipRestOfBlock();
                    continue;
                }

                if (type < Full || type > Last)
                {
                    Note(chunkOffset, "unknown chunk type " + type);
                    DropPartial();
                    SkipRestOfBlock();
                    continue;
                }

                bool continuesSkipped = _skipping && _recordStart >= 0 && (type == Middle || type == Last);
                bool startsSkipped = !continuesSkipped && (type == Full || type == First) && SkipWhen is not null && SkipWhen(new ArraySegment<byte>(_block, payloadStart, length));
                if (!continuesSkipped && !startsSkipped && Crc32.Compute(type, _block, payloadStart, length) != checksum)
                {
                    Note(chunkOffset, "checksum mismatch");
                    DropPartial();
                    SkipRestOfBlock();
                    continue;
                }

                _pos = payloadStart + length;
                switch (type)
                {
                    case Full:
                        DropPartial(chunkOffset);
                        if (startsSkipped)
                        {
                            Skipped?.Invoke(chunkOffset);
                            break;
                        }

                        RecordOffset = chunkOffset;
                        payload = new ArraySegment<byte>(_block, payloadStart, length);
                        return true;
                    case First:
                        DropPartial(chunkOffset);
                        _recordStart = chunkOffset;
                        _recordLength = 0;
                        _skipping = startsSkipped;
                        if (!_skipping)
                        {
                            Append(payloadStart, length);
                        }

                        break;
                    case Middle:
                        if (_recordStart < 0)
                        {
                            Note(chunkOffset, "a MIDDLE chunk without its FIRST chunk was skipped");
                            break;
                        }

                        if (!_skipping)
                        {
                            Append(payloadStart, length);
                        }

                        break;
                    default:
                        if (_recordStart < 0)
                        {
                            Note(chunkOffset, "a LAST chunk without its FIRST chunk was skipped");
                            break;
                        }

                        long start = _recordStart;
                        _recordStart = -1;
                        if (_skipping)
                        {
                            _skipping = false;
                            Skipped?.Invoke(start);
                            break;
                        }

                        Append(payloadStart, length);
                        RecordOffset = start;
                        payload = new ArraySegment<byte>(_record, 0, _recordLength);
                        return true;
                }
            }
        }

        /// <summary>Nothing to release: the stream is the caller's. (A source read through <see cref="ILogRecordSource"/> is disposed either way.)</summary>
        public void Dispose()
        {
        }

        private void Append(int offset, int count)
        {
            if (_recordLength + count > _record.Length)
            {
                Array.Resize(ref _record, Math.Max(_record.Length * 2, _recordLength + count));
            }

            Buffer.BlockCopy(_block, offset, _record, _recordLength, count);
            _recordLength += count;
        }

        /// <summary>Abandons a record whose FIRST chunk was never completed.</summary>
        /// <param name="interruptedBy">The offset of the record that began before this one ended.</param>
        /// <param name="atEnd">True when the log ends here: the record was still being written, nothing was lost.</param>
        private void DropPartial(long? interruptedBy = null, bool atEnd = false)
        {
            if (_recordStart >= 0)
            {
                Note(_recordStart, interruptedBy is null
                    ? "a record split across chunks is incomplete and was dropped"
                    : "a record split across chunks was interrupted by a new record at offset " + interruptedBy + " and was dropped", atEnd);
                _recordStart = -1;
                _skipping = false;
            }
        }

        private void FinishAtEnd()
        {
            if (_recordStart >= 0)
            {
                Note(_recordStart, "the log ends inside a record (FIRST chunk without LAST); the run may still be writing or was cut off", atEnd: true);
                _recordStart = -1;
                _skipping = false;
            }
        }

        private bool HasNonZero(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                if (_block[i] != 0)
                {
                    return true;
                }
            }

            return false;
        }

        private void Note(long offset, string description, bool atEnd = false) => _damage.Add(new LogDamage(offset, description, atEnd));

        private void SkipRestOfBlock() => _pos = _blockLength;

        private bool NextBlock()
        {
            if (_eof && _blockLength < BlockSize)
            {
                EndZeroRun();
                return false;
            }

            Cancellation.ThrowIfCancellationRequested();
            _blockStart += _blockLength;
            FillBlock();
            _pos = 0;
            if (_blockLength == 0)
            {
                EndZeroRun();
                return false;
            }

            if (IsAllZero(_block, _blockLength))
            {
                // The writer never leaves a whole block of zeros: a sparse hole, or data lost. Counted, said once per run of them.
                if (_zeroStart < 0)
                {
                    _zeroStart = _blockStart;
                }

                _zeroBytes += _blockLength;
                _pos = _blockLength;
            }
            else
            {
                EndZeroRun();
            }

            return true;
        }

        private void EndZeroRun()
        {
            if (_zeroStart >= 0)
            {
                Note(_zeroStart, _zeroBytes + " bytes of zeros (a hole in the file, or lost data)");
                _zeroStart = -1;
                _zeroBytes = 0;
            }
        }

        private static unsafe bool IsAllZero(byte[] block, int length)
        {
            fixed (byte* start = block)
            {
                int words = length / sizeof(ulong);
                ulong* word = (ulong*)start;
                for (int i = 0; i < words; i++)
                {
                    if (word[i] != 0)
                    {
                        return false;
                    }
                }

                for (int i = words * sizeof(ulong); i < length; i++)
                {
                    if (start[i] != 0)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private void FillBlock()
        {
            int filled = 0;
            while (filled < BlockSize)
            {
                int read = _stream.Read(_block, filled, BlockSize - filled);
                if (read <= 0)
                {
                    _eof = true;
                    break;
                }

                filled += read;
            }

            _blockLength = filled;
            if (filled == BlockSize && _stream.CanSeek && _stream.Position >= _stream.Length)
            {
                _eof = true;
            }
        }
    }
}
