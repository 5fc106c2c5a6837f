using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Api
{
    /// <summary>
    /// An API run's files: the run's <c>files</c> connection, paged at <see cref="PageSize"/>, literal names sent as
    /// <c>names:</c> and wildcards matched here; the bytes come from each file's direct URL through
    /// <see cref="GraphQLClient.DownloadAsync"/>.
    /// </summary>
    internal sealed class ApiFileReader : IRunFileReader
    {
        /// <summary>Files per request.</summary>
        public const int PageSize = 1000;

        private readonly GraphQLClient _client;
        private readonly ReadDiagnostics _diagnostics;
        private readonly Func<string> _entity;
        private readonly string _project;

        public ApiFileReader(GraphQLClient client, Func<string> entity, string project, ReadDiagnostics diagnostics)
        {
            _client = client;
            _entity = entity;
            _project = project;
            _diagnostics = diagnostics;
        }

        public IReadOnlyList<WandbRunFile> List(WandbRun run, FileNameFilter names, CancellationToken cancellation)
        {
            string entity = run.Entity ?? _entity();
            string project = run.Project ?? _project;
            var variables = new WandbMap
            {
                { "entity", entity }, { "project", project }, { "run", run.Id },
                { "names", names.Literals is null ? null : new ValueList<string>(names.Literals) },
                { "perPage", PageSize },
            };
            return ApiConnection.Nodes(
                    _client, _diagnostics, "RunFiles", Queries.RunFiles, variables, data => ApiAnswers.Path(data, "project", "run", "files") as WandbMap,
                    data => ApiAnswers.NotFound(data, entity, project, run.Id), "RunFiles " + entity + "/" + project + "/" + run.Id, cancellation)
                .Where(node => node["name"] is string name && names.Matches(name))
                .Select(node => Decode(node, (string)node["name"]!, run, entity, project))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
        }

        public async Task<FileCopyResult> CopyToAsync(WandbRunFile file, Stream target, Action<long>? progress, CancellationToken cancellation)
        {
            string shown = TargetOf(file);
            string? direct = file.DirectUrl;
            if (direct is null)
            {
                // A file object this module did not list (rebuilt from a CSV row): its signed URL is asked for now.
                var run = new WandbRun { Id = file.RunId, Name = file.RunName, Project = file.RunProject, Entity = file.RunEntity, Source = RunSource.Api };
                WandbRunFile? listed = List(run, FileNameFilter.Exactly(file.Name), cancellation).FirstOrDefault(f => f.Name == file.Name);
                direct = listed?.DirectUrl
                    ?? throw new WandbException(WandbErrorKind.PathNotFound, "Run " + TargetOfRun(file) + " has no file '" + file.Name + "'.", shown);
            }

            Uri url = _client.DirectUrl(direct, "file '" + file.Name + "'", shown);
            return await _client.DownloadAsync(url, target, file.Size, progress, "File '" + file.Name + "' of run " + TargetOfRun(file), shown, cancellation).ConfigureAwait(false);
        }

        /// <summary>How errors name an API file: <c>entity/project/run/name</c>.</summary>
        private string TargetOf(WandbRunFile file) => TargetOfRun(file) + "/" + file.Name;

        private string TargetOfRun(WandbRunFile file) => (file.RunEntity ?? _entity()) + "/" + (file.RunProject ?? _project) + "/" + file.RunId;

        private WandbRunFile Decode(WandbMap node, string name, WandbRun run, string entity, string project) => new WandbRunFile
        {
            RunId = run.Id,
            RunName = run.Name,
            RunProject = run.Project ?? project,
            RunEntity = run.Entity ?? entity,
            Name = name,
            Size = SizeOf(node["sizeBytes"]),
            UpdatedAt = TimeValues.ParseIso(node["updatedAt"] as string),
            Md5 = ValueReads.Text(node, "md5"),
            Url = ValueReads.Text(node, "url"),
            DirectUrl = ValueReads.Text(node, "directUrl"),
            Reader = this,
        };

        /// <summary><c>sizeBytes</c> is an Int64 scalar: a number, or its text in some servers' answers.</summary>
        internal static long SizeOf(object? value) => value switch
        {
            long l => l,
            double d when d >= 0 && d <= long.MaxValue => (long)d,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) => parsed,
            _ => 0,
        };
    }
}
