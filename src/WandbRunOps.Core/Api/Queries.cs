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
    }
}
