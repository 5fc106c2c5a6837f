namespace WandbRunOps.Api
{
    /// <summary>
    /// The GraphQL documents for a run's console lines (docs/protocol.md, section 4.2, "Console lines"): the count and
    /// the run's state, and the last N lines, which every server version answers in ascending order.
    /// </summary>
    internal static class LogQueries
    {
        public const string LineCount =
            "query RunLogLineCount($entity: String!, $project: String!, $run: String!) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { state logLineCount } } }";

        public const string LastLines =
            "query RunLogLines($entity: String!, $project: String!, $run: String!, $last: Int!) { " +
            "project(name: $project, entityName: $entity) { run(name: $run) { state logLineCount " +
            "logLines(last: $last) { edges { node { number timestamp level line } } } } } }";
    }
}
