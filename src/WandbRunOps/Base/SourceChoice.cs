using System.Collections.Generic;
using WandbRunOps.Api;
using WandbRunOps.Sources;

namespace WandbRunOps.Commands.Base
{
    /// <summary>A source the resolver chose, with where it is: the local roots, or the API target (server, key, entity, project).</summary>
    internal sealed class SourceChoice
    {
        public SourceChoice(IRunSource source, IReadOnlyList<string>? roots, ApiTarget? target)
        {
            Source = source;
            Roots = roots;
            Target = target;
        }

        public IRunSource Source { get; }

        /// <summary>The resolved folders of a local source; null for the API.</summary>
        public IReadOnlyList<string>? Roots { get; }

        /// <summary>Where an API source's requests go (its Project is the source's); null for local folders.</summary>
        public ApiTarget? Target { get; }
    }
}
