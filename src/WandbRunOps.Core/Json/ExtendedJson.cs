using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using WandbRunOps.Values;

namespace WandbRunOps.Json
{
    /// <summary>
    /// The one JSON-to-value conversion of the module. W&amp;B writes JSON extended with bare <c>NaN</c>,
    /// <c>Infinity</c> and <c>-Infinity</c> (Python's json and wandb-core's pathtree both do), which strict
    /// parsers reject, so this reader accepts them. Values come out as plain CLR values: null, bool, long
    /// (integers that fit), double, string, <see cref="ValueList{T}"/> and <see cref="WandbMap"/>. Duplicate keys: the last wins.
    /// </summary>
    public static class ExtendedJson
    {
        /// <summary>Nesting deeper than this is refused rather than risking the stack on hostile input.</summary>
        public const int MaxDepth = 256;

        /// <summary>Parses one JSON value; throws <see cref="FormatException"/> with the offset on bad input.</summary>
        public static object? Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var parser = new Parser(text);
            object? value = parser.ParseValue(0);
            parser.SkipWhitespace();
            if (!parser.AtEnd)
            {
                throw parser.Error("unexpected text after the value");
            }

            return value;
        }

        /// <summary>Parses UTF-8 bytes (invalid sequences become U+FFFD, as a text editor would show them).</summary>
        /// <remarks>
        /// A lone scalar — how history rows and most config and summary values arrive, one value_json per key — is read
        /// straight from the bytes (<see cref="Utf8Scalars"/>); anything else, and any scalar the fast path is unsure
        /// of, goes through <see cref="Parse(string)"/>, so both give the same value or the same error.
        /// </remarks>
        public static object? Parse(byte[] utf8, int offset, int count)
        {
            SkipBom(utf8, ref offset, ref count);
            return Utf8Scalars.TryParse(utf8, offset, count, out object? scalar) ? scalar : Parse(Encoding.UTF8.GetString(utf8, offset, count));
        }

        /// <summary>Like <see cref="Parse(byte[], int, int)"/>, but a bad value becomes an error message instead of an exception.</summary>
        public static bool TryParse(byte[] utf8, int offset, int count, out object? value, out string? error)
        {
            SkipBom(utf8, ref offset, ref count);
            if (Utf8Scalars.TryParse(utf8, offset, count, out value))
            {
                error = null;
                return true;
            }

            return TryParse(Encoding.UTF8.GetString(utf8, offset, count), out value, out error);
        }

        private static void SkipBom(byte[] utf8, ref int offset, ref int count)
        {
            if (count >= 3 && utf8[offset] == 0xEF && utf8[offset + 1] == 0xBB && utf8[offset + 2] == 0xBF)
            {
                offset += 3;
                count -= 3;
            }
        }

        /// <summary>Like <see cref="Parse(string)"/>, but a bad value becomes an error message instead of an exception.</summary>
        public static bool TryParse(string text, out object? value, out string? error)
        {
            try
            {
                value = Parse(text);
                error = null;
                return true;
            }
            catch (FormatException e)
            {
                value = null;
                error = e.Message;
                return false;
            }
        }

        /// <summary>
        /// Writes a value as JSON: the inverse of <see cref="Parse(string)"/> (NaN and ±Infinity come out bare, as W&amp;B
        /// writes them). Maps, dictionaries and sequences nest; integers and decimals are numbers; dates are ISO 8601 UTC
        /// strings; other values are written as their invariant text.
        /// </summary>
        /// <remarks>
        /// Writing is System.Text.Json's <see cref="Utf8JsonWriter"/> (escaping and UTF-8 done by the framework); only
        /// the non-finite doubles, which it refuses, are written raw. Reading stays <see cref="Parse(string)"/>, because
        /// no System.Text.Json reader accepts the bare literals W&amp;B's files and API strings contain.
        /// </remarks>
        public static string Serialize(object? value)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                Write(writer, value, 0);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        /// <summary>A JSON string literal for <paramref name="text"/>.</summary>
        public static string Quote(string text) => Serialize(text ?? throw new ArgumentNullException(nameof(text)));

        // Relaxed escaping keeps non-ASCII text readable (it is shown in -Verbose and error messages); the output is
        // never embedded in HTML.
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = MaxDepth + 1,
        };

        private static void Write(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException("Cannot write JSON nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels.");
            }

            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case double real:
                    if (double.IsNaN(real) || double.IsInfinity(real))
                    {
                        writer.WriteRawValue(double.IsNaN(real) ? "NaN" : real > 0 ? "Infinity" : "-Infinity", skipInputValidation: true);
                    }
                    else
                    {
                        writer.WriteNumberValue(real);
                    }

                    break;
                case float single:
                    Write(writer, (double)single, depth);
                    break;
                case long or int or short or sbyte:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case ulong or uint or ushort or byte:
                    writer.WriteNumberValue(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
                    break;
                case decimal exact:
                    writer.WriteNumberValue(exact);
                    break;
                case System.Numerics.BigInteger big:
                    writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                    break;
                case DateTime time:
                    writer.WriteStringValue(time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                    break;
                case System.Collections.IDictionary map:
                    writer.WriteStartObject();
                    foreach (System.Collections.DictionaryEntry entry in map)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        Write(writer, entry.Value, depth + 1);
                    }

                    writer.WriteEndObject();
                    break;
                case System.Collections.IEnumerable sequence:
                    writer.WriteStartArray();
                    foreach (object? item in sequence)
                    {
                        Write(writer, item, depth + 1);
                    }

                    writer.WriteEndArray();
                    break;
                case IFormattable formattable:
                    writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    writer.WriteStringValue(value.ToString() ?? string.Empty);
                    break;
            }
        }

        private static readonly char[] QuoteOrBackslash = { '"', '\\' };

        private struct Parser
        {
            private readonly string _text;
            private int _pos;

            public Parser(string text)
            {
                _text = text;
                _pos = 0;
            }

            public bool AtEnd => _pos >= _text.Length;

            public void SkipWhitespace()
            {
                while (_pos < _text.Length)
                {
                    char c = _text[_pos];
                    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                    {
                        _pos++;
                    }
                    else
                    {
                        break;
                    }
                }
            }

            public FormatException Error(string what) =>
                new FormatException("Invalid JSON at offset " + _pos.ToString(CultureInfo.InvariantCulture) + ": " + what + ".");

            public object? ParseValue(int depth)
            {
                if (depth > MaxDepth)
                {
                    throw Error("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
                }

                SkipWhitespace();
                if (AtEnd)
                {
                    throw Error("unexpected end of text");
                }

                char c = _text[_pos];
                switch (c)
                {
                    case '{':
                        return ParseObject(depth);
                    case '[':
                        return ParseArray(depth);
                    case '"':
                        return ParseString();
                    case 't':
                        Expect("true");
                        return true;
                    case 'f':
                        Expect("false");
                        return false;
                    case 'n':
                        Expect("null");
                        return null;
                    case 'N':
                        Expect("NaN");
                        return double.NaN;
                    case 'I':
                        Expect("Infinity");
                        return double.PositiveInfinity;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9'))
                        {
                            return ParseNumber();
                        }

                        throw Error("unexpected character '" + c + "'");
                }
            }

            private void Expect(string word)
            {
                if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
                {
                    throw Error("expected '" + word + "'");
                }

                _pos += word.Length;
            }

            private WandbMap ParseObject(int depth)
            {
                _pos++;
                var map = new WandbMap();
                SkipWhitespace();
                if (!AtEnd && _text[_pos] == '}')
                {
                    _pos++;
                    return map;
                }

                while (true)
                {
                    SkipWhitespace();
                    if (AtEnd || _text[_pos] != '"')
                    {
                        throw Error("expected a quoted key");
                    }

                    string key = ParseString();
                    SkipWhitespace();
                    if (AtEnd || _text[_pos] != ':')
                    {
                        throw Error("expected ':'");
                    }

                    _pos++;
                    map.Set(key, ParseValue(depth + 1));
                    SkipWhitespace();
                    if (AtEnd)
                    {
                        throw Error("unterminated object");
                    }

                    char c = _text[_pos++];
                    if (c == '}')
                    {
                        return map;
                    }

                    if (c != ',')
                    {
                        _pos--;
                        throw Error("expected ',' or '}'");
                    }
                }
            }

            private ValueList<object?> ParseArray(int depth)
            {
                _pos++;
                var items = new List<object?>();
                SkipWhitespace();
                if (!AtEnd && _text[_pos] == ']')
                {
                    _pos++;
                    return ValueList<object?>.Empty;
                }

                while (true)
                {
                    items.Add(ParseValue(depth + 1));
                    SkipWhitespace();
                    if (AtEnd)
                    {
                        throw Error("unterminated array");
                    }

                    char c = _text[_pos++];
                    if (c == ']')
                    {
                        return new ValueList<object?>(items);
                    }

                    if (c != ',')
                    {
                        _pos--;
                        throw Error("expected ',' or ']'");
                    }
                }
            }

            private string ParseString()
            {
                _pos++;
                int start = _pos;
                int special = _text.IndexOfAny(QuoteOrBackslash, _pos);
                if (special < 0)
                {
                    _pos = _text.Length;
                    throw Error("unterminated string");
                }

                _pos = special;
                if (_text[special] == '\\')
                {
                    return ParseEscapedString(start);
                }

                _pos++;
                return _text.Substring(start, special - start);
            }

            private string ParseEscapedString(int start)
            {
                var builder = new StringBuilder(_text, start, _pos - start, (_pos - start) + 16);
                while (_pos < _text.Length)
                {
                    // Copy the plain run up to the next quote or backslash in one go (config strings are mostly plain).
                    int special = _text.IndexOfAny(QuoteOrBackslash, _pos);
                    if (special < 0)
                    {
                        _pos = _text.Length;
                        break;
                    }

                    builder.Append(_text, _pos, special - _pos);
                    _pos = special + 1;
                    if (_text[special] == '"')
                    {
                        return builder.ToString();
                    }

                    if (AtEnd)
                    {
                        break;
                    }

                    char e = _text[_pos++];
                    switch (e)
                    {
                        case '"': builder.Append('"'); break;
                        case '\\': builder.Append('\\'); break;
                        case '/': builder.Append('/'); break;
                        case 'b': builder.Append('\b'); break;
                        case 'f': builder.Append('\f'); break;
                        case 'n': builder.Append('\n'); break;
                        case 'r': builder.Append('\r'); break;
                        case 't': builder.Append('\t'); break;
                        case 'u':
                            if (_pos + 4 > _text.Length ||
                                !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                            {
                                throw Error("bad \\u escape");
                            }

                            builder.Append((char)code);
                            _pos += 4;
                            break;
                        default:
                            _pos--;
                            throw Error("bad escape '\\" + e + "'");
                    }
                }

                throw Error("unterminated string");
            }

            private object ParseNumber()
            {
                int start = _pos;
                if (_text[_pos] == '-')
                {
                    _pos++;
                    if (!AtEnd && _text[_pos] == 'I')
                    {
                        Expect("Infinity");
                        return double.NegativeInfinity;
                    }
                }

                bool integral = true;
                int digits = 0;
                while (_pos < _text.Length)
                {
                    char c = _text[_pos];
                    if (c >= '0' && c <= '9')
                    {
                        digits++;
                    }
                    else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
                    {
                        integral = false;
                    }
                    else
                    {
                        break;
                    }

                    _pos++;
                }

                if (digits == 0)
                {
                    throw Error("bad number");
                }

                string token = _text.Substring(start, _pos - start);
                if (integral && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
                {
                    return whole;
                }

                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double real))
                {
                    return real;
                }

                _pos = start;
                throw Error("bad number '" + token + "'");
            }
        }
    }
}
