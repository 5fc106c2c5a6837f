using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using WandbRunOps.Local;
using WandbRunOps.Api;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Base
{
    /// <summary>
    /// The one place a command's source is decided, for cmdlets (through <see cref="SourceCmdlet.Sources"/>) and tab
    /// completion (which has only the parameters typed so far) alike. A -Path means local folders, a -Project means
    /// the API; with neither, a Connect-Wandb project, then ./wandb, then WANDB_PROJECT with a key. A run object is
    /// read further through its origin (the source that read it), or, for one no source read, the source its
    /// properties name. Sources are made through Core's <see cref="RunSources"/>, so no cmdlet or completer names a
    /// concrete source type, and whatever a command does with a source (page size, order, progress) travels in the
    /// <see cref="RunListOptions"/> of its listing, never on the source.
    /// </summary>
    internal sealed class SourceResolver
    {
        private readonly PathIntrinsics _paths;
        private readonly Action<WandbException> _onPathError;
        private readonly string? _baseUrl;
        private readonly SecureString? _apiKey;
        private readonly bool _allowInsecure;
        private readonly ApiClientOptions _options;
        private readonly ReadDiagnostics _diagnostics;

        /// <param name="paths">The session's path API (the current location; -Path resolution).</param>
        /// <param name="onPathError">Where a -Path that resolves to nothing is reported (the others are still used).</param>
        /// <param name="baseUrl">-BaseUrl, or null.</param>
        /// <param name="apiKey">-ApiKey, or null.</param>
        /// <param name="options">Timeout, proxy and retries of the API client.</param>
        /// <param name="diagnostics">Where verbose lines and warnings go.</param>
        /// <param name="allowInsecure">-AllowInsecure: plain http:// to a host that is not loopback is accepted.</param>
        public SourceResolver(PathIntrinsics paths, Action<WandbException> onPathError, string? baseUrl, SecureString? apiKey, ApiClientOptions options, ReadDiagnostics diagnostics, bool allowInsecure)
        {
            _paths = paths;
            _onPathError = onPathError;
            _baseUrl = baseUrl;
            _apiKey = apiKey;
            _allowInsecure = allowInsecure;
            _options = options;
            _diagnostics = diagnostics;
        }

        /// <summary>The session's file-system location (relative paths, ./wandb, ./wandb/settings).</summary>
        public string CurrentDirectory => _paths.CurrentFileSystemLocation.ProviderPath;

        public ApiEnvironment Environment => ApiEnvironment.Current(CurrentDirectory);

        /// <summary>
        /// The source of a command from its location parameters: paths (local folders; null when none of them
        /// resolves), else a project (API), else the default source.
        /// </summary>
        public IRunSource? For(IReadOnlyList<string>? paths, bool literal, string? entity, string? project) => Choose(paths, literal, entity, project)?.Source;

        /// <summary>The source of one address: a run object's own (see <see cref="ToReread"/>), else what its location names.</summary>
        public IRunSource? For(RunAddress address) =>
            address.Run is WandbRun run ? ToReread(run) : For(address.Paths, address.Literal, address.Entity, address.Project);

        /// <summary>Like <see cref="For(IReadOnlyList{string}, bool, string, string)"/>, and also where the source is (tab completion files its answers under it).</summary>
        public SourceChoice? Choose(IReadOnlyList<string>? paths, bool literal, string? entity, string? project)
        {
            if (paths is { Count: > 0 })
            {
                List<string> roots = ResolvePaths(_paths, paths, literal, _onPathError);
                return roots.Count == 0 ? null : Local(roots);
            }

            return string.IsNullOrEmpty(project) ? DefaultSource(entity) : Api(entity, project);
        }

        /// <summary>
        /// The source that reads more of a run (history, artifacts): the one that read it, reporting to this command;
        /// for a run object no source read, an API run's project, or a local run's own folder(s).
        /// </summary>
        public IRunSource OriginOf(WandbRun run) =>
            RunOrigins.Of(run, _diagnostics) ?? (run.Source == RunSource.Api ? Api(run.Entity, run.Project).Source : RunSources.Local(Array.Empty<string>(), _diagnostics));

        /// <summary>
        /// The source to read a run object again (Get-WandbRun with runs piped in): an API run's origin; a local run's
        /// folder, so it is read as it is on disk now.
        /// </summary>
        public IRunSource? ToReread(WandbRun run) =>
            run.Source == RunSource.Api ? OriginOf(run) : For(new[] { run.Path ?? string.Empty }, literal: true, null, null);

        /// <summary>The API source for a project, resolving base URL, key and entity the way the wandb CLI does.</summary>
        public IRunSource ApiSource(string? entity, string? project) => Api(entity, project).Source;

        private SourceChoice Local(IReadOnlyList<string> roots) => new SourceChoice(RunSources.Local(roots, _diagnostics), roots, null);

        private SourceChoice Api(string? entity, string? project)
        {
            SplitProject(ref entity, ref project);
            ApiTarget target = ResolveTarget(entity, project);
            string name = target.Project ?? throw new WandbException(
                WandbErrorKind.NoSource, "No W&B project was named. Pass -Project, or set one with Connect-Wandb -Project or WANDB_PROJECT.", target.BaseUrl.ToString());
            _diagnostics.Verbose("Using W&B at " + target.BaseUrl + " with the " + target.Credential + ", project " + (target.Entity ?? "(default entity)") + "/" + name + ".");
            return new SourceChoice(RunSources.Api(new GraphQLClient(target.BaseUrl, target.Credential, _options), target.Entity, name, _diagnostics), null, target);
        }

        /// <summary>Accepts -Project "entity/project", as W&amp;B paths are written.</summary>
        public static void SplitProject(ref string? entity, ref string? project)
        {
            if (entity is not null && entity.Trim().Length == 0)
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "-Entity is blank: name a W&B entity (team or user), or leave -Entity out for the default.", entity);
            }

            string[]? parts = project?.Split('/');
            if (parts is not null && (parts.Length > 2 || Array.Exists(parts, p => p.Trim().Length == 0)))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "-Project '" + project + "' is not a W&B project: write project or entity/project.", project);
            }

            if (parts is null || parts.Length == 1)
            {
                return;
            }

            string named = parts[0];
            if (entity is not null && !string.Equals(entity, named, StringComparison.Ordinal))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, "-Project '" + project + "' names entity '" + named + "' but -Entity is '" + entity + "'.", project);
            }

            entity = named;
            project = parts[1];
        }

        /// <summary>Base URL, key, entity and project: the parameters, then the session connection, the environment and settings files.</summary>
        public ApiTarget ResolveTarget(string? entity, string? project)
        {
            ApiCredential? key = _apiKey is null ? null : new ApiCredential(new NetworkCredential(string.Empty, _apiKey).Password, ApiKeySource.Parameter);
            return ApiTarget.Resolve(_baseUrl, key, entity, project, ConnectionStore.Current, Environment, _allowInsecure, _diagnostics);
        }

        /// <summary>
        /// The source when the command names none: a Connect-Wandb project, ./wandb, WANDB_PROJECT with a findable key,
        /// else a WandbNoSource error that names every way to choose one.
        /// </summary>
        private SourceChoice DefaultSource(string? entity)
        {
            if (ConnectionStore.Current is { Project: not null })
            {
                return Api(entity, null);
            }

            string here = CurrentDirectory;
            if (WandbFolderHere() is string wandb)
            {
                return Local(new[] { wandb });
            }

            if (!string.IsNullOrWhiteSpace(Environment.Variable("WANDB_PROJECT")) && KeyCanBeFound())
            {
                return Api(entity, null);
            }

            throw new WandbException(
                WandbErrorKind.NoSource,
                "No run source was named and none was found. Choose one: -Path with a wandb folder, run folder or .wandb file; -Project (and -Entity) for the W&B API; " +
                "Connect-Wandb -Project for this session; or run the command in the folder where your training script wrote wandb/ (or set WANDB_PROJECT with an API key).",
                here);
        }

        /// <summary>
        /// Where Get-WandbProject lists projects: -Path means local folders; -Entity, -BaseUrl, -ApiKey or a Connect-Wandb
        /// connection mean the API; else ./wandb; else the API when a key can be found (the key's default entity); else
        /// a WandbNoSource error. Null when no -Path resolves (each was reported).
        /// </summary>
        public IProjectLister? ProjectsFor(IReadOnlyList<string>? paths, bool literal, string? entity, bool serverNamed)
        {
            if (paths is { Count: > 0 })
            {
                List<string> roots = ResolvePaths(_paths, paths, literal, _onPathError);
                return roots.Count == 0 ? null : RunSources.LocalProjects(roots, _diagnostics);
            }

            if (entity is null && !serverNamed && ConnectionStore.Current is null)
            {
                if (WandbFolderHere() is string wandb)
                {
                    return RunSources.LocalProjects(new[] { wandb }, _diagnostics);
                }

                if (!KeyCanBeFound())
                {
                    throw new WandbException(
                        WandbErrorKind.NoSource,
                        "No project source was named and none was found. Choose one: -Path with a wandb folder; -Entity (and -BaseUrl, -ApiKey) for the W&B API; " +
                        "Connect-Wandb for this session; or run the command in the folder where your training script wrote wandb/ (or set WANDB_API_KEY).",
                        CurrentDirectory);
                }
            }

            ApiTarget target = ResolveTarget(entity, null);
            _diagnostics.Verbose("Using W&B at " + target.BaseUrl + " with the " + target.Credential + ", entity " + (target.Entity ?? "(the key's default)") + ".");
            return RunSources.ApiProjects(new GraphQLClient(target.BaseUrl, target.Credential, _options), target.Entity, _diagnostics);
        }

        /// <summary>The wandb folder the SDK writes in the current directory, if there is one.</summary>
        private string? WandbFolderHere() =>
            RunFolder.WandbDirectoryNames.Select(name => Path.Combine(CurrentDirectory, name)).FirstOrDefault(Directory.Exists);

        /// <summary>True when an API key can be found for the base URL without a parameter (environment, netrc).</summary>
        private bool KeyCanBeFound()
        {
            ApiEnvironment environment = Environment;
            return ApiTarget.TryFindKey(ApiTarget.ParseBaseUrl(_baseUrl ?? environment.Variable("WANDB_BASE_URL") ?? ApiTarget.DefaultBaseUrl.ToString()), environment, out _) is not null;
        }

        /// <summary>
        /// Resolves -Path values (wildcards allowed) to file-system paths; one that matches nothing is reported as a
        /// WandbPathNotFound error and the rest are still used.
        /// </summary>
        public static List<string> ResolvePaths(PathIntrinsics sessionPaths, IEnumerable<string> paths, bool literal, Action<WandbException> onError)
        {
            var resolved = new List<string>();
            foreach (string path in paths)
            {
                try
                {
                    if (literal)
                    {
                        string full = sessionPaths.GetUnresolvedProviderPathFromPSPath(path);
                        if (!File.Exists(full) && !Directory.Exists(full))
                        {
                            throw new ItemNotFoundException("Cannot find path '" + path + "' because it does not exist.");
                        }

                        resolved.Add(full);
                        continue;
                    }

                    Collection<string> matches = sessionPaths.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                    if (provider.Name != "FileSystem")
                    {
                        throw new ItemNotFoundException("'" + path + "' is not a file-system path.");
                    }

                    // PowerShell resolves a malformed pattern ('wandb/[', 'wandb/[]') and a pattern that matches nothing
                    // to nothing, without a word: said here. A malformed one as for -Id and -Name (Wildcard throws
                    // WandbInvalidArgument naming the fault), one that matches nothing as any path that does not exist.
                    if (matches.Count == 0)
                    {
                        _ = new Wildcard(path);
                        throw new ItemNotFoundException("Cannot find path '" + path + "': it matches nothing.");
                    }

                    resolved.AddRange(matches);
                }
                catch (WandbException e)
                {
                    onError(e);
                }
                catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is PSArgumentException)
                {
                    onError(new WandbException(WandbErrorKind.PathNotFound, e.Message, path, e));
                }
            }

            return resolved;
        }
    }
}
