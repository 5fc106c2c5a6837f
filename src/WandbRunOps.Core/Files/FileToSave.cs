using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Artifacts;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Files
{
    /// <summary>
    /// One file <see cref="FileSaver"/> saves, whatever it belongs to (a run's file for Save-RunFile, an artifact's
    /// manifest entry for Save-WandbArtifact): its path under the destination, the size and MD5 it must have, and how
    /// its bytes are fetched.
    /// </summary>
    public sealed class FileToSave
    {
        private readonly Func<string?> _md5;
        private readonly Func<bool> _md5Known;
        private readonly Func<Stream, Action<long>?, CancellationToken, Task<FileCopyResult>> _copy;

        private FileToSave(object source, string name, long size, string what, bool sizeIsExact, Func<string?> md5, Func<bool> md5Known, Func<Stream, Action<long>?, CancellationToken, Task<FileCopyResult>> copy)
        {
            Source = source;
            Name = name;
            Size = size;
            What = what;
            SizeIsExact = sizeIsExact;
            _md5 = md5;
            _md5Known = md5Known;
            _copy = copy;
        }

        /// <summary>The object the file came from (<see cref="WandbRunFile"/> or <see cref="ArtifactFile"/>).</summary>
        public object Source { get; }

        /// <summary>The path under the destination, <c>/</c>-separated.</summary>
        public string Name { get; }

        /// <summary>Bytes, as the source says.</summary>
        public long Size { get; }

        /// <summary>How messages name the file: <c>File 'x' of run 'y'</c>.</summary>
        public string What { get; }

        /// <summary>True when the bytes received must be exactly <see cref="Size"/> (a listing's size, not a file on this disk that may have changed since).</summary>
        public bool SizeIsExact { get; }

        /// <summary>The base64 MD5 the bytes must have; null when the source has none (a local run file computes it on first read).</summary>
        public string? Md5 => _md5();

        /// <summary>True when <see cref="Md5"/> is known without reading the source's bytes.</summary>
        public bool HasKnownMd5 => _md5Known();

        /// <summary>Writes the bytes to <paramref name="target"/> (from its start), returning what was written and its MD5.</summary>
        public Task<FileCopyResult> CopyToAsync(Stream target, Action<long>? progress, CancellationToken cancellation) => _copy(target, progress, cancellation);

        /// <summary>A run's file (Save-RunFile), fetched by the reader that listed it.</summary>
        public static FileToSave Of(WandbRunFile file, IRunFileReader reader) => new FileToSave(
            file,
            file.Name,
            file.Size,
            "File '" + file.Name + "' of run '" + file.RunId + "'",
            sizeIsExact: file.FullName is null,
            () => file.Md5,
            () => file.HasKnownMd5,
            (target, progress, cancellation) => reader.CopyToAsync(file, target, progress, cancellation));

        /// <summary>An artifact's manifest entry (Save-WandbArtifact): its size and digest are the manifest's, and must match.</summary>
        public static FileToSave Of(ArtifactFile file) => new FileToSave(
            file,
            file.Entry.Path,
            file.Entry.Size,
            "File '" + file.Entry.Path + "' of artifact " + file.Artifact,
            sizeIsExact: true,
            () => file.Entry.Digest,
            () => file.Entry.Digest is not null,
            (target, progress, cancellation) => file.Reader.CopyToAsync(file, target, progress, cancellation));
    }
}
