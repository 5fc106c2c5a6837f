using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WandbRunOps.Artifacts;
using WandbRunOps.Json;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// Turns GraphQL run and artifact nodes into the module's objects. W&amp;B quirks handled here: config, summary and
    /// metadata are JSON strings inside the JSON (decoded again, NaN-tolerant); config values are wrapped as
    /// <c>{value, desc}</c>; times are UTC without a zone; <c>name</c> is the run id and <c>displayName</c> its label.
    /// </summary>
    internal static class ApiRunDecoder
    {
        public static WandbRun Run(WandbMap node, string entity, string project, Uri appUrl)
        {
            string id = ValueReads.Text(node, "name") ?? throw new FormatException("a run without a name (id)");
            WandbMap summary = JsonStringMap(node["summaryMetrics"], "summaryMetrics");
            var user = node["user"] as WandbMap;
            var run = new WandbRun
            {
                Id = id,
                Name = ValueReads.Text(node, "displayName"),
                Entity = entity,
                Project = project,
                State = State(ValueReads.Text(node, "state")),
                CreatedAt = Time(node["createdAt"]) ?? throw new FormatException("run " + id + " has no createdAt"),
                JobType = ValueReads.Text(node, "jobType"),
                Group = ValueReads.Text(node, "group"),
                Tags = node["tags"] is IReadOnlyList<object?> tags ? tags.OfType<string>().ToArray() : Array.Empty<string>(),
                Notes = ValueReads.Text(node, "notes"),
                Host = ValueReads.Text(node, "host"),
                SweepId = ValueReads.Text(node, "sweepName"),
                User = user is null ? null : new WandbUser(ValueReads.Text(user, "username"), ValueReads.Text(user, "name"), null),
                Config = Unwrap(JsonStringMap(node["config"], "config")),
                Summary = summary,
                HistoryCount = node["historyLineCount"] is long lines ? lines : 0,
                Source = RunSource.Api,
                Url = appUrl + Uri.EscapeDataString(entity) + "/" + Uri.EscapeDataString(project) + "/runs/" + Uri.EscapeDataString(id),
            };

            DateTime heartbeat = Time(node["heartbeatAt"]) ?? run.CreatedAt;
            run.HeartbeatAt = heartbeat < run.CreatedAt ? run.CreatedAt : heartbeat;
            run.ReportedSeconds = ValueReads.AsDouble(node["computeSeconds"]) ?? ValueReads.AsDouble((summary["_wandb"] as WandbMap)?["runtime"]);
            return run;
        }

        /// <summary>
        /// An artifact of an answer. <paramref name="run"/> is the run it was reached through; without one (an artifact
        /// asked for by name), the run that produced it, from the node's <c>createdBy</c>, fills the Run* properties.
        /// </summary>
        public static WandbArtifact Artifact(WandbMap node, WandbRun? run, ArtifactDirection direction)
        {
            var sequence = node["artifactSequence"] as WandbMap;
            var sequenceProject = sequence?["project"] as WandbMap;
            string name = ValueReads.Text(sequence, "name") ?? throw new FormatException("an artifact without a collection name");
            string? entity = ValueReads.Text(sequenceProject, "entityName");
            string? project = ValueReads.Text(sequenceProject, "name");
            int? index = node["versionIndex"] is long i ? (int)i : null;

            // Only aliases of this very collection count: others belong to portfolios or registry links.
            string[] aliases = (node["aliases"] as IReadOnlyList<object?> ?? Array.Empty<object?>())
                .OfType<WandbMap>()
                .Where(a => BelongsTo(a["artifactCollection"] as WandbMap, name, entity, project))
                .Select(a => ValueReads.Text(a, "alias"))
                .OfType<string>()
                .Where(a => !ArtifactReference.IsVersion(a))
                .Distinct()
                .ToArray();
            var artifact = new WandbArtifact
            {
                Id = ValueReads.Text(node, "id"),
                Name = name,
                VersionIndex = index,
                Version = index is null ? null : "v" + index.Value.ToString(CultureInfo.InvariantCulture),
                Type = ValueReads.Text(node["artifactType"] as WandbMap, "name"),
                Aliases = aliases,
                Digest = ValueReads.Text(node, "digest"),
                Size = node["size"] is long size ? size : null,
                FileCount = node["fileCount"] is long files ? (int)files : null,
                State = ValueReads.Text(node, "state"),
                CreatedAt = Time(node["createdAt"]),
                Description = ValueReads.Text(node, "description"),
                Metadata = JsonStringMap(node["metadata"], "metadata"),
                Entity = entity,
                Project = project,
                RunId = run?.Id ?? ValueReads.Text(node["createdBy"] as WandbMap, "name"),
                RunProject = run is null ? ApiAnswers.Path(node, "createdBy", "project", "name") as string : run.Project,
                RunEntity = run is null ? ApiAnswers.Path(node, "createdBy", "project", "entityName") as string : run.Entity,
                Direction = direction,
            };
            artifact.Reference = ArtifactRecords.ReferenceOf(artifact);
            return artifact;
        }

        /// <summary>The app page for runs: api.wandb.ai → wandb.ai, api.* → app.*, anything else unchanged.</summary>
        public static Uri AppUrlFor(Uri baseUrl)
        {
            var builder = new UriBuilder(baseUrl) { Path = "/" };
            if (builder.Host.Equals("api.wandb.ai", StringComparison.OrdinalIgnoreCase))
            {
                builder.Host = "wandb.ai";
            }
            else if (builder.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase))
            {
                builder.Host = "app." + builder.Host.Substring(4);
            }

            return builder.Uri;
        }

        private static bool BelongsTo(WandbMap? collection, string name, string? entity, string? project)
        {
            if (collection is null)
            {
                return true;
            }

            var where = collection["project"] as WandbMap;
            return ValueReads.Text(collection, "name") == name
                && (where is null || (ValueReads.Text(where, "entityName") == entity && ValueReads.Text(where, "name") == project));
        }

        /// <summary>config is <c>{"key": {"value": v, "desc": …}}</c>; the value is what the user set.</summary>
        /// <remarks>Plain loops, no LINQ: this runs for every key of every run a listing decodes.</remarks>
        private static WandbMap Unwrap(WandbMap config)
        {
            var values = new WandbMap(config.Count);
            foreach (string key in config.Keys)
            {
                config.TryGetExact(key, out object? item);
                values.Set(key, item is WandbMap wrapper && IsWrapper(wrapper, out object? value) ? value : item);
            }

            return values;
        }

        /// <summary>True for <c>{"value": v}</c> or <c>{"value": v, "desc": d}</c>, and nothing else.</summary>
        private static bool IsWrapper(WandbMap wrapper, out object? value) =>
            wrapper.TryGetExact("value", out value) && (wrapper.Count == 1 || (wrapper.Count == 2 && wrapper.TryGetExact("desc", out _)));

        internal static WandbMap JsonStringMap(object? value, string field)
        {
            switch (value)
            {
                case null:
                    return new WandbMap();
                case WandbMap already:
                    return already;
                case string text when text.Length == 0:
                    return new WandbMap();
                case string text:
                    object? decoded = ExtendedJson.Parse(text);
                    return decoded as WandbMap ?? throw new FormatException(field + " is not a JSON object");
                default:
                    throw new FormatException(field + " is neither a JSON string nor an object");
            }
        }

        internal static RunState State(string? state) =>
            state is not null && Enum.TryParse(state, ignoreCase: true, out RunState parsed) ? parsed : RunState.Pending;

        internal static DateTime? Time(object? value) => value is string text ? TimeValues.ParseIso(text) : null;

    }
}
