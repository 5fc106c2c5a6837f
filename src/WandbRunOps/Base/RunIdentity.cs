using System;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// A run named either by a run object (from Get-WandbRun) or by its id. PowerShell converts both into this type
    /// when binding, so a parameter of this type takes <c>$run</c> and <c>'3ojed7lz'</c> alike; an id is looked up in
    /// the command's source (-Path or -Project, else the default source).
    /// </summary>
    public sealed class RunIdentity
    {
        public RunIdentity(WandbRun run)
        {
            Run = run ?? throw new ArgumentNullException(nameof(run));
            Id = run.Id;
        }

        public RunIdentity(string id)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new ArgumentException("A run id cannot be empty.", nameof(id));
            }

            Id = id.Trim();
        }

        /// <summary>The run object, when one was given.</summary>
        public WandbRun? Run { get; }

        public string Id { get; }

        public override string ToString() => Run?.ToString() ?? Id;
    }
}
