using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>One "Key: value" of a page's yaml (the front matter, or a parameter's ```yaml block), with its line in the file.</summary>
    public sealed class YamlEntry
    {
        public YamlEntry(string key, string value, int line)
        {
            Key = key;
            Value = value;
            Line = line;
        }

        public string Key { get; }

        /// <summary>The scalar's text, trimmed; empty for "Key:" with nothing after it.</summary>
        public string Value { get; }

        /// <summary>1-based line in the markdown file.</summary>
        public int Line { get; }
    }

    /// <summary>
    /// The flat yaml mappings PlatyPS pages hold, read by YamlDotNet (a problem is reported at its line in the markdown
    /// file): every value is a plain scalar, so "Parameter Sets: (All)" and "Default value: 50, then 1000" stay text.
    /// </summary>
    internal static class YamlMapping
    {
        /// <param name="yaml">The yaml text, without the fences.</param>
        /// <param name="firstLine">The file line (1-based) of the yaml text's first line.</param>
        /// <param name="what">What the yaml is, for messages ("the front matter", "-Path").</param>
        /// <param name="error">Receives a file line and a message for each problem.</param>
        /// <returns>The entries in order, or null when the yaml is not a mapping of scalars.</returns>
        public static List<YamlEntry>? Read(string yaml, int firstLine, string what, Action<int, string> error)
        {
            var entries = new List<YamlEntry>();
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(yaml));
            }
            catch (YamlException e)
            {
                // YamlDotNet's message repeats the position; the line goes in front, as in every other diagnostic.
                string message = e.InnerException?.Message ?? e.Message;
                int colon = message.IndexOf("): ", StringComparison.Ordinal);
                error(firstLine + (int)e.Start.Line - 1, what + ": not 'Key: value' yaml (" + (colon >= 0 ? message.Substring(colon + 3) : message) + ").");
                return null;
            }
            catch (InvalidOperationException e)
            {
                // YamlDotNet 16.3 throws this, with no position, for an unclosed flow collection ("[a" or "{a").
                error(firstLine, what + ": not 'Key: value' yaml (" + e.Message + ").");
                return null;
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                return entries;
            }

            if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                error(firstLine, what + ": not 'Key: value' lines.");
                return null;
            }

            bool ok = true;
            foreach (KeyValuePair<YamlNode, YamlNode> child in mapping.Children)
            {
                int line = firstLine + (int)child.Key.Start.Line - 1;
                if (child.Key is YamlScalarNode key && child.Value is YamlScalarNode value)
                {
                    entries.Add(new YamlEntry(key.Value ?? string.Empty, (value.Value ?? string.Empty).Trim(), line));
                }
                else
                {
                    error(line, what + ": '" + child.Key + "' is not a 'Key: value' line with a plain value.");
                    ok = false;
                }
            }

            return ok ? entries : null;
        }
    }
}
