namespace WandbRunOps.Api
{
    /// <summary>
    /// The GraphQL documents for run history, as the SDK sends them (docs/protocol.md, section 4.2, "History"):
    /// <c>historyKeys</c> for the last step and the key names, wandb-core's <c>HistoryPage</c> for a paged full scan
    /// (step range [minStep, maxStep), rows as JSON strings) and <c>sampledHistory</c> for chosen keys (one list of
    /// row objects per spec, maxStep inclusive).
    /// </summary>
    internal static class HistoryQueries
    {
        public const string HistoryKeys =
            "query RunHistoryKeys($entity: String!, $project: String!, $run: String!) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { historyKeys } } }";

        public const string HistoryPage =
            "query HistoryPage($entity: String!, $project: String!, $run: String!, $minStep: Int64!, $maxStep: Int64!, $pageSize: Int!) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { history(minStep: $minStep, maxStep: $maxStep, samples: $pageSize) } } }";

        public const string SampledHistory =
            "query RunSampledHistory($entity: String!, $project: String!, $run: String!, $specs: [JSONString!]!) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { sampledHistory(specs: $specs) } } }";
    }
}
