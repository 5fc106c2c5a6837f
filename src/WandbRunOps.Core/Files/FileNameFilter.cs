using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Values;

namespace WandbRunOps.Files
{
    /// <summary>
    /// -Name of Get-RunFile and Save-RunFile: file names inside the run (<c>/</c>-separated), wildcards allowed,
    /// case-insensitive as PowerShell matches. Literal names go to the server as <c>names:</c>; patterns are matched here.
    /// </summary>
    public sealed class FileNameFilter
    {
        public static readonly FileNameFilter All = new FileNameFilter(null);

        private readonly Wildcard[] _patterns;

        /// <exception cref="Errors.WandbException">InvalidArgument: a malformed wildcard.</exception>
        public FileNameFilter(IReadOnlyList<string>? names)
        {
            Terms = names ?? Array.Empty<string>();
            _patterns = Terms.Select(n => new Wildcard(Normalize(n))).ToArray();
            Literals = Terms.All(n => !Wildcard.IsPattern(n)) ? Terms.Select(n => Normalize(Wildcard.Unescape(n))).ToArray() : null;
        }

        /// <summary>The names and patterns as given.</summary>
        public IReadOnlyList<string> Terms { get; }

        /// <summary>Every term when none has wildcards (the server can be asked for exactly these); else null.</summary>
        public IReadOnlyList<string>? Literals { get; }

        /// <summary>A filter for exactly one name, whatever characters it holds.</summary>
        public static FileNameFilter Exactly(string name)
        {
            var escaped = new System.Text.StringBuilder(name.Length + 4);
            foreach (char c in name)
            {
                if (c == '*' || c == '?' || c == '[' || c == ']' || c == '`')
                {
                    escaped.Append('`');
                }

                escaped.Append(c);
            }

            return new FileNameFilter(new[] { escaped.ToString() });
        }

        public bool IsEmpty => Terms.Count == 0;

        public bool Matches(string name) => _patterns.Length == 0 || _patterns.Any(p => p.IsMatch(name));

        /// <summary>A name as the module writes it: <c>/</c>-separated (a Windows user may type <c>media\x.png</c>).</summary>
        private static string Normalize(string name) => name.Replace('\\', '/').TrimStart('/');
    }
}
