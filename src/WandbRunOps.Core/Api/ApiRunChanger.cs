using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Changes;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// Changes runs over the API: reads a run fresh, then sends W&amp;B's own mutations by its storage id. Every change
    /// is safe to repeat (a whole tag list, a whole config, a stop, a delete), so the client's retry of a lost answer
    /// never doubles an effect; a delete whose answer was lost and whose run is then gone counts as done.
    /// </summary>
    public sealed class ApiRunChanger : IRunChanger, IRunRemover
    {
        private readonly GraphQLClient _client;
        private readonly ReadDiagnostics _diagnostics;

        public ApiRunChanger(GraphQLClient client, ReadDiagnostics diagnostics)
        {
            _client = client;
            _diagnostics = diagnostics;
        }

        /// <summary>The run as the server has it now; <see cref="WandbErrorKind.RunNotFound"/> or ProjectNotFound when it is not there.</summary>
        public async Task<RunSnapshot> ReadAsync(string entity, string project, string runId, CancellationToken cancellation)
        {
            RunSnapshot? snapshot = await TryReadAsync(entity, project, runId, cancellation).ConfigureAwait(false);
            return snapshot ?? throw ApiAnswers.RunNotFound(entity, project, runId);
        }

        public Task<RunSnapshot> ReadAsync(WandbRun run, CancellationToken cancellation) =>
            ReadAsync(run.Entity ?? throw MissingProject(run), run.Project ?? throw MissingProject(run), run.Id, cancellation);

        /// <summary>Sends the plan's upsertBucket and returns the run as the server now has it.</summary>
        public async Task<WandbRun> ApplyAsync(RunChangePlan plan, CancellationToken cancellation)
        {
            string entity = plan.Run.Entity;
            string project = plan.Run.Project;
            GraphQLResponse response = await ChangeAsync("UpsertBucket", Queries.UpsertBucket, plan.Input, plan.Run, "change", plan.Description, cancellation).ConfigureAwait(false);
            if (Path(response.Data, "upsertBucket", "bucket") is WandbMap bucket)
            {
                return ApiRunDecoder.Run(bucket, entity, project, ApiRunDecoder.AppUrlFor(_client.BaseUrl));
            }

            throw Refused(plan.Run, response.Errors, "change");
        }

        /// <summary>Asks W&amp;B to stop the run (the training process picks it up when it next polls); safe to repeat.</summary>
        public async Task StopAsync(RunSnapshot run, CancellationToken cancellation)
        {
            GraphQLResponse response = await ChangeAsync("StopRun", Queries.StopRun, new WandbMap { { "id", run.StorageId } }, run, "stop", null, cancellation).ConfigureAwait(false);
            if (!(Path(response.Data, "stopRun", "success") is true))
            {
                throw Refused(run, response.Errors, "stop");
            }
        }

        public async Task<RunRemovalPlan> PlanAsync(WandbRun run, RunRemovalOptions options, CancellationToken cancellation)
        {
            RunSnapshot snapshot = await ReadAsync(run, cancellation).ConfigureAwait(false);
            return new RunRemovalPlan(snapshot.Label, snapshot.Target, options.DeleteArtifacts ? "delete run and the artifacts it logged" : "delete run (its artifacts are kept)")
            {
                Snapshot = snapshot,
                DeleteArtifacts = options.DeleteArtifacts,
            };
        }

        public Task RemoveAsync(RunRemovalPlan plan, CancellationToken cancellation) =>
            DeleteAsync(plan.Snapshot ?? throw new ArgumentException("An API removal plan carries its run's fresh read.", nameof(plan)), plan.DeleteArtifacts, cancellation);

        /// <summary>Deletes the run; an error after which the run is gone (a retried delete whose first answer was lost) counts as done.</summary>
        public async Task DeleteAsync(RunSnapshot run, bool deleteArtifacts, CancellationToken cancellation)
        {
            string entity = run.Entity;
            string project = run.Project;
            var input = new WandbMap { { "id", run.StorageId }, { "deleteArtifacts", deleteArtifacts } };
            GraphQLResponse response;
            try
            {
                response = await ChangeAsync("DeleteRun", Queries.DeleteRun, input, run, "delete", null, cancellation).ConfigureAwait(false);
            }
            catch (WandbException e) when (e.Kind == WandbErrorKind.ConnectionFailed || e.Kind == WandbErrorKind.ProtocolError)
            {
                if (await IsGoneAsync(entity, project, run, cancellation).ConfigureAwait(false))
                {
                    return;
                }

                throw;
            }

            if (response.Errors.Count > 0 && !await IsGoneAsync(entity, project, run, cancellation).ConfigureAwait(false))
            {
                throw Refused(run, response.Errors, "delete");
            }
        }

        private async Task<bool> IsGoneAsync(string entity, string project, RunSnapshot run, CancellationToken cancellation)
        {
            bool gone = await TryReadAsync(entity, project, run.RunId, cancellation).ConfigureAwait(false) is null;
            if (gone)
            {
                _diagnostics.Verbose("Run " + run.Target + " is gone after its delete was answered with an error or not at all: the delete is done.");
            }

            return gone;
        }

        private async Task<RunSnapshot?> TryReadAsync(string entity, string project, string runId, CancellationToken cancellation)
        {
            var variables = new WandbMap { { "entity", entity }, { "project", project }, { "name", runId } };
            GraphQLResponse response = await _client.QueryAsync("RunForChange", Queries.RunForChange, variables, cancellation).ConfigureAwait(false);
            Report(response, "RunForChange " + entity + "/" + project + "/" + runId);
            if (response.Data["project"] is null)
            {
                throw ApiAnswers.NotFound(response.Data, entity, project, runId);
            }

            if (!(Path(response.Data, "project", "run") is WandbMap node) || !(node["id"] is string storageId))
            {
                return null;
            }

            return new RunSnapshot(storageId, entity, project, runId, ValueReads.Text(node, "displayName"))
            {
                State = ValueReads.Text(node, "state") is string state ? ApiRunDecoder.State(state).ToString() : null,
                Tags = (node["tags"] as IReadOnlyList<object?> ?? Array.Empty<object?>()).OfType<string>().ToList(),
                Notes = node["notes"] as string,
                Group = node["group"] as string,
                JobType = node["jobType"] as string,
                Config = ApiRunDecoder.JsonStringMap(node["config"], "config"),
            };
        }

        // verb: what is done to the run, as messages say it (change, stop, delete); detail: the exact change, if any.
        private async Task<GraphQLResponse> ChangeAsync(string operation, string mutation, WandbMap input, RunSnapshot run, string verb, string? detail, CancellationToken cancellation)
        {
            _diagnostics.Verbose("Sending " + operation + " for run " + run.Label + ": " + (detail ?? verb) + ".");
            try
            {
                GraphQLResponse response = await _client.ChangeAsync(operation, mutation, new WandbMap { { "input", input } }, cancellation).ConfigureAwait(false);
                // A change's errors are its outcome (classified by the caller), not warnings about partial data.
                Report(response with { Errors = Array.Empty<string>() }, operation + " " + run.Target);
                return response;
            }
            catch (WandbException e) when (e.Kind == WandbErrorKind.PermissionDenied)
            {
                throw new WandbException(WandbErrorKind.PermissionDenied, "W&B refused to " + verb + " run " + run.Label + (detail is null ? string.Empty : " (" + detail + ")") + ": " + e.Message, run.Target, e);
            }
        }

        /// <summary>Names the refusal by what the server said: permission, a run that is gone, or a value it would not take.</summary>
        private static WandbException Refused(RunSnapshot run, IReadOnlyList<string> errors, string verb)
        {
            string said = errors.Count == 0 ? "no result and no error" : string.Join("; ", errors);
            WandbErrorKind kind =
                errors.Any(e => e.IndexOf("permission", StringComparison.OrdinalIgnoreCase) >= 0 || e.IndexOf("not authorized", StringComparison.OrdinalIgnoreCase) >= 0) ? WandbErrorKind.PermissionDenied
                : errors.Any(e => e.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0) ? WandbErrorKind.RunNotFound
                : errors.Any(e => e.IndexOf("invalid", StringComparison.OrdinalIgnoreCase) >= 0) ? WandbErrorKind.InvalidArgument
                : WandbErrorKind.ProtocolError;
            return new WandbException(kind, "W&B did not " + verb + " run " + run.Label + ": " + said + ".", run.Target);
        }

        private void Report(GraphQLResponse response, string what) => ApiAnswers.Report(_client, _diagnostics, response, what);

        private static object? Path(WandbMap? map, params string[] keys) => ApiAnswers.Path(map, keys);

        private static WandbException MissingProject(WandbRun run) =>
            new WandbException(WandbErrorKind.InvalidArgument, "Run '" + run.Id + "' names no entity and project, so it cannot be changed over the API.", run.Id);
    }
}
