using System;
using System.Collections.Generic;
using System.Linq;
using GraphQL;
using GraphQL.Utilities;

namespace WandbRunOps.FakeWandb;

// The run changes (research notes §7.1), with W&B's argument shapes: the run is named by its storage id, an
// unknown input field fails validation (400), a name where the storage id belongs is refused, and a project the
// viewer may only read answers 403 "permission denied".
public static partial class WandbSchema
{
    /// <summary>W&amp;B's limit on one tag, as its clients check it.</summary>
    public const int MaxTagLength = 64;

    private static void ConfigureMutation(SchemaBuilder b)
    {
        Field<object>(b, "Mutation", "upsertBucket", (_, rc, ctx) =>
        {
            Dictionary<string, object?> input = Input(ctx);
            RunNode node = RunForChange(rc, input.GetValueOrDefault("id") as string);
            ApplyUpsert(rc, node.Run, input);
            return new UpsertPayload(node, input.GetValueOrDefault("clientMutationId") as string);
        });
        Field<UpsertPayload>(b, "UpsertBucketPayload", "bucket", (p, _, _) => p.Run);
        Field<UpsertPayload>(b, "UpsertBucketPayload", "inserted", (_, _, _) => false);
        Field<UpsertPayload>(b, "UpsertBucketPayload", "clientMutationId", (p, _, _) => p.ClientMutationId);

        Field<object>(b, "Mutation", "deleteRun", (_, rc, ctx) =>
        {
            Dictionary<string, object?> input = Input(ctx);
            RunNode node = RunForChange(rc, input.GetValueOrDefault("id") as string);
            bool deleteArtifacts = input.GetValueOrDefault("deleteArtifacts") is true;
            lock (rc.Data.SyncRoot)
            {
                node.Project.Project!.Runs.Remove(node.Run);
                if (deleteArtifacts)
                {
                    foreach (FakeArtifact artifact in node.Run.Logged)
                    {
                        artifact.State = "DELETED";
                    }
                }
            }

            return new MutationPayload(input.GetValueOrDefault("clientMutationId") as string, true);
        });
        Field<MutationPayload>(b, "DeleteRunPayload", "clientMutationId", (p, _, _) => p.ClientMutationId);

        // Stopping is a request the training process picks up by polling: safe to repeat, and it leaves the state as it is.
        Field<object>(b, "Mutation", "stopRun", (_, rc, ctx) =>
        {
            Dictionary<string, object?> input = Input(ctx);
            RunNode node = RunForChange(rc, input.GetValueOrDefault("id") as string);
            lock (rc.Data.SyncRoot)
            {
                node.Run.Stopped = true;
            }

            return new MutationPayload(input.GetValueOrDefault("clientMutationId") as string, true);
        });
        Field<MutationPayload>(b, "StopRunPayload", "success", (p, _, _) => p.Success);
        Field<MutationPayload>(b, "StopRunPayload", "clientMutationId", (p, _, _) => p.ClientMutationId);

        // How a run's state changes on the server: what W&B's client sends (research notes §7.1), and how tests end a
        // "training" run that a Wait-WandbRun is waiting on. The heartbeat moves with it, as a finishing run's does.
        Field<object>(b, "Mutation", "updateRunState", (_, rc, ctx) =>
        {
            Dictionary<string, object?> input = Input(ctx);
            RunNode node = RunForChange(rc, input.GetValueOrDefault("id") as string);
            string state = (input.GetValueOrDefault("state") as string ?? string.Empty).ToLowerInvariant();
            if (!RunStates.Contains(state))
            {
                throw new ExecutionError("invalid state '" + state + "': one of " + string.Join(", ", RunStates));
            }

            lock (rc.Data.SyncRoot)
            {
                node.Run.State = state;
                node.Run.HeartbeatAt = DateTime.UtcNow;
            }

            return new MutationPayload(input.GetValueOrDefault("clientMutationId") as string, true);
        });
        Field<MutationPayload>(b, "UpdateRunStatePayload", "success", (p, _, _) => p.Success);
        Field<MutationPayload>(b, "UpdateRunStatePayload", "clientMutationId", (p, _, _) => p.ClientMutationId);
    }

    private static readonly string[] RunStates = { "running", "finished", "failed", "crashed", "killed", "preempting", "preempted", "pending" };

    private static Dictionary<string, object?> Input(IResolveFieldContext ctx) =>
        ctx.GetArgument<Dictionary<string, object?>>("input") ?? throw new ExecutionError("input is required");

    /// <summary>The run a change names by storage id; refuses a run name, an unknown id and a read-only project.</summary>
    private static RunNode RunForChange(RequestContext rc, string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            // upsertBucket without an id creates a run in W&B; the fake serves existing runs only.
            throw new ExecutionError("upsertBucket without id (creating a run) is not served by this server");
        }

        string? decoded = WandbEncoding.FromBase64(id);
        if (decoded is null || !decoded.StartsWith("Run:", StringComparison.Ordinal))
        {
            throw new ExecutionError("invalid id '" + id + "': expected a run's storage id (base64 of Run:<number>), not its name");
        }

        lock (rc.Data.SyncRoot)
        {
            foreach (FakeProject project in rc.Data.Projects)
            {
                var projectNode = new ProjectNode(project.Entity, project.Name, project);
                foreach (FakeRun run in project.Runs)
                {
                    var node = new RunNode(projectNode, run);
                    if (string.Equals(WandbEncoding.StorageId("Run", RunNumber(node)), id, StringComparison.Ordinal))
                    {
                        if (project.ReadOnly)
                        {
                            throw new UnsupportedQueryException("permission denied", 403);
                        }

                        return node;
                    }
                }
            }
        }

        throw new ExecutionError("run not found: " + id);
    }

    private static void ApplyUpsert(RequestContext rc, FakeRun run, Dictionary<string, object?> input)
    {
        List<string>? tags = null;
        if (input.TryGetValue("tags", out object? tagsValue) && tagsValue is IEnumerable<object?> tagList)
        {
            tags = tagList.Select(t => t as string ?? "").ToList();
            string? bad = tags.FirstOrDefault(t => t.Length == 0 || t.Length > MaxTagLength);
            if (bad is not null)
            {
                throw new ExecutionError("invalid tag '" + bad + "': a tag is 1 to " + MaxTagLength + " characters");
            }
        }

        // W&B's JSONString may hold bare NaN/Infinity, as the configs it serves do: read it the way the module does.
        string? config = input.GetValueOrDefault("config") as string;
        if (config is not null && !(WandbRunOps.Json.ExtendedJson.TryParse(config, out object? parsed, out string? problem) && parsed is WandbRunOps.Values.WandbMap))
        {
            throw new ExecutionError("config must be a JSON object" + (problem is null ? string.Empty : ": " + problem));
        }

        lock (rc.Data.SyncRoot)
        {
            if (tags is not null) run.Tags = tags;
            if (input.ContainsKey("notes")) run.Notes = input["notes"] as string;
            if (input.ContainsKey("description")) run.Notes = input["description"] as string;
            if (input.ContainsKey("displayName")) run.DisplayName = input["displayName"] as string;
            if (input.ContainsKey("groupName")) run.Group = input["groupName"] as string;
            if (input.ContainsKey("jobType")) run.JobType = input["jobType"] as string;
            if (config is not null) run.ConfigJson = config; // W&B's clients send the whole config: it replaces
            if (input.GetValueOrDefault("summaryMetrics") is string summary) run.SummaryJson = summary;
            run.UpdatedAt = DateTime.UtcNow;
        }
    }

    private sealed record UpsertPayload(RunNode Run, string? ClientMutationId);

    private sealed record MutationPayload(string? ClientMutationId, bool Success);
}
