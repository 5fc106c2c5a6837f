using System;
using System.Globalization;
using System.Text;

namespace WandbRunOps.FakeWandb;

/// <summary>The wire encodings W&amp;B uses for ids, cursors and timestamps.</summary>
public static class WandbEncoding
{
    private const string CursorPrefix = "arrayconnection:";

    /// <summary>Base64 of UTF-8 text (standard alphabet, padded), as W&amp;B's opaque ids and cursors.</summary>
    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>Decodes base64 text to UTF-8, or null when it is not base64.</summary>
    public static string? FromBase64(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>An opaque storage id: base64 of "<paramref name="typeName"/>:<paramref name="number"/>".</summary>
    public static string StorageId(string typeName, long number) =>
        Base64(typeName + ":" + number.ToString(CultureInfo.InvariantCulture));

    /// <summary>The cursor of the edge at zero-based <paramref name="offset"/>: base64 of "arrayconnection:N".</summary>
    public static string Cursor(int offset) => Base64(CursorPrefix + offset.ToString(CultureInfo.InvariantCulture));

    /// <summary>The offset a cursor names, or null when it is not an arrayconnection cursor.</summary>
    public static int? CursorOffset(string cursor)
    {
        string? text = FromBase64(cursor);
        if (text is null || !text.StartsWith(CursorPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        return int.TryParse(text.AsSpan(CursorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
    }

    /// <summary>
    /// W&amp;B's DateTime: UTC with no zone designator, "2023-11-05T17:46:35"; ".ffffff" is added only when the value
    /// has a non-zero microsecond part (a 7th tick digit is dropped, as Python's datetime has none). Local times are converted to UTC; unspecified ones are taken as UTC already.
    /// </summary>
    public static string FormatDateTime(DateTime value)
    {
        DateTime utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        string text = utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        long microseconds = utc.Ticks % TimeSpan.TicksPerSecond / 10;
        if (microseconds != 0)
        {
            text += "." + microseconds.ToString("000000", CultureInfo.InvariantCulture);
        }

        return text;
    }

    /// <summary>A stable positive number for a key (FNV-1a, 31 bits), used for numeric storage ids.</summary>
    public static long StableNumber(string key)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
        {
            hash ^= b;
            hash *= 16777619;
        }

        long n = hash & 0x7FFFFFFF;
        return n == 0 ? 1 : n;
    }
}
