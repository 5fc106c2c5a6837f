using System;
using System.Collections.Generic;
using System.Linq;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// Which runs one pipeline object (or the command line) names, and where to read them. The rule, in order:
    /// what was typed on the command line wins (PowerShell never rebinds a typed parameter from the pipeline); a run
    /// object names itself; a plain string is a run id (as <c>'pwsh' | Get-Process</c> is a name); an object with a
    /// <c>RunId</c> property is taken by <c>RunId</c>, <c>RunPath</c>, <c>RunProject</c> and <c>RunEntity</c> alone,
    /// because its plain <c>Id</c>, <c>Project</c> or <c>Path</c> belong to something else (an artifact's server id
    /// and project, a user's config key named <c>project</c>); any other object by <c>Id</c>, <c>Path</c>
    /// (<c>FullName</c>, <c>PSPath</c>), <c>Project</c> and <c>Entity</c>. Empty values (Import-Csv writes "" for
    /// $null) count as absent.
    /// </summary>
    /// <param name="Run">A run object given whole; the other members are then unused.</param>
    /// <param name="Ids">Run ids (wildcards allowed); null for every run of the source.</param>
    /// <param name="Paths">The paths to read the runs from; null when none was given.</param>
    /// <param name="Literal">Whether Paths are taken as written (a piped RunPath, -LiteralPath) rather than as wildcards.</param>
    /// <param name="Project">The project named, if any.</param>
    /// <param name="Entity">The entity named, if any.</param>
    internal sealed record RunAddress(WandbRun? Run, string[]? Ids, string[]? Paths, bool Literal, string? Project, string? Entity)
    {
        /// <summary>The location parameters of a command that takes runs (Get-WandbRun, the run cmdlets): what is bound for one record.</summary>
        public interface IParameters
        {
            RunIdentity[]? InputObject { get; }

            string[]? Id { get; }

            string? Project { get; }

            string? Entity { get; }

            string? RunId { get; }

            string? RunPath { get; }

            string? RunProject { get; }

            string? RunEntity { get; }
        }

        /// <summary>A run object: itself, unless it is one no source read that names a folder (see RunOrigins.NamesUnreadFolder): then its id in that folder.</summary>
        public static RunAddress Of(WandbRun run) =>
            Sources.RunOrigins.NamesUnreadFolder(run)
                ? new RunAddress(null, string.IsNullOrEmpty(run.Id) ? null : new[] { run.Id }, new[] { run.Path! }, true, null, null)
                : new RunAddress(run, null, null, false, null, null);

        /// <summary>The runs this record names, by the rule above: one address per run object, else one address.</summary>
        /// <param name="p">The command's parameters.</param>
        /// <param name="typed">The parameter names bound on the command line (known in BeginProcessing).</param>
        /// <param name="path">-Path or -LiteralPath, as bound.</param>
        /// <param name="pathIsLiteral">Whether <paramref name="path"/> came from -LiteralPath (or PSPath).</param>
        /// <param name="locationNames">The names of the command's location parameters (Path, LiteralPath, Project, Entity).</param>
        public static IEnumerable<RunAddress> Of(IParameters p, ICollection<string> typed, string[]? path, bool pathIsLiteral, params string[] locationNames)
        {
            bool typedId = typed.Contains("Id");
            bool typedLocation = locationNames.Any(typed.Contains);
            string[] texts = p.InputObject?.Where(i => i.Run is null).Select(i => i.Id).ToArray() ?? Array.Empty<string>();
            foreach (RunIdentity input in p.InputObject ?? Array.Empty<RunIdentity>())
            {
                if (input.Run is not null)
                {
                    yield return Of(input.Run);
                }
            }

            if (p.InputObject is { Length: > 0 } && texts.Length == 0 && !typedId)
            {
                yield break;
            }

            bool derived = !string.IsNullOrEmpty(p.RunId);
            string[]? ids = typedId ? p.Id
                : texts.Length > 0 ? texts
                : derived ? new[] { p.RunId! }
                : p.Id;

            if (typedLocation || !derived)
            {
                yield return new RunAddress(null, ids, Present(path), pathIsLiteral, Present(p.Project), Present(p.Entity));
            }
            else
            {
                yield return new RunAddress(null, ids, Present(new[] { p.RunPath }), true, Present(p.RunProject), Present(p.RunEntity));
            }
        }

        private static string? Present(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string[]? Present(string?[]? values)
        {
            string[]? present = values?.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToArray();
            return present is { Length: > 0 } ? present : null;
        }
    }
}
