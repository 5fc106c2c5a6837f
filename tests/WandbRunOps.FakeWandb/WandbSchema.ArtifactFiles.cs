using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using GraphQL;
using GraphQL.Utilities;

namespace WandbRunOps.FakeWandb;

// An artifact version's files (research notes §7.3): artifact(id) at the top level, its stored files with direct URLs
// this server serves (FileRoutes.ArtifactsPrefix), and its manifest file (currentManifest { file { directUrl } }) in
// W&B's JSON shape, reference entries included.
public static partial class WandbSchema
{
    private static void ConfigureArtifactFiles(SchemaBuilder b)
    {
        Field<object>(b, "Query", "artifact", (_, rc, ctx) =>
        {
            string id = ctx.GetArgument<string>("id");
            lock (rc.Data.SyncRoot)
            {
                FakeArtifact? found = rc.Data.Projects.SelectMany(p => p.Runs).SelectMany(r => r.Logged.Concat(r.Used)).FirstOrDefault(a => ArtifactId(a) == id);
                return found is null ? null : new ArtifactNode(found);
            }
        });
        Field<ArtifactNode>(b, "Artifact", "files", (a, rc, ctx) =>
        {
            List<FakeArtifactFile> stored;
            lock (rc.Data.SyncRoot)
            {
                stored = a.Artifact.Files.Where(f => f.Ref is null).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            }

            return Page(stored, ctx, rc.Options.MaxPageSize, f => new FileNode(
                FileRoutes.ArtifactKey(a.Artifact, f.Path), null, FileRoutes.ArtifactPath(a.Artifact, f.Path),
                new FakeRunFile { Name = f.Path, SizeBytes = f.Size, Md5 = f.ServedDigest(), UpdatedAt = a.Artifact.CreatedAt }));
        });
        Field<ArtifactNode>(b, "Artifact", "currentManifest", (a, _, _) => a);
        Field<ArtifactNode>(b, "ArtifactManifest", "id", (a, _, _) => WandbEncoding.StorageId("ArtifactManifest", WandbEncoding.StableNumber(FileRoutes.ArtifactKey(a.Artifact, null))));
        Field<ArtifactNode>(b, "ArtifactManifest", "file", (a, rc, _) =>
        {
            byte[] manifest;
            lock (rc.Data.SyncRoot)
            {
                manifest = Encoding.UTF8.GetBytes(a.Artifact.ManifestJson());
            }

            return new FileNode(
                FileRoutes.ArtifactKey(a.Artifact, null), null, FileRoutes.ArtifactPath(a.Artifact, null),
                FakeRunFile.FromBytes("wandb_manifest.json", manifest, a.Artifact.CreatedAt));
        });
    }
}
