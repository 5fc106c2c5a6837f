namespace WandbRunOps.Api
{
    /// <summary>
    /// The GraphQL documents the module sends (docs/protocol.md, section 4.2, and the run fields of section 4.3).
    /// A listing page brings every field the run object exposes, so listing N runs costs about N / page size requests.
    /// </summary>
    internal static class Queries
    {
        public const string RunFields =
            "fragment RunFields on Run { id name displayName state config summaryMetrics createdAt heartbeatAt tags group jobType " +
            "sweepName notes host computeSeconds historyLineCount user { name username } }";

        public const string Viewer = "query Viewer { viewer { id entity username email name } }";

        public const string Runs =
            "query Runs($entity: String!, $project: String!, $cursor: String, $perPage: Int, $order: String, $filters: JSONString, $withCount: Boolean!) { " +
            "project(name: $project, entityName: $entity) { runCount(filters: $filters) @include(if: $withCount) " +
            "runs(filters: $filters, after: $cursor, first: $perPage, order: $order) { edges { node { ...RunFields } cursor } pageInfo { endCursor hasNextPage } } } } " +
            RunFields;

        public const string Run =
            "query Run($entity: String!, $project: String!, $name: String!) { project(name: $project, entityName: $entity) { run(name: $name) { ...RunFields } } } " +
            RunFields;

        private const string ArtifactFields =
            "fragment ArtifactFields on Artifact { id versionIndex state size digest fileCount createdAt description metadata artifactType { name } " +
            "artifactSequence { name project { name entityName } } aliases { alias artifactCollection { name project { name entityName } } } }";

        public const string LoggedArtifacts =
            "query RunOutputArtifacts($entity: String!, $project: String!, $run: String!, $cursor: String, $perPage: Int) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { artifacts: outputArtifacts(after: $cursor, first: $perPage) { " +
            "totalCount pageInfo { endCursor hasNextPage } edges { node { ...ArtifactFields } } } } } } " + ArtifactFields;

        public const string UsedArtifacts =
            "query RunInputArtifacts($entity: String!, $project: String!, $run: String!, $cursor: String, $perPage: Int) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { artifacts: inputArtifacts(after: $cursor, first: $perPage) { " +
            "totalCount pageInfo { endCursor hasNextPage } edges { node { ...ArtifactFields } } } } } } " + ArtifactFields;

        // Sweeps and projects (protocol notes, "Sweeps and projects"): the fields W&B's own client reads.
        private const string SweepFields = "fragment SweepFields on Sweep { id name displayName state method bestLoss config createdAt runCount runCountExpected }";

        public const string Sweep =
            "query Sweep($entity: String!, $project: String!, $name: String!) { project(name: $project, entityName: $entity) { " +
            "sweep(sweepName: $name) { ...SweepFields } } } " + SweepFields;

        public const string Sweeps =
            "query Sweeps($entity: String!, $project: String!, $cursor: String, $perPage: Int) { project(name: $project, entityName: $entity) { " +
            "sweeps(after: $cursor, first: $perPage) { pageInfo { endCursor hasNextPage } edges { node { ...SweepFields } } } } } " + SweepFields;

        public const string Projects =
            "query Projects($entity: String!, $cursor: String, $perPage: Int) { projects(entityName: $entity, after: $cursor, first: $perPage) { " +
            "pageInfo { endCursor hasNextPage } edges { node { name entityName createdAt lastActive runCount } } } }";

        // Artifacts from their own side (protocol notes, "Artifacts by name"): one version by "name:alias", every version
        // of a collection, and the project's types and collections for wildcards. createdBy names the producing run.
        private const string Producer = "createdBy { ... on Run { name project { name entityName } } }";

        public const string ArtifactByName =
            "query ArtifactByName($entity: String!, $project: String!, $name: String!) { project(name: $project, entityName: $entity) { " +
            "artifact(name: $name) { ...ArtifactFields " + Producer + " } } } " + ArtifactFields;

        public const string ArtifactVersions =
            "query ArtifactVersions($entity: String!, $project: String!, $name: String!, $cursor: String, $perPage: Int) { project(name: $project, entityName: $entity) { " +
            "artifactCollection(name: $name) { artifacts(after: $cursor, first: $perPage) { pageInfo { endCursor hasNextPage } edges { node { ...ArtifactFields " + Producer + " } } } } } } " +
            ArtifactFields;

        public const string ArtifactCollections =
            "query ArtifactCollections($entity: String!, $project: String!, $cursor: String, $perPage: Int) { project(name: $project, entityName: $entity) { " +
            "artifactTypes(after: $cursor, first: $perPage) { pageInfo { endCursor hasNextPage } edges { node { name " +
            "artifactCollections(first: $perPage) { edges { node { name } } } } } } } }";

        /// <summary>An artifact version's producer and consumers (protocol notes, "Lineage").</summary>
        public const string ArtifactLineage =
            "query ArtifactLineage($entity: String!, $project: String!, $name: String!, $cursor: String, $perPage: Int) { " +
            "project(name: $project, entityName: $entity) { artifact(name: $name) { id versionIndex " +
            "createdBy { ... on Run { name project { name entityName } } } " +
            "usedBy(after: $cursor, first: $perPage) { pageInfo { endCursor hasNextPage } edges { node { name project { name entityName } } } } } } }";
        /// <summary>An artifact version's manifest file (docs/protocol.md, section 4.6): its direct URL; null when the server keeps none.</summary>
        public const string ArtifactManifest =
            "query ArtifactManifest($id: ID!) { artifact(id: $id) { id currentManifest { file { directUrl } } } }";

        /// <summary>An artifact version's stored files, paged: the direct URL of each (reference entries are in the manifest only).</summary>
        public const string ArtifactFiles =
            "query ArtifactFiles($id: ID!, $cursor: String, $perPage: Int) { artifact(id: $id) { files(after: $cursor, first: $perPage) { " +
            "pageInfo { endCursor hasNextPage } edges { node { name directUrl sizeBytes md5 } } } } }";

        /// <summary>A run's system-metrics stream: one JSON string per sample, at most <c>samples</c> of them, evenly spread by the server.</summary>
        public const string RunEvents =
            "query RunEvents($entity: String!, $project: String!, $run: String!, $samples: Int) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { events(samples: $samples) } } }";

        /// <summary>A run's metadata: the server's copy of its wandb-metadata.json, as a JSON string.</summary>
        public const string RunMetadata =
            "query RunMetadata($entity: String!, $project: String!, $run: String!) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { metadata } } }";

        /// <summary>The server's summary of a run's start, asked only for a run whose metadata file it does not have.</summary>
        public const string RunInfo =
            "query RunInfo($entity: String!, $project: String!, $run: String!) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { runInfo { program args os python gpu gpuCount cpuCount git { remote commit } } } } }";
        /// <summary>
        /// A run's files, paged (W&amp;B's <c>run.files</c>; see docs/protocol.md): <c>names</c> asks for exactly those
        /// names (null: every file); <c>md5</c> is base64; <c>directUrl</c> is where the bytes are fetched from.
        /// </summary>
        public const string RunFiles =
            "query RunFiles($entity: String!, $project: String!, $run: String!, $names: [String], $cursor: String, $perPage: Int) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { files(names: $names, after: $cursor, first: $perPage) { " +
            "pageInfo { endCursor hasNextPage } edges { node { id name url directUrl sizeBytes md5 updatedAt } } } } } }";

        /// <summary>A run as a change needs it, read fresh: its storage id and every field a change may touch, config in the server's shape.</summary>
        public const string RunForChange =
            "query RunForChange($entity: String!, $project: String!, $name: String!) { project(name: $project, entityName: $entity) { " +
            "run(name: $name) { id name displayName state tags notes group jobType config } } }";

        // The mutations W&B's own clients send (protocol notes, "Changing runs"); each names the run by its storage id.
        public const string UpsertBucket =
            "mutation UpsertBucket($input: UpsertBucketInput!) { upsertBucket(input: $input) { bucket { ...RunFields } } } " + RunFields;

        public const string StopRun = "mutation StopRun($input: StopRunInput!) { stopRun(input: $input) { success } }";

        public const string DeleteRun = "mutation DeleteRun($input: DeleteRunInput!) { deleteRun(input: $input) { clientMutationId } }";
    }
}
