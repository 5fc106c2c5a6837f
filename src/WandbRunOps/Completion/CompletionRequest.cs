using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using WandbRunOps.Api;
using WandbRunOps.Commands.Base;
using WandbRunOps.Diagnostics;
using WandbRunOps.Model;
using WandbRunOps.Selection;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Completion
{
    /// <summary>A command's run source as completion sees it, with the identity its cached answers are filed under.</summary>
    internal sealed class CompletionSource
    {
        public CompletionSource(IRunSource source, string identity)
        {
            Source = source;
            Identity = identity;
        }

        public IRunSource Source { get; }

        /// <summary>local:paths, or api:server|credential|entity/project (a fingerprint of the key, never the key).</summary>
        public string Identity { get; }
    }

    /// <summary>
    /// One Tab press: the command and parameter, what the user has typed for the other parameters
    /// (fakeBoundParameters), the session (location, connection), and a time budget for anything that goes to the
    /// server. The command's source is decided by <see cref="SourceResolver"/>, the same rules the cmdlets use.
    /// </summary>
    internal sealed class CompletionRequest : IDisposable
    {
        /// <summary>How long a completion may wait for W&amp;B (requests are cancelled after it, and not retried).</summary>
        public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

        /// <summary>At most this many runs are read for their keys or artifacts.</summary>
        public const int RunLimit = 5;

        /// <summary>Run ids offered from the API: one page of the newest runs.</summary>
        public const int IdPageSize = 100;

        /// <summary>Names, tags, groups and the like are offered from this many of the newest runs.</summary>
        public const int FieldRunLimit = 50;

        private readonly IDictionary? _bound;
        private readonly CancellationTokenSource _budget;
        private EngineIntrinsics? _engine;

        public CompletionRequest(string? commandName, string? parameterName, IDictionary? fakeBoundParameters)
        {
            CommandName = commandName ?? string.Empty;
            ParameterName = parameterName ?? string.Empty;
            _bound = fakeBoundParameters;
            _budget = new CancellationTokenSource(Budget);
        }

        public string CommandName { get; }

        public string ParameterName { get; }

        /// <summary>Cancelled when the budget is spent.</summary>
        public CancellationToken Cancellation => _budget.Token;

        /// <summary>
        /// The session's engine ($ExecutionContext). Completers run on the session's own thread while its pipeline is
        /// busy with TabExpansion2, where Runspace.SessionStateProxy refuses calls; the engine's own objects do not.
        /// </summary>
        public EngineIntrinsics Engine => _engine ??= ScriptBlock.Create("$ExecutionContext").Invoke().Select(o => o.BaseObject).OfType<EngineIntrinsics>().FirstOrDefault()
            ?? throw new InvalidOperationException("Completion needs a PowerShell session.");

        /// <summary>The session's path API.</summary>
        public PathIntrinsics Paths => Engine.SessionState.Path;

        public string CurrentDirectory => Paths.CurrentFileSystemLocation.ProviderPath;

        /// <summary>The cmdlet class the command name stands for (through aliases and module-qualified names), if it is one of ours.</summary>
        public Type? CommandType
        {
            get
            {
                CommandInfo? info = Engine.InvokeCommand.GetCommand(CommandName, CommandTypes.Cmdlet | CommandTypes.Alias);
                for (int hops = 0; info is AliasInfo alias && hops < 8; hops++)
                {
                    info = alias.ResolvedCommand;
                }

                return (info as CmdletInfo)?.ImplementingType;
            }
        }

        /// <summary>The value typed for a parameter, unwrapped; null when it was not typed (or is not a constant or variable).</summary>
        public object? Value(string name)
        {
            if (_bound is null || !_bound.Contains(name))
            {
                return null;
            }

            object? value = _bound[name];
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        public string? Text(string name)
        {
            IReadOnlyList<string>? texts = Texts(name);
            return texts is { Count: > 0 } ? texts[0] : null;
        }

        /// <summary>The strings typed for a parameter (one, or a comma list).</summary>
        public IReadOnlyList<string>? Texts(string name)
        {
            object? value = Value(name);
            IEnumerable<object?> items = value is string || value is null ? new[] { value } : value is IEnumerable list ? list.Cast<object?>() : new[] { value };
            List<string> texts = items
                .Select(v => v is PSObject p ? p.BaseObject : v)
                .Where(v => v is not null)
                .Select(v => v!.ToString())
                .Where(t => !string.IsNullOrEmpty(t))
                .ToList();
            return texts.Count == 0 ? null : texts;
        }

        public bool Switch(string name) => Value(name) switch
        {
            SwitchParameter s => s.IsPresent,
            bool b => b,
            null => false,
            _ => _bound!.Contains(name),
        };

        /// <summary>Client settings for completion: the budget as timeout, no retries, the typed -Proxy.</summary>
        public ApiClientOptions ClientOptions => new ApiClientOptions
        {
            Timeout = Budget,
            Proxy = Value("Proxy") switch
            {
                Uri uri => uri,
                string text when Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) => parsed,
                _ => null,
            },
            Retry = new RetryPolicy { MaxAttempts = 1 },
        };

        /// <summary>The module's one source resolver, over what is typed; a path that resolves to nothing is passed over in silence.</summary>
        public SourceResolver Resolver => new SourceResolver(Paths, _ => { }, Text("BaseUrl"), Value("ApiKey") as SecureString, ClientOptions, ReadDiagnostics.None, Switch("AllowInsecure"));

        /// <summary>Where API calls go, with -BaseUrl/-ApiKey as typed, the connection, then the environment.</summary>
        public ApiTarget Target(string? entity, string? project)
        {
            SourceResolver.SplitProject(ref entity, ref project);
            return Resolver.ResolveTarget(entity, project);
        }

        /// <summary>A client for <paramref name="target"/> that gives up within the budget.</summary>
        public GraphQLClient Client(ApiTarget target) => new GraphQLClient(target.BaseUrl, target.Credential, ClientOptions);

        /// <summary>
        /// The command's source, decided as the cmdlets decide it (-LiteralPath/-Path, -Project/-Entity, else the
        /// default source); null when the paths typed do not resolve.
        /// </summary>
        public CompletionSource? Source()
        {
            IReadOnlyList<string>? literal = Texts("LiteralPath");
            SourceChoice? choice = Resolver.Choose(literal ?? Texts("Path"), literal is not null, Text("Entity"), Text("Project"));
            return choice switch
            {
                { Roots: IReadOnlyList<string> roots } => new CompletionSource(choice.Source, "local:" + string.Join("|", roots)),
                { Target: ApiTarget target } => new CompletionSource(choice.Source, "api:" + ServerIdentity(target) + "|" + (target.Entity ?? "~") + "/" + target.Project),
                _ => null,
            };
        }

        /// <summary>
        /// The runs -Id names (at most <see cref="RunLimit"/>), or without -Id the newest few of the source: the runs
        /// named, else the newest first, read only until enough are in (locally only those logs are read; over the
        /// API one request per literal id, or pages of the newest runs).
        /// </summary>
        public IReadOnlyList<WandbRun> ChosenRuns(CompletionSource chosen)
        {
            IReadOnlyList<string>? ids = Texts("Id") ?? Texts("RunId");
            if (ids is not null && ids.All(id => !Wildcard.IsPattern(id)))
            {
                return Newest(chosen, new RunSelector(ids.Take(RunLimit), null), RunLimit, new RunListOptions());
            }

            return Newest(chosen, new RunSelector(ids, null), RunLimit, new RunListOptions { NewestFirst = true, PageSize = ids is null ? RunLimit : IdPageSize });
        }

        /// <summary>
        /// The newest runs of the source (at most <see cref="FieldRunLimit"/>): locally the newest run folders are read
        /// until the budget is spent, and what was read by then is offered; over the API one page.
        /// </summary>
        public IReadOnlyList<WandbRun> RecentRuns(CompletionSource chosen) =>
            Newest(chosen, new RunSelector(null, null), FieldRunLimit, new RunListOptions { NewestFirst = true, PageSize = FieldRunLimit });

        /// <summary>The first <paramref name="count"/> runs of a listing, or those read when the budget ran out (the rest of a large folder is not waited for: Tab must stay quick).</summary>
        private IReadOnlyList<WandbRun> Newest(CompletionSource chosen, RunSelector selector, int count, RunListOptions options)
        {
            var runs = new List<WandbRun>();
            try
            {
                foreach (WandbRun run in chosen.Source.GetRuns(selector, options, _ => { }, Cancellation))
                {
                    runs.Add(run);
                    if (runs.Count == count)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested && runs.Count > 0)
            {
                // Out of time: the runs read so far are a fair sample.
            }

            return runs;
        }

        /// <summary>Server and credential, for cache keys: a fingerprint stands for the key, which is never kept.</summary>
        public string ServerIdentity(ApiTarget target)
        {
            string credential = target.Credential.Source switch
            {
                ApiKeySource.Parameter => "parameter:" + Fingerprint(Value("ApiKey") is SecureString key ? new NetworkCredential(string.Empty, key).Password : string.Empty),
                ApiKeySource.Session => "session:" + Runspace.DefaultRunspace?.InstanceId + ":" + ConnectionStore.Current?.ConnectedAt.Ticks,
                ApiKeySource.Environment => "environment:" + Fingerprint(System.Environment.GetEnvironmentVariable("WANDB_API_KEY") ?? string.Empty),
                _ => "netrc:" + target.Credential.Origin,
            };
            return target.BaseUrl.ToString().TrimEnd('/') + "|" + credential;
        }

        public void Dispose() => _budget.Dispose();

        private static string Fingerprint(string text)
        {
            using var sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return BitConverter.ToString(hash, 0, 8).Replace("-", string.Empty);
        }
    }
}
