using System;
using System.Text;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// A forward-only reader of the protobuf wire format over a byte range. The log's schema is read by field
    /// number (see <see cref="RecordFields"/>) so unknown fields from newer SDKs are skipped, and sub-messages we do
    /// not need (history rows during a metadata listing) are never decoded.
    /// </summary>
    internal struct ProtoReader
    {
        private readonly byte[] _buffer;
        private readonly int _end;
        private int _pos;

        public ProtoReader(byte[] buffer, int offset, int count)
        {
            _buffer = buffer;
            _pos = offset;
            _end = offset + count;
        }

        public int Field { get; private set; }

        public WireType WireType { get; private set; }

        /// <summary>Moves to the next field; false at the end of the message.</summary>
        public bool Next()
        {
            if (_pos >= _end)
            {
                return false;
            }

            ulong tag = ReadRawVarint();
            Field = (int)(tag >> 3);
            WireType = (WireType)(tag & 7);
            if (Field <= 0)
            {
                throw new ProtoFormatException("field number 0 at offset " + _pos);
            }

            return true;
        }

        public ulong ReadVarint()
        {
            Require(WireType.Varint);
            return ReadRawVarint();
        }

        public long ReadInt64() => (long)ReadVarint();

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
        public ArraySegment<byte> ReadBytes()
        {
            Require(WireType.LengthDelimited);
            ulong length = ReadRawVarint();
            if (length > (ulong)(_end - _pos))
            {
                throw new ProtoFormatException("a field claims " + length + " bytes but " + (_end - _pos) + " remain");
            }

            var segment = new ArraySegment<byte>(_buffer, _pos, (int)length);
            _pos += (int)length;
            return segment;
        }

        public string ReadString()
        {
            ArraySegment<byte> bytes = ReadBytes();
            return Encoding.UTF8.GetString(bytes.Array!, bytes.Offset, bytes.Count);
        }

        public ProtoReader ReadMessage()
        {
            ArraySegment<byte> bytes = ReadBytes();
            return new ProtoReader(bytes.Array!, bytes.Offset, bytes.Count);
        }

        /// <summary>A google.protobuf.Timestamp sub-message as a UTC time (null when out of range).</summary>
        public DateTime? ReadTimestamp()
        {
            ProtoReader message = ReadMessage();
            long seconds = 0;
            int nanos = 0;
            while (message.Next())
            {
                switch (message.Field)
                {
                    case 1: seconds = message.ReadInt64(); break;
                    case 2: nanos = message.ReadInt32(); break;
                    default: message.Skip(); break;
                }
            }

            return TimeValues.FromUnixSeconds(seconds, nanos);
        }

        public void Skip()
        {
            switch (WireType)
            {
                case WireType.Varint:
                    ReadRawVarint();
                    break;
                case WireType.Fixed64:
                    Need(8);
                    _pos += 8;
                    break;
                case WireType.LengthDelimited:
                    ReadBytes();
                    break;
                case WireType.Fixed32:
                    Need(4);
                    _pos += 4;
                    break;
                default:
                    throw new ProtoFormatException("unsupported wire type " + (int)WireType);
            }
        }

        private void Require(WireType expected)
        {
            if (WireType != expected)
            {
                throw new ProtoFormatException("field " + Field + " has wire type " + (int)WireType + ", expected " + (int)expected);
            }
        }

        private void Need(int count)
        {
            if (_end - _pos < count)
            {
                throw new ProtoFormatException("the message ends inside field " + Field);
            }
        }

        private ulong ReadRawVarint()
        {
            // Tags and most lengths are one byte: the loop is for the rest.
            if (_pos < _end && _buffer[_pos] < 0x80)
            {
                return _buffer[_pos++];
            }

            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_pos >= _end)
                {
                    throw new ProtoFormatException("the message ends inside a varint");
                }

                byte b = _buffer[_pos++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new ProtoFormatException("a varint is longer than 10 bytes");
        }
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
