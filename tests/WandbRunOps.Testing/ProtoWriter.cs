using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace WandbRunOps.Testing;

/// <summary>
/// Minimal protobuf wire-format writer, enough to build wandb_internal.Record payloads.
/// Scalar helpers follow proto3 implicit presence and omit default values (0, false, null);
/// <see cref="WriteMessage"/> always writes, because an empty sub-message still means "present".
/// </summary>
public sealed class ProtoWriter
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;

    private readonly MemoryStream _buffer = new();

    public void WriteInt64(int field, long value)
    {
        if (value == 0) return;
        WriteTag(field, WireVarint);
        WriteRawVarint(unchecked((ulong)value));
    }

    // int32 negatives are sign-extended to ten bytes on the wire, exactly like int64.
    public void WriteInt32(int field, int value) => WriteInt64(field, value);

    public void WriteBool(int field, bool value)
    {
        if (!value) return;
        WriteTag(field, WireVarint);
        WriteRawVarint(1);
    }

    public void WriteDouble(int field, double value)
    {
        // Bitwise test so -0.0 and NaN are still written (they are not the proto3 default).
        if (BitConverter.DoubleToInt64Bits(value) == 0) return;
        WriteTag(field, WireFixed64);
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    /// <summary>Writes a UTF-8 string; null is skipped, an explicit empty string is written.</summary>
    public void WriteString(int field, string? value)
    {
        if (value is null) return;
        WriteBytes(field, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Writes every element, empty strings included (a repeated element has no default).</summary>
    public void WriteRepeatedString(int field, IEnumerable<string>? values)
    {
        if (values is null) return;
        foreach (string value in values) WriteBytes(field, Encoding.UTF8.GetBytes(value));
    }

    public void WriteBytes(int field, byte[] value)
    {
        WriteTag(field, WireLengthDelimited);
        WriteRawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>Writes a sub-message, always, even when the body writes nothing.</summary>
    public void WriteMessage(int field, Action<ProtoWriter> body)
    {
        var inner = new ProtoWriter();
        body(inner);
        WriteBytes(field, inner.ToArray());
    }

    /// <summary>google.protobuf.Timestamp {seconds = 1, nanos = 2}; the value is taken as UTC.</summary>
    public void WriteTimestamp(int field, DateTime utc)
    {
        long ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0) { seconds--; remainder += TimeSpan.TicksPerSecond; }
        WriteMessage(field, t =>
        {
            t.WriteInt64(1, seconds);
            t.WriteInt32(2, (int)(remainder * 100));
        });
    }

    public void WriteTag(int field, int wireType)
    {
        if (field <= 0) throw new ArgumentOutOfRangeException(nameof(field), "Protobuf field numbers start at 1.");
        WriteRawVarint(((ulong)field << 3) | (uint)wireType);
    }

    public void WriteRawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }

    public byte[] ToArray() => _buffer.ToArray();
}
