using System.Threading;
using WandbRunOps.Errors;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// Who a key belongs to (the viewer query): W&amp;B's own proof that credentials are valid, and the default entity
    /// for commands that name none.
    /// </summary>
    public sealed class ApiViewer
    {
        private ApiViewer(string? username, string? entity, GraphQLResponse response)
        {
            Username = username;
            Entity = entity;
            Response = response;
        }

        public string? Username { get; }

        public string? Entity { get; }

        /// <summary>The answer, for its timing and log lines.</summary>
        public GraphQLResponse Response { get; }

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
    }
}
