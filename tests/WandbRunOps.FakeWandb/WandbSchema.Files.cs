using System;
using System.Collections.Generic;
using System.Linq;
using GraphQL;
using GraphQL.Utilities;

namespace WandbRunOps.FakeWandb;

/// <summary>
/// A file the server lists and serves itself: a run's file, an artifact's file or manifest. <paramref name="Key"/> names
/// it for its id and its direct URL's signature; <paramref name="UrlPath"/> is its key-protected URL on this server
/// (null: none), <paramref name="DirectPath"/> its signed one.
/// </summary>
internal sealed record FileNode(string Key, string? UrlPath, string DirectPath, FakeRunFile File)
{
    public static FileNode OfRun(RunNode run, FakeRunFile file) => new(
        run.Project.Entity + "/" + run.Project.Name + "/" + run.Run.Id + "/" + file.Name,
        FileRoutes.Path(FileRoutes.FilesPrefix, run.Project.Entity, run.Project.Name, run.Run.Id, file.Name),
        FileRoutes.Path(FileRoutes.DirectPrefix, run.Project.Entity, run.Project.Name, run.Run.Id, file.Name),
        file);
}

public static partial class WandbSchema
{
    /// <summary>
    /// <c>run.files(names, pattern, first, after)</c> as W&amp;B answers it: every file, or those <c>names</c> lists
    /// (an empty list: every file); <c>pattern</c> is W&amp;B's SQL LIKE pattern (<c>%</c> any run, <c>_</c> one
    /// character). <c>url</c> is the file URL on this server (key needed), <c>directUrl</c> a signed one (no key), on
    /// <see cref="FakeServerOptions.DirectUrlHost"/>.
    /// </summary>
    private static void ConfigureFiles(SchemaBuilder b)
    {
        Field<RunNode>(b, "Run", "files", (r, rc, ctx) =>
        {
            List<string>? names = ctx.GetArgument<List<string>?>("names");
            string? pattern = ctx.GetArgument<string?>("pattern");
            FakeRunFile[] files;
            lock (rc.Data.SyncRoot)
            {
                files = r.Run.Files.ToArray();
            }

            IEnumerable<FakeRunFile> chosen = files.OrderBy(f => f.Name, StringComparer.Ordinal);
            if (names is { Count: > 0 })
            {
                chosen = chosen.Where(f => names.Contains(f.Name, StringComparer.Ordinal));
            }

            if (!string.IsNullOrEmpty(pattern))
            {
                var like = new System.Text.RegularExpressions.Regex(
                    "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$",
                    System.Text.RegularExpressions.RegexOptions.Singleline);
                chosen = chosen.Where(f => like.IsMatch(f.Name));
            }

            return Page(chosen.ToList(), ctx, rc.Options.MaxPageSize, f => FileNode.OfRun(r, f));
        });

        Field<FileNode>(b, "File", "id", (f, _, _) => WandbEncoding.StorageId("File", WandbEncoding.StableNumber("file/" + f.Key)));
        Field<FileNode>(b, "File", "name", (f, _, _) => f.File.Name);
        Field<FileNode>(b, "File", "url", (f, rc, _) => f.UrlPath is null ? null : rc.BaseUrl + f.UrlPath);
        Field<FileNode>(b, "File", "directUrl", (f, rc, _) =>
        {
            var address = new UriBuilder(rc.BaseUrl) { Host = rc.Options.DirectUrlHost ?? "127.0.0.1" };
            return address.Uri.GetLeftPart(UriPartial.Authority) + f.DirectPath + "?sig=" + FileRoutes.Signature(f.Key);
        });
        Field<FileNode>(b, "File", "sizeBytes", (f, _, _) => f.File.SizeBytes);
        Field<FileNode>(b, "File", "md5", (f, _, _) => f.File.Md5);
        Field<FileNode>(b, "File", "updatedAt", (f, _, _) => f.File.UpdatedAt);
        Field<FileNode>(b, "File", "mimetype", (f, _, _) => f.File.MimeType);
    }
}
