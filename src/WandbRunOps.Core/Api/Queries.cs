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
