using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using WandbRunOps.Json;
using WandbRunOps.Values;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace WandbRunOps.Local.Files
{
    /// <summary>
    /// Reads <c>files/config.yaml</c>. Each key is wrapped as <c>{desc, value}</c> (Python era) or <c>{value}</c>
    /// (wandb-core era); the wrapper is taken off. Scalars are typed by the YAML core schema, as PyYAML and Go's yaml
    /// wrote them: <c>.nan</c> and <c>.inf</c> become doubles, quoted text stays text.
    /// </summary>
    public static class ConfigYamlReader
    {
        /// <summary>How many values a YAML document may expand to, per character of its text, before it is refused.</summary>
        public const int ExpansionPerCharacter = 4;

        public static WandbMap Read(byte[] bytes, string path)
        {
            using var reader = new StreamReader(new MemoryStream(bytes));
            return Read(reader, path);
        }

        /// <summary>A run's config.yaml: each <c>{value, desc}</c> wrapper the SDK writes is unwrapped to its value.</summary>
        public static WandbMap Read(TextReader text, string path) => Read(text, path, unwrapValues: true);

        /// <summary>
        /// Any YAML map with the same limits (depth, alias expansion): a sweep's configuration, where a parameter written
        /// <c>{value: x}</c> means "always x" and must stay as written.
        /// </summary>
        public static WandbMap ReadPlain(string yaml, string path) => Read(new StringReader(yaml), path, unwrapValues: false);

        private static WandbMap Read(TextReader text, string path, bool unwrapValues)
        {
            string yaml = text.ReadToEnd();
            var stream = new YamlStream();
            try
            {
                CheckShape(yaml, path);
                stream.Load(new StringReader(yaml));
            }
            catch (Exception e) when (e is YamlException || e is InvalidOperationException)
            {
                // YamlDotNet reports some malformed input as InvalidOperationException from its scanner.
                throw new FormatException("'" + path + "' is not valid YAML: " + e.Message, e);
            }

            var config = new WandbMap();
            if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root))
            {
                return config;
            }

            foreach (var pair in root.Children)
            {
                string key = ((pair.Key as YamlScalarNode)?.Value) ?? string.Empty;
                object? value = Convert(pair.Value, 0);
                if (unwrapValues && value is WandbMap wrapper && wrapper.TryGetExact("value", out object? inner) && wrapper.Keys.All(k => k == "value" || k == "desc"))
                {
                    value = inner;
                }

                config.Set(key, value);
            }

            return config;
        }

        /// <summary>
        /// Refuses, from the parser's events alone, a document nested deeper than <see cref="ExtendedJson.MaxDepth"/>
        /// (loading it would recurse that deep) or one whose aliases expand it to more than
        /// <see cref="ExpansionPerCharacter"/> values per character of its text (a "billion laughs" bomb, which would
        /// take forever to convert). A document without aliases has fewer values than characters.
        /// </summary>
        private static void CheckShape(string yaml, string path)
        {
            long budget = ExpansionPerCharacter * (yaml.Length + 64L);
            long values = 0;
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            var open = new Stack<(long Values, string? Anchor)>();
            var parser = new Parser(new StringReader(yaml));
            while (parser.MoveNext())
            {
                long added;
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        added = sizes.TryGetValue(alias.Value.Value, out long size) ? size : 1;
                        break;
                    case NodeEvent start when start is SequenceStart || start is MappingStart:
                        if (open.Count == ExtendedJson.MaxDepth)
                        {
                            throw new FormatException("'" + path + "' nests deeper than " + ExtendedJson.MaxDepth + " levels.");
                        }

                        open.Push((1, start.Anchor.IsEmpty ? null : start.Anchor.Value));
                        values++;
                        continue;
                    case Scalar scalar:
                        added = 1;
                        if (!scalar.Anchor.IsEmpty)
                        {
                            sizes[scalar.Anchor.Value] = 1;
                        }

                        break;
                    case SequenceEnd _:
                    case MappingEnd _:
                        (long count, string? anchor) = open.Pop();
                        if (anchor is not null)
                        {
                            sizes[anchor] = count;
                        }

                        AddToParent(open, count);
                        continue;
                    default:
                        continue;
                }

                values += added;
                AddToParent(open, added);

                if (values > budget)
                {
                    throw new FormatException("'" + path + "' expands through its aliases to more than " + budget + " values (an alias bomb?).");
                }
            }
        }

        /// <summary>Counts <paramref name="values"/> into the innermost open collection, if any (it is an anchor's size).</summary>
        private static void AddToParent(Stack<(long Values, string? Anchor)> open, long values)
        {
            if (open.Count > 0)
            {
                (long parent, string? anchor) = open.Pop();
                open.Push((parent + values, anchor));
            }
        }

        internal static object? Convert(YamlNode node, int depth)
        {
            if (depth > ExtendedJson.MaxDepth)
            {
                throw new FormatException("YAML nesting deeper than " + ExtendedJson.MaxDepth + " levels.");
            }

            switch (node)
            {
                case YamlMappingNode mapping:
                    var map = new WandbMap();
                    foreach (var pair in mapping.Children)
                    {
                        map.Set(((pair.Key as YamlScalarNode)?.Value) ?? pair.Key.ToString(), Convert(pair.Value, depth + 1));
                    }

                    return map;
                case YamlSequenceNode sequence:
                    return new ValueList<object?>(sequence.Children.Select(child => Convert(child, depth + 1)));
                case YamlScalarNode scalar:
                    return ConvertScalar(scalar);
                default:
                    return null;
            }
        }

        private static object? ConvertScalar(YamlScalarNode scalar)
        {
            string? text = scalar.Value;
            if (scalar.Style != ScalarStyle.Plain || text is null)
            {
                return text;
            }

            switch (text)
            {
                case "":
                case "~":
                case "null":
                case "Null":
                case "NULL":
                    return null;
                case "true":
                case "True":
                case "TRUE":
                    return true;
                case "false":
                case "False":
                case "FALSE":
                    return false;
                case ".nan":
                case ".NaN":
                case ".NAN":
                    return double.NaN;
                case ".inf":
                case ".Inf":
                case ".INF":
                case "+.inf":
                    return double.PositiveInfinity;
                case "-.inf":
                case "-.Inf":
                case "-.INF":
                    return double.NegativeInfinity;
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
            {
                return whole;
            }

            if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real))
            {
                return real;
            }

            return text;
        }

        private static bool LooksNumeric(string text)
        {
            // Only YAML 1.2 core-schema floats: digits, one point, an exponent. "1_000" or "0x1F" stay text.
            foreach (char c in text)
            {
                if (!(char.IsDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
                {
                    return false;
                }
            }

            return text.Any(char.IsDigit);
        }
    }
}
