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
        /// <summary>The parameters in play for one record: what was typed, and what the pipeline bound.</summary>
        public sealed class Parameters
        {
            /// <summary>The parameter names bound on the command line (known in BeginProcessing).</summary>
            public ICollection<string> Typed { get; set; } = Array.Empty<string>();

            /// <summary>The names of the location parameters (Path, LiteralPath, Project, Entity) of the command.</summary>
            public string[] LocationNames { get; set; } = Array.Empty<string>();

            public RunIdentity[]? Input { get; set; }

            public string[]? Id { get; set; }

            public string[]? Path { get; set; }

            /// <summary>Whether Path came from -LiteralPath (or PSPath).</summary>
            public bool PathIsLiteral { get; set; }

            public string? Project { get; set; }

            public string? Entity { get; set; }

            public string? RunId { get; set; }

            public string? RunPath { get; set; }

            public string? RunProject { get; set; }

            public string? RunEntity { get; set; }
        }

        /// <summary>A run object: itself, unless it is one no source read that names a folder (see RunOrigin.NamesUnreadFolder): then its id in that folder.</summary>
        public static RunAddress Of(WandbRun run) =>
            Sources.RunOrigin.NamesUnreadFolder(run)
                ? new RunAddress(null, string.IsNullOrEmpty(run.Id) ? null : new[] { run.Id }, new[] { run.Path! }, true, null, null)
                : new RunAddress(run, null, null, false, null, null);

        /// <summary>The runs this record names, by the rule above: one address per run object, else one address.</summary>
        public static IEnumerable<RunAddress> Of(Parameters p)
        {
            bool typedId = p.Typed.Contains("Id");
            bool typedLocation = p.LocationNames.Any(p.Typed.Contains);
            string[] texts = p.Input?.Where(i => i.Run is null).Select(i => i.Id).ToArray() ?? Array.Empty<string>();
            foreach (RunIdentity input in p.Input ?? Array.Empty<RunIdentity>())
            {
                if (input.Run is not null)
                {
                    yield return Of(input.Run);
                }
            }

            if (p.Input is { Length: > 0 } && texts.Length == 0 && !typedId)
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
                yield return new RunAddress(null, ids, Present(p.Path), p.PathIsLiteral, Present(p.Project), Present(p.Entity));
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
