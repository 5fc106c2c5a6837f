using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// Who a key belongs to (the viewer query): W&amp;B's own proof that credentials are valid, and the default entity
    /// for commands that name none.
    /// </summary>
    /// <param name="Username">The W&amp;B user the key belongs to.</param>
    /// <param name="Entity">The user's default entity.</param>
    /// <param name="Response">The answer, for its timing and log lines.</param>
    public sealed record ApiViewer(string? Username, string? Entity, GraphQLResponse Response)
    {
        /// <summary>Asks the server; a key it does not recognise (no viewer) is an AuthenticationFailed error.</summary>
        public static ApiViewer Get(GraphQLClient client, CancellationToken cancellation)
        {
            GraphQLResponse response = client.Query("Viewer", Queries.Viewer, new WandbMap(), cancellation);
            if (!(response.Data["viewer"] is WandbMap viewer))
            {
                throw new WandbException(
                    WandbErrorKind.AuthenticationFailed,
                    "W&B at " + client.BaseUrl + " did not recognise the API key from " + client.Credential.Description + ".",
                    client.BaseUrl.ToString());
            }

            return new ApiViewer(ValueReads.Text(viewer, "username"), ValueReads.Text(viewer, "entity"), response);
        }

        /// <summary>The key's default entity, for a command that names none; a user without one is WandbNoSource.</summary>
        public static string DefaultEntity(GraphQLClient client, ReadDiagnostics diagnostics, CancellationToken cancellation)
        {
            ApiViewer viewer = Get(client, cancellation);
            ApiAnswers.Report(client, diagnostics, viewer.Response, "Viewer (no entity named; using the key's default entity)");
            return viewer.Entity ?? throw new WandbException(
                WandbErrorKind.NoSource, "The API key's user has no default entity on " + client.BaseUrl + "; pass -Entity.", client.BaseUrl.ToString());
        }
    }
}
