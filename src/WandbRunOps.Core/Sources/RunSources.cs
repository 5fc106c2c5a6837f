using System.Collections.Generic;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Local;

namespace WandbRunOps.Sources
{
    /// <summary>
    /// Makes the sources, so that no caller names a concrete source type: the module's one resolver
    /// (src/WandbRunOps/Base/SourceResolver.cs) decides which one a command gets, and asks for it here.
    /// </summary>
    public static class RunSources
    {
        /// <summary>Local runs under <paramref name="paths"/>: wandb folders, project folders, run folders or .wandb files.</summary>
        public static IRunSource Local(IReadOnlyList<string> paths, ReadDiagnostics diagnostics) => new LocalRunSource(paths, diagnostics);

        /// <summary>The runs of one W&amp;B project over <paramref name="client"/>; a null entity is asked of the key's viewer when first needed.</summary>
        public static IRunSource Api(GraphQLClient client, string? entity, string project, ReadDiagnostics diagnostics) => new ApiRunSource(client, entity, project, diagnostics);

        /// <summary>The projects the runs under <paramref name="paths"/> name.</summary>
        public static IProjectLister LocalProjects(IReadOnlyList<string> paths, ReadDiagnostics diagnostics) => new LocalProjectLister(new LocalRunSource(paths, diagnostics));

        /// <summary>An entity's projects over <paramref name="client"/>; a null entity is the key's default entity.</summary>
        public static IProjectLister ApiProjects(GraphQLClient client, string? entity, ReadDiagnostics diagnostics) => new ApiProjectLister(client, entity, diagnostics);
    }
}
