using System;
using System.Text;

namespace WandbRunOps.Api
{
    /// <summary>
    /// An API key and where it came from. The key itself is never exposed: no public property returns it, and
    /// <see cref="ToString"/> names only its source, so no stream, exception, format view or ConvertTo-Json can show it.
    /// </summary>
    public sealed class ApiCredential
    {
        private readonly string _key;

        public ApiCredential(string key, ApiKeySource source, string? origin = null)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ArgumentException("The API key is empty.", nameof(key));
            }

            _key = key.Trim();
            Source = source;
            Origin = origin;
        }

        public ApiKeySource Source { get; }

        /// <summary>Where exactly: the netrc file's path, the variable's name.</summary>
        public string? Origin { get; }

        /// <summary>"the netrc file ~/.netrc", "the -ApiKey parameter"… for messages that must say where a bad key came from.</summary>
        public string Description => Source switch
        {
            ApiKeySource.Parameter => "the -ApiKey parameter",
            ApiKeySource.Session => "the connection made with Connect-Wandb" + (Origin is null ? string.Empty : " (from " + Origin + ")"),
            ApiKeySource.Environment => "the WANDB_API_KEY environment variable",
            _ => "the netrc file " + (Origin ?? string.Empty),
        };

        /// <summary>The HTTP Basic credentials W&amp;B expects: user <c>api</c>, the key as password.</summary>
        internal string BasicAuthorization => Convert.ToBase64String(Encoding.UTF8.GetBytes("api:" + _key));

        /// <summary>
        /// <paramref name="text"/> with the key and its Basic-header form (base64 of <c>api:KEY</c>) replaced by a
        /// marker: a server or proxy that repeats the request back must not get the key shown.
        /// </summary>
        internal string Redact(string text)
        {
            const string Withheld = "[API key withheld]";
            return text.Replace(BasicAuthorization, Withheld).Replace(_key, Withheld); // string.Replace is ordinal
        }

        internal bool SameKey(ApiCredential other) => string.Equals(_key, other._key, StringComparison.Ordinal);

        /// <summary>The same key, now reported as coming from the session's connection (and where that got it).</summary>
        internal ApiCredential AsSession() =>
            Source == ApiKeySource.Session ? this : new ApiCredential(_key, ApiKeySource.Session, Description);

        public override string ToString() => "API key from " + Description;
    }
}
