using System;
using System.Runtime.CompilerServices;
using System.Text;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// A forward-only reader of the protobuf wire format over a byte range. The log's schema is read by field
    /// number (see <see cref="RecordFields"/>) so unknown fields from newer SDKs are skipped, and sub-messages we do
    /// not need (history rows during a metadata listing) are never decoded.
    /// </summary>
    /// <remarks>
    /// Every record of a log passes through here (a history row is about 250 fields), so it is built for the JIT to
    /// keep a reader in registers: four fields (the most a struct is split into registers with), the common cases
    /// (one-byte tags and lengths, the wire type expected) inlined into the caller, and what is rare (longer varints,
    /// errors) in static methods, never in a method called on the reader, which would pin the reader in memory.
    /// </remarks>
    internal struct ProtoReader
    {
        private readonly byte[] _buffer;
        private readonly int _end;
        private int _pos;

        // The current field's tag: number << 3 | wire type.
        private int _tag;

        public ProtoReader(byte[] buffer, int offset, int count)
        {
            _buffer = buffer;
            _pos = offset;
            _end = offset + count;
            _tag = 0;
        }

        public int Field => _tag >> 3;

        public WireType WireType => (WireType)(_tag & 7);

        /// <summary>Moves to the next field; false at the end of the message.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Next()
        {
            if (_pos >= _end)
            {
                return false;
            }

            // Fields 1-15 have one-byte tags: every field the log's hot records use.
            int tag = _buffer[_pos];
            if (tag < 0x80)
            {
                if (tag < 8)
                {
                    ThrowField(0, _pos + 1);
                }

                _pos++;
                _tag = tag;
                return true;
            }

            // Field numbers above 2^28 (the protobuf limit is 2^29) are refused rather than truncated: no W&B message has them.
            ulong longTag = ReadLongVarint(_buffer, _pos, _end, out int next);
            if (longTag >> 3 == 0 || longTag > int.MaxValue)
            {
                ThrowField(longTag >> 3, next);
            }

            _pos = next;
            _tag = (int)longTag;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong ReadVarint()
        {
            Require(WireType.Varint);
            return ReadRawVarint();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long ReadInt64() => (long)ReadVarint();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int ReadInt32() => (int)ReadVarint();

        public bool ReadBool() => ReadVarint() != 0;

        public double ReadDouble()
        {
            Require(WireType.Fixed64);
            Need(8);
            double value = BitConverter.Int64BitsToDouble(BitConverter.ToInt64(_buffer, _pos));
            _pos += 8;
            return value;
        }

        /// <summary>The bytes of a length-delimited field (a string, bytes or sub-message), without copying.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ArraySegment<byte> ReadBytes()
        {
            int start = ReadLength();
            return new ArraySegment<byte>(_buffer, start, _pos - start);
        }

        public string ReadString()
        {
            ArraySegment<byte> bytes = ReadBytes();
            return Encoding.UTF8.GetString(bytes.Array!, bytes.Offset, bytes.Count);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ProtoReader ReadMessage()
        {
            int start = ReadLength();
            return new ProtoReader(_buffer, start, _pos - start);
        }

        /// <summary>A google.protobuf.Timestamp sub-message as a UTC time (null when out of range).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public DateTime? ReadTimestamp()
        {
            ProtoReader message = ReadMessage();
            long seconds = 0;
            int nanos = 0;
            while (message.Next())
            {
                if (message.Field == 1)
                {
                    seconds = message.ReadInt64();
                }
                else if (message.Field == 2)
                {
                    nanos = message.ReadInt32();
                }
                else
                {
                    message.Skip();
                }
            }

            return TimeValues.FromUnixSeconds(seconds, nanos);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Skip()
        {
            // Varints (record numbers) and length-delimited fields are what gets skipped, over and over.
            if (WireType == WireType.Varint)
            {
                ReadRawVarint();
            }
            else if (WireType == WireType.LengthDelimited)
            {
                ReadLength();
            }
            else
            {
                _pos = SkipFixed(_pos, _end, _tag);
            }
        }

        private static int SkipFixed(int pos, int end, int tag)
        {
            int size = (WireType)(tag & 7) switch
            {
                WireType.Fixed64 => 8,
                WireType.Fixed32 => 4,
                _ => throw new ProtoFormatException("unsupported wire type " + (tag & 7)),
            };
            if (end - pos < size)
            {
                throw new ProtoFormatException("the message ends inside field " + (tag >> 3));
            }

            return pos + size;
        }

        /// <summary>Steps over a length-delimited field; returns where its bytes start (they end at the position after it).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int ReadLength()
        {
            Require(WireType.LengthDelimited);
            ulong length = ReadRawVarint();
            if (length > (ulong)(_end - _pos))
            {
                ThrowLength(length, _end - _pos);
            }

            int start = _pos;
            _pos += (int)length;
            return start;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Require(WireType expected)
        {
            if (WireType != expected)
            {
                ThrowWireType(_tag, expected);
            }
        }

        private void Need(int count)
        {
            if (_end - _pos < count)
            {
                throw new ProtoFormatException("the message ends inside field " + Field);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ulong ReadRawVarint()
        {
            // Tags and most lengths are one byte: the rest are read by a method of their own.
            if (_pos < _end && _buffer[_pos] < 0x80)
            {
                return _buffer[_pos++];
            }

            ulong value = ReadLongVarint(_buffer, _pos, _end, out int next);
            _pos = next;
            return value;
        }

        /// <summary>A varint of two bytes or more (or none left: that throws) at <paramref name="pos"/>; <paramref name="next"/> is the position after it.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ulong ReadLongVarint(byte[] buffer, int pos, int end, out int next)
        {
            // Record numbers, steps and times are 2-5 bytes: unrolled while the message surely holds a whole varint.
            if (end - pos >= 10)
            {
                ulong result = buffer[pos] & 0x7FUL;
                for (int shift = 7; shift < 70; shift += 7)
                {
                    ulong b = buffer[++pos];
                    result |= (b & 0x7F) << shift;
                    if (b < 0x80)
                    {
                        next = pos + 1;
                        return result;
                    }
                }

                throw new ProtoFormatException("a varint is longer than 10 bytes");
            }

            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (pos >= end)
                {
                    throw new ProtoFormatException("the message ends inside a varint");
                }

                byte b = buffer[pos++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    next = pos;
                    return value;
                }
            }

            throw new ProtoFormatException("a varint is longer than 10 bytes");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowField(ulong field, int pos) =>
            throw new ProtoFormatException("field number " + field + " at offset " + pos);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowLength(ulong length, int remaining) =>
            throw new ProtoFormatException("a field claims " + length + " bytes but " + remaining + " remain");

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowWireType(int tag, WireType expected) =>
            throw new ProtoFormatException("field " + (tag >> 3) + " has wire type " + (tag & 7) + ", expected " + (int)expected);
    }

    internal enum WireType
    {
        Varint = 0,
        Fixed64 = 1,
        LengthDelimited = 2,
        StartGroup = 3,
        EndGroup = 4,
        Fixed32 = 5,
    }

    /// <summary>A record payload that is not valid protobuf.</summary>
    internal sealed class ProtoFormatException : FormatException
    {
        public ProtoFormatException(string message)
            : base(message)
        {
        }
    }
}
