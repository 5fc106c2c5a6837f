using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace WandbRunOps.Values
{
    /// <summary>
    /// The one JSON-to-value conversion of the module. W&amp;B writes JSON extended with bare <c>NaN</c>,
    /// <c>Infinity</c> and <c>-Infinity</c> (Python's json and wandb-core's pathtree both do), which strict
    /// parsers reject, so this reader accepts them. Values come out as plain CLR values: null, bool, long
    /// (integers that fit), double, string, <c>object?[]</c> and <see cref="WandbMap"/>. Duplicate keys: the last wins.
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
        public static object? Parse(byte[] utf8, int offset, int count)
        {
            int start = offset;
            if (count >= 3 && utf8[offset] == 0xEF && utf8[offset + 1] == 0xBB && utf8[offset + 2] == 0xBF)
            {
                start += 3;
                count -= 3;
            }

            return Parse(Encoding.UTF8.GetString(utf8, start, count));
        }

        /// <summary>Like <see cref="Parse(string)"/>, but a bad value becomes its raw text instead of an error.</summary>
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
        /// writes them). Maps, dictionaries and sequences nest; other values are written as their invariant text.
        /// </summary>
        public static string Serialize(object? value)
        {
            var builder = new StringBuilder();
            Write(builder, value, 0);
            return builder.ToString();
        }

        /// <summary>A JSON string literal for <paramref name="text"/>.</summary>
        public static string Quote(string text)
        {
            var builder = new StringBuilder(text.Length + 2);
            WriteString(builder, text);
            return builder.ToString();
        }

        private static void Write(StringBuilder builder, object? value, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException("Cannot write JSON nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels.");
            }

            switch (value)
            {
                case null:
                    builder.Append("null");
                    break;
                case string text:
                    WriteString(builder, text);
                    break;
                case bool flag:
                    builder.Append(flag ? "true" : "false");
                    break;
                case double real:
                    builder.Append(double.IsNaN(real) ? "NaN"
                        : double.IsPositiveInfinity(real) ? "Infinity"
                        : double.IsNegativeInfinity(real) ? "-Infinity"
                        : real.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case float single:
                    Write(builder, (double)single, depth);
                    break;
                case DateTime time:
                    WriteString(builder, time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                    break;
                case System.Collections.IDictionary map:
                    builder.Append('{');
                    bool firstKey = true;
                    foreach (System.Collections.DictionaryEntry entry in map)
                    {
                        if (!firstKey)
                        {
                            builder.Append(',');
                        }

                        firstKey = false;
                        WriteString(builder, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        builder.Append(':');
                        Write(builder, entry.Value, depth + 1);
                    }

                    builder.Append('}');
                    break;
                case System.Collections.IEnumerable sequence:
                    builder.Append('[');
                    bool firstItem = true;
                    foreach (object? item in sequence)
                    {
                        if (!firstItem)
                        {
                            builder.Append(',');
                        }

                        firstItem = false;
                        Write(builder, item, depth + 1);
                    }

                    builder.Append(']');
                    break;
                case IFormattable number:
                    builder.Append(number.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    WriteString(builder, value.ToString() ?? string.Empty);
                    break;
            }
        }

        private static void WriteString(StringBuilder builder, string text)
        {
            builder.Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (c < ' ')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            builder.Append('"');
        }

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

            private object?[] ParseArray(int depth)
            {
                _pos++;
                var items = new List<object?>();
                SkipWhitespace();
                if (!AtEnd && _text[_pos] == ']')
                {
                    _pos++;
                    return items.ToArray();
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
                        return items.ToArray();
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
                while (_pos < _text.Length)
                {
                    char c = _text[_pos];
                    if (c == '"')
                    {
                        string plain = _text.Substring(start, _pos - start);
                        _pos++;
                        return plain;
                    }

                    if (c == '\\')
                    {
                        return ParseEscapedString(start);
                    }

                    _pos++;
                }

                throw Error("unterminated string");
            }

            private string ParseEscapedString(int start)
            {
                var builder = new StringBuilder(_text, start, _pos - start, (_pos - start) + 16);
                while (_pos < _text.Length)
                {
                    char c = _text[_pos++];
                    if (c == '"')
                    {
                        return builder.ToString();
                    }

                    if (c != '\\')
                    {
                        builder.Append(c);
                        continue;
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
