using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace WandbRunOps.HelpBuilder
{
    /// <summary>
    /// Reads a cmdlet page in the PlatyPS 0.14 markdown schema (schema: 2.0.0): front matter, "# Name", then the
    /// sections SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES and RELATED LINKS.
    /// Every problem found is added to the diagnostics with its line; the page is returned only when it has none.
    /// </summary>
    public static class CommandHelpReader
    {
        private static readonly string[] KnownSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        private static readonly string[] RequiredSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "PARAMETERS" };

        private static readonly string[] RequiredYamlKeys = { "Type", "Parameter Sets", "Required", "Position", "Accept pipeline input", "Accept wildcard characters" };

        private static readonly string[] KnownYamlKeys =
        {
            "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
            "Accept pipeline input", "Accept wildcard characters", "Applicable",
        };

        private static readonly Regex SyntaxParameter = new Regex(@"(?:^|[\s\[])-(?<name>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant);

        public static CommandHelp? Read(MarkdownSource source, List<HelpDiagnostic> diagnostics)
        {
            int before = diagnostics.Count;
            void Error(int line, string message) => diagnostics.Add(new HelpDiagnostic(source.Path, line, message));

            Outline outline = source.Outline();
            string fileCommand = System.IO.Path.GetFileNameWithoutExtension(source.Path);
            if (!source.FrontMatter.TryGetValue("external help file", out string? helpFile) || string.IsNullOrWhiteSpace(helpFile))
            {
                Error(1, "the front matter has no 'external help file' (such as WandbRunOps.dll-Help.xml): a command page starts with the PlatyPS front matter block (--- ... ---).");
                helpFile = "unknown-Help.xml";
            }
            else if (!helpFile.EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase) || helpFile.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
            {
                Error(1, "'external help file: " + helpFile + "' is not a help file name such as WandbRunOps.dll-Help.xml.");
            }

            if (outline.Title is null)
            {
                Error(1, "there is no '# " + fileCommand + "' title.");
                return null;
            }

            if (!string.Equals(outline.Title, fileCommand, StringComparison.OrdinalIgnoreCase))
            {
                Error(outline.TitleLine, "the title '# " + outline.Title + "' does not match the file name " + fileCommand + ".md.");
            }

            foreach (Block stray in outline.Stray)
            {
                Error(stray.Line + 1, "content outside a section: everything after the title belongs under a '## SECTION' heading.");
            }

            var help = new CommandHelp(outline.Title, helpFile);
            if (source.FrontMatter.TryGetValue("online version", out string? online) && !string.IsNullOrWhiteSpace(online))
            {
                if (Inlines.IsAbsolute(online))
                {
                    help.OnlineVersion = online;
                }
                else
                {
                    Error(1, "'online version: " + online + "' is not an http(s) address.");
                }
            }

            var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
            foreach (Section section in outline.Sections)
            {
                string name = section.Title.ToUpperInvariant();
                if (!KnownSections.Contains(name))
                {
                    Error(section.Line, "unknown section '## " + section.Title + "'; a PlatyPS command page has " + string.Join(", ", KnownSections) + ".");
                }
                else if (sections.ContainsKey(name))
                {
                    Error(section.Line, "the section '## " + name + "' appears twice.");
                }
                else
                {
                    sections[name] = section;
                }
            }

            foreach (string required in RequiredSections.Where(r => !sections.ContainsKey(r)))
            {
                Error(outline.TitleLine, "the '## " + required + "' section is missing.");
            }

            if (sections.TryGetValue("SYNOPSIS", out Section? synopsis))
            {
                help.Synopsis = string.Join(" ", MamlText.Paragraphs(synopsis.Blocks));
                if (help.Synopsis.Length == 0)
                {
                    Error(synopsis.Line, "the SYNOPSIS is empty.");
                }

                NoSubsections(synopsis, Error);
            }

            if (sections.TryGetValue("DESCRIPTION", out Section? description))
            {
                help.Description.AddRange(MamlText.Paragraphs(description.Blocks.Concat(description.Subsections.SelectMany(HeadingAndBlocks))));
                if (help.Description.Count == 0)
                {
                    Error(description.Line, "the DESCRIPTION is empty.");
                }
            }

            if (sections.TryGetValue("PARAMETERS", out Section? parameters))
            {
                ReadParameters(parameters, help, Error);
            }

            if (sections.TryGetValue("SYNTAX", out Section? syntax))
            {
                ReadSyntax(syntax, help, Error);
            }

            if (sections.TryGetValue("EXAMPLES", out Section? examples))
            {
                ReadExamples(examples, help, Error);
            }

            if (sections.TryGetValue("INPUTS", out Section? inputs))
            {
                ReadTypes(inputs, help.Inputs, Error);
            }

            if (sections.TryGetValue("OUTPUTS", out Section? outputs))
            {
                ReadTypes(outputs, help.Outputs, Error);
            }

            if (sections.TryGetValue("NOTES", out Section? notes))
            {
                help.Notes.AddRange(MamlText.Paragraphs(notes.Blocks.Concat(notes.Subsections.SelectMany(HeadingAndBlocks))));
            }

            if (sections.TryGetValue("RELATED LINKS", out Section? links))
            {
                ReadLinks(links, help, Error);
            }

            return diagnostics.Count == before ? help : null;
        }

        private static IEnumerable<Block> HeadingAndBlocks(Subsection subsection)
        {
            // A ### heading inside DESCRIPTION or NOTES is kept as a paragraph of its own.
            var heading = new ParagraphBlock();
            heading.Inline = new ContainerInline().AppendChild(new LiteralInline(subsection.Title));
            return new Block[] { heading }.Concat(subsection.Blocks);
        }

        private static void NoSubsections(Section section, Action<int, string> error)
        {
            foreach (Subsection subsection in section.Subsections)
            {
                error(subsection.Line, "'### " + subsection.Title + "' does not belong in " + section.Title + ".");
            }
        }

        private static void ReadParameters(Section section, CommandHelp help, Action<int, string> error)
        {
            foreach (Block block in section.Blocks.Where(b => !Blocks.IsComment(b)))
            {
                error(block.Line + 1, "PARAMETERS holds only '### -Name' subsections (and '### CommonParameters').");
            }

            foreach (Subsection subsection in section.Subsections)
            {
                if (string.Equals(subsection.Title, "CommonParameters", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!subsection.Title.StartsWith("-", StringComparison.Ordinal) || subsection.Title.Length < 2 || subsection.Title.Skip(1).Any(c => !char.IsLetterOrDigit(c) && c != '_'))
                {
                    error(subsection.Line, "'### " + subsection.Title + "' is not a parameter heading such as '### -Path'.");
                    continue;
                }

                var parameter = new ParameterHelp(subsection.Title.Substring(1));
                if (help.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    error(subsection.Line, "the parameter -" + parameter.Name + " is documented twice.");
                    continue;
                }

                var descriptionBlocks = new List<Block>();
                foreach (Block block in subsection.Blocks)
                {
                    if (block is FencedCodeBlock fenced && string.Equals(fenced.Info, "yaml", StringComparison.OrdinalIgnoreCase))
                    {
                        ParameterMetadata? metadata = ReadYaml(fenced, parameter.Name, error);
                        if (metadata is not null)
                        {
                            parameter.Metadata.Add(metadata);
                        }
                    }
                    else
                    {
                        descriptionBlocks.Add(block);
                    }
                }

                parameter.Description.AddRange(MamlText.Paragraphs(descriptionBlocks));
                if (parameter.Description.Count == 0)
                {
                    error(subsection.Line, "the parameter -" + parameter.Name + " has no description.");
                }

                if (parameter.Metadata.Count == 0 && !subsection.Blocks.OfType<FencedCodeBlock>().Any(f => string.Equals(f.Info, "yaml", StringComparison.OrdinalIgnoreCase)))
                {
                    error(
                        subsection.Line,
                        "the parameter -" + parameter.Name + " has no ```yaml block (Type, Parameter Sets, Aliases, "
                        + "Required, Position, Default value, Accept pipeline input, Accept wildcard characters).");
                }

                help.Parameters.Add(parameter);
            }
        }

        private static ParameterMetadata? ReadYaml(FencedCodeBlock block, string parameter, Action<int, string> error)
        {
            var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
            List<YamlEntry>? entries = YamlMapping.Read(Blocks.Code(block), block.Line + 2, "-" + parameter, error);
            if (entries is null)
            {
                return null;
            }

            bool ok = true;
            foreach (YamlEntry entry in entries)
            {
                if (!KnownYamlKeys.Contains(entry.Key, StringComparer.OrdinalIgnoreCase))
                {
                    error(entry.Line, "-" + parameter + ": unknown key '" + entry.Key + "'; the keys are " + string.Join(", ", KnownYamlKeys) + ".");
                    ok = false;
                }
                else if (values.ContainsKey(entry.Key))
                {
                    // YamlDotNet refuses exact duplicates itself; this catches the same key in another case.
                    error(entry.Line, "-" + parameter + ": '" + entry.Key + "' appears twice.");
                    ok = false;
                }
                else
                {
                    values[entry.Key] = (entry.Value, entry.Line);
                }
            }

            foreach (string key in RequiredYamlKeys.Where(k => !values.ContainsKey(k)))
            {
                error(block.Line + 1, "-" + parameter + ": the yaml block has no '" + key + ":' line.");
                ok = false;
            }

            if (!ok)
            {
                return null;
            }

            var metadata = new ParameterMetadata();
            (string type, int typeLine) = values["Type"];
            if (type.Length == 0)
            {
                error(typeLine, "-" + parameter + ": 'Type:' is empty.");
                ok = false;
            }

            metadata.Type = type;

            (string sets, int setsLine) = values["Parameter Sets"];
            if (sets.Length == 0)
            {
                error(setsLine, "-" + parameter + ": 'Parameter Sets:' is empty; write (All) or set names.");
                ok = false;
            }
            else if (sets != "(All)")
            {
                metadata.ParameterSets.AddRange(SplitList(sets));
            }

            if (values.TryGetValue("Aliases", out var aliases))
            {
                metadata.Aliases.AddRange(SplitList(aliases.Value));
            }

            if (values.TryGetValue("Accepted values", out var accepted))
            {
                metadata.AcceptedValues.AddRange(SplitList(accepted.Value));
            }

            ok &= Boolean(values["Required"], parameter, "Required", error, out bool required);
            metadata.Required = required;
            ok &= Boolean(values["Accept wildcard characters"], parameter, "Accept wildcard characters", error, out bool globbing);
            metadata.Globbing = globbing;

            (string position, int positionLine) = values["Position"];
            if (string.Equals(position, "Named", StringComparison.OrdinalIgnoreCase))
            {
                metadata.Position = "named";
            }
            else if (int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                metadata.Position = index.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                error(positionLine, "-" + parameter + ": 'Position: " + position + "' is neither Named nor a number.");
                ok = false;
            }

            if (values.TryGetValue("Default value", out var defaultValue) && defaultValue.Value.Length > 0)
            {
                metadata.DefaultValue = defaultValue.Value;
            }

            (string pipeline, int pipelineLine) = values["Accept pipeline input"];
            if (!Regex.IsMatch(pipeline, @"^(False|True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\)|True)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                error(pipelineLine, "-" + parameter + ": 'Accept pipeline input: " + pipeline + "' is not False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName).");
                ok = false;
            }

            metadata.PipelineInput = pipeline;
            return ok ? metadata : null;
        }

        private static bool Boolean((string Value, int Line) entry, string parameter, string key, Action<int, string> error, out bool value)
        {
            if (bool.TryParse(entry.Value, out value))
            {
                return true;
            }

            error(entry.Line, "-" + parameter + ": '" + key + ": " + entry.Value + "' is neither True nor False.");
            return false;
        }

        private static IEnumerable<string> SplitList(string value) =>
            value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0);

        /// <summary>
        /// One syntax item per "### SetName" block. The parameters of a set are those whose yaml "Parameter Sets"
        /// name it (or say (All)), in the order of the set's syntax line; the two must agree.
        /// </summary>
        private static void ReadSyntax(Section section, CommandHelp help, Action<int, string> error)
        {
            foreach (Block block in section.Blocks.Where(b => !Blocks.IsComment(b)))
            {
                error(block.Line + 1, "SYNTAX holds only '### SetName' subsections, each with one code block.");
            }

            if (section.Subsections.Count == 0)
            {
                error(section.Line, "SYNTAX has no '### SetName' subsection (use '### __AllParameterSets' for a command with one parameter set).");
                return;
            }

            var setNames = new List<string>();
            foreach (Subsection subsection in section.Subsections)
            {
                string setName = Regex.Replace(subsection.Title, @"\s*\(Default\)\s*$", string.Empty, RegexOptions.IgnoreCase);
                if (setNames.Contains(setName, StringComparer.OrdinalIgnoreCase))
                {
                    error(subsection.Line, "the parameter set '" + setName + "' has two syntax blocks.");
                    continue;
                }

                setNames.Add(setName);
            }

            bool single = setNames.Count == 1 && setNames[0] == "__AllParameterSets";
            if (!single && setNames.Contains("__AllParameterSets"))
            {
                error(section.Line, "SYNTAX mixes __AllParameterSets with named parameter sets.");
                return;
            }

            foreach (ParameterHelp parameter in help.Parameters)
            {
                foreach (string set in parameter.Metadata.SelectMany(m => m.ParameterSets))
                {
                    if (!setNames.Contains(set, StringComparer.Ordinal))
                    {
                        error(section.Line, "-" + parameter.Name + " names the parameter set '" + set + "', which has no syntax block under SYNTAX (" + string.Join(", ", setNames) + ").");
                    }
                }
            }

            for (int i = 0; i < section.Subsections.Count && i < setNames.Count; i++)
            {
                Subsection subsection = section.Subsections[i];
                string setName = setNames[i];
                List<CodeBlock> code = subsection.Blocks.OfType<CodeBlock>().ToList();
                if (code.Count != 1 || subsection.Blocks.Any(b => b is not CodeBlock && !Blocks.IsComment(b)))
                {
                    error(subsection.Line, "the syntax of '" + subsection.Title + "' must be exactly one code block.");
                    continue;
                }

                string line = string.Join(" ", Blocks.Lines(code[0]).Select(l => l.Trim())).Trim();
                string[] words = line.Split(new[] { ' ' }, 2, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0 || !string.Equals(words[0], help.Name, StringComparison.OrdinalIgnoreCase))
                {
                    error(code[0].Line + 1, "the syntax of '" + subsection.Title + "' does not start with the command name " + help.Name + ".");
                    continue;
                }

                var item = new SyntaxItem(setName);
                var inSyntax = new List<string>();
                foreach (Match match in SyntaxParameter.Matches(words.Length > 1 ? words[1] : string.Empty))
                {
                    string name = match.Groups["name"].Value;
                    ParameterHelp? parameter = help.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (parameter is null)
                    {
                        error(code[0].Line + 1, "the syntax of '" + subsection.Title + "' has -" + name + ", which PARAMETERS does not document.");
                        continue;
                    }

                    ParameterMetadata? metadata = parameter.Metadata.FirstOrDefault(m => single || m.AppliesTo(setName));
                    if (metadata is null)
                    {
                        if (parameter.Metadata.Count > 0)
                        {
                            string sets = string.Join(", ", parameter.Metadata.SelectMany(m => m.ParameterSets));
                            error(
                                code[0].Line + 1,
                                "the syntax of '" + subsection.Title + "' has -" + name + ", but its 'Parameter Sets:' ("
                                + sets + ") does not include " + setName + ".");
                        }

                        continue;
                    }

                    inSyntax.Add(parameter.Name);
                    item.Parameters.Add((parameter, metadata));
                }

                foreach (ParameterHelp parameter in help.Parameters)
                {
                    if (!inSyntax.Contains(parameter.Name) && parameter.Metadata.Any(m => single || m.AppliesTo(setName)))
                    {
                        error(
                            code[0].Line + 1,
                            "-" + parameter.Name + " is in the parameter set '" + setName
                            + "' (its 'Parameter Sets:' under PARAMETERS) but not in that set's syntax line.");
                    }
                }

                help.Syntax.Add(item);
            }
        }

        private static void ReadExamples(Section section, CommandHelp help, Action<int, string> error)
        {
            foreach (Block block in section.Blocks.Where(b => !Blocks.IsComment(b)))
            {
                error(block.Line + 1, "EXAMPLES holds only '### Example N: title' subsections.");
            }

            foreach (Subsection subsection in section.Subsections)
            {
                var example = new ExampleHelp(subsection.Title);
                List<CodeBlock> code = subsection.Blocks.OfType<CodeBlock>().ToList();
                if (code.Count == 0)
                {
                    error(subsection.Line, "the example '" + subsection.Title + "' has no code block.");
                    continue;
                }

                example.Code = string.Join("\n\n", code.Select(Blocks.Code));
                example.Remarks.AddRange(MamlText.Paragraphs(subsection.Blocks.Where(b => b is not CodeBlock)));
                help.Examples.Add(example);
            }
        }

        private static void ReadTypes(Section section, List<TypeHelp> types, Action<int, string> error)
        {
            foreach (Block block in section.Blocks.Where(b => !Blocks.IsComment(b)))
            {
                error(block.Line + 1, section.Title + " holds only '### TypeName' subsections, each followed by its description.");
            }

            foreach (Subsection subsection in section.Subsections)
            {
                var type = new TypeHelp(subsection.Title);
                type.Description.AddRange(MamlText.Paragraphs(subsection.Blocks));
                types.Add(type);
            }
        }

        private static void ReadLinks(Section section, CommandHelp help, Action<int, string> error)
        {
            NoSubsections(section, error);
            if (help.OnlineVersion is not null)
            {
                help.Links.Add(new LinkHelp("Online Version:", help.OnlineVersion));
            }

            foreach (Block block in section.Blocks)
            {
                if (Blocks.IsComment(block))
                {
                    continue;
                }

                List<LinkInline> links = block is ParagraphBlock paragraph && paragraph.Inline is not null
                    ? paragraph.Inline.Descendants<LinkInline>().Where(l => !l.IsImage).ToList()
                    : new List<LinkInline>();
                if (links.Count == 0)
                {
                    error(block.Line + 1, "RELATED LINKS holds only links, one per paragraph: [Get-WandbRun](Get-WandbRun.md).");
                    continue;
                }

                foreach (LinkInline link in links)
                {
                    string text = Inlines.Plain(link).Trim();
                    string url = link.Url ?? string.Empty;
                    help.Links.Add(new LinkHelp(text.Length > 0 ? text : url, Inlines.IsAbsolute(url) ? url : string.Empty));
                }
            }
        }
    }
}
