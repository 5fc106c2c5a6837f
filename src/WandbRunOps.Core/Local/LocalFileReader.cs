using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Diagnostics;
using WandbRunOps.Errors;
using WandbRunOps.Files;
using WandbRunOps.Local.Files;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Local
{
    /// <summary>
    /// A local run's files: every regular file under its folder's uploaded-files set (<see cref="RunFolder.UploadedFilesPath"/>),
    /// recursively; for a resumed run, the files of all its folders, a newer folder's file winning over an older one of
    /// the same name. Files are checked and opened only through <see cref="RunFile"/>: a link out of the run folder is
    /// skipped with a warning, a link to a folder is not followed, and a fifo or device is never opened (its size is
    /// 0, so it reads as an empty file).
    /// </summary>
    internal sealed class LocalFileReader : IRunFileReader
    {
        /// <summary>The MD5 of no bytes, base64: what an empty file (never opened) hashes to.</summary>
        internal const string EmptyMd5 = "1B2M2Y8AsgTpgAmY7PhCfg==";

        private readonly ReadDiagnostics _diagnostics;

        public LocalFileReader(ReadDiagnostics diagnostics) => _diagnostics = diagnostics;

        public IReadOnlyList<WandbRunFile> List(WandbRun run, FileNameFilter names, CancellationToken cancellation)
        {
            var byName = new Dictionary<string, WandbRunFile>(StringComparer.Ordinal);
            foreach (RunFolder folder in RunFolderScanner.Refind(run, "files").Folders)
            {
                if (folder.UploadedFilesPath is string root && Directory.Exists(root))
                {
                    foreach ((string full, string name) in Walk(root, string.Empty, cancellation))
                    {
                        if (names.Matches(name) && Describe(run, folder.Path, full, name) is WandbRunFile file)
                        {
                            byName[name] = file;
                        }
                    }
                }
            }

            return byName.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        }

        public async Task<FileCopyResult> CopyToAsync(WandbRunFile file, Stream target, Action<long>? progress, CancellationToken cancellation)
        {
            string path = file.FullName ?? throw new WandbException(WandbErrorKind.PathNotFound, "File '" + file.Name + "' of run '" + file.RunId + "' names no file on disk.", file.Name);
            string folder = file.SourceFolder ?? file.RunPath ?? Path.GetDirectoryName(path)!;
            long? size;
            try
            {
                size = RunFile.SizeOf(folder, path);
                if (size is null)
                {
                    throw Gone(file, path);
                }

                if (size == 0)
                {
                    // Never opened: an empty file has nothing to copy, and a fifo or device (size 0 too) could block.
                    return new FileCopyResult(0, EmptyMd5);
                }

                using Stream source = RunFile.Open(folder, path) ?? throw Gone(file, path);
                long atOpen = source.Length;
                FileCopyResult copied = await Md5Stream.CopyAsync(source, target, atOpen, progress, ReadAsync, cancellation).ConfigureAwait(false);
                if (copied.Bytes != atOpen)
                {
                    throw new WandbException(
                        WandbErrorKind.DigestMismatch,
                        "File '" + file.Name + "' of run '" + file.RunId + "' changed while it was copied: " + copied.Bytes + " of its " + atOpen + " bytes could be read.",
                        path);
                }

                return copied;
            }
            catch (FileNotFoundException)
            {
                throw Gone(file, path);
            }
            catch (DirectoryNotFoundException)
            {
                throw Gone(file, path);
            }
            catch (RunFileRefusedException e)
            {
                throw new WandbException(WandbErrorKind.PermissionDenied, e.Message, path, e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw RunFile.Denied(file.RunId, path, e.Message);
            }
            catch (IOException e)
            {
                throw new WandbException(WandbErrorKind.LogDamaged, "File '" + file.Name + "' of run '" + file.RunId + "' could not be read: " + e.Message, path, e);
            }
        }

        private static Task<int> ReadAsync(Stream stream, byte[] buffer, CancellationToken cancellation) => stream.ReadAsync(buffer, 0, buffer.Length, cancellation);

        private static WandbException Gone(WandbRunFile file, string path) =>
            new WandbException(WandbErrorKind.PathNotFound, "File '" + file.Name + "' of run '" + file.RunId + "' is no longer at '" + path + "'.", path);

        /// <summary>Every file under <paramref name="directory"/>, with its name relative to the files set; links to folders are not followed.</summary>
        private IEnumerable<(string Full, string Name)> Walk(string directory, string prefix, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            string[] entries;
            try
            {
                entries = Directory.GetFileSystemEntries(directory);
            }
            catch (Exception e) when (e is UnauthorizedAccessException || e is IOException)
            {
                _diagnostics.Warning("Skipped '" + directory + "': it cannot be listed (" + e.Message + ").");
                yield break;
            }

            Array.Sort(entries, StringComparer.Ordinal);
            foreach (string entry in entries)
            {
                string name = prefix + Path.GetFileName(entry);
                FileAttributes attributes;
                try
                {
                    attributes = File.GetAttributes(entry);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    continue; // gone between the listing and now
                }

                if ((attributes & FileAttributes.Directory) == 0)
                {
                    yield return (entry, name);
                }
                else if ((attributes & FileAttributes.ReparsePoint) != 0)
                {
                    _diagnostics.Warning("Skipped '" + entry + "': it is a link to a folder, which is not followed (a run's files are the files inside its folder).");
                }
                else
                {
                    foreach ((string Full, string Name) inner in Walk(entry, name + "/", cancellation))
                    {
                        yield return inner;
                    }
                }
            }
        }

        /// <summary>The file as a row, or null (with a warning) when the run folder's rules refuse it.</summary>
        private WandbRunFile? Describe(WandbRun run, string folder, string full, string name)
        {
            long? size;
            try
            {
                size = RunFile.SizeOf(folder, full);
            }
            catch (RunFileRefusedException e)
            {
                _diagnostics.Warning(e.Message);
                return null;
            }
            catch (UnauthorizedAccessException e)
            {
                _diagnostics.Warning("Skipped '" + full + "': permission denied (" + e.Message + ").");
                return null;
            }

            if (size is null)
            {
                return null; // a dangling link, or gone since the listing
            }

            var file = new WandbRunFile
            {
                RunId = run.Id,
                RunName = run.Name,
                RunProject = run.Project,
                RunEntity = run.Entity,
                RunPath = run.Path,
                Name = name,
                Size = size.Value,
                FullName = full,
                SourceFolder = folder,
                Reader = this,
            };
            if (size == 0)
            {
                file.Md5 = EmptyMd5;
            }
            else
            {
                file.ComputeMd5With(() => HashOrNull(folder, full));
            }

            return file;
        }

        /// <summary>
        /// The MD5 of a listed file, read when first asked for; null when it can no longer be read (deleted, refused),
        /// as documented for <see cref="WandbRunFile.Md5"/>: a property getter must not throw into a table or a CSV.
        /// </summary>
        private static string? HashOrNull(string folder, string full)
        {
            try
            {
                using Stream? stream = RunFile.Open(folder, full);
                return stream is null ? null : Md5Stream.Of(stream, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
