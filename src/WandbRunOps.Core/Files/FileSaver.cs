using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Sources;

namespace WandbRunOps.Files
{
    /// <summary>
    /// Saves files under a destination folder (<c>Save-RunFile</c>, <c>Save-WandbArtifact</c>), each at its name's relative path. A file whose
    /// size and MD5 already match is skipped; a different file there is replaced only with -Force. Bytes go to a
    /// temporary name beside the target, are verified on disk (size, and MD5 against the source's where it has one),
    /// and only then renamed to the real name, so a failed or cancelled transfer never leaves a partial file under
    /// it, and the temporary file is removed.
    /// </summary>
    public sealed class FileSaver
    {
        /// <summary>What a temporary file's name ends with (<c>.name.1a2b3c4d.partial</c>, beside the target).</summary>
        public const string PartialSuffix = ".partial";

        private readonly string _root;
        private readonly bool _force;

        /// <param name="destination">The destination folder, a full path (the cmdlet resolves it through PowerShell's provider).</param>
        /// <param name="force">Replace a different file already at a target.</param>
        public FileSaver(string destination, bool force)
        {
            _root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            _force = force;
        }

        /// <summary>The destination folder, a full path.</summary>
        public string Root => _root;

        /// <summary>The reader that listed a run's file; null for a file object this module did not list (rebuilt from text).</summary>
        public static IRunFileReader? ReaderOf(WandbRunFile file) => file.Reader;

        /// <summary>Decides what to do with one file (reads the destination, and hashes where sizes match).</summary>
        public FileSavePlan Plan(FileToSave file, CancellationToken cancellation)
        {
            string target = TargetOf(file);
            if (Directory.Exists(target))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, file.What + " cannot be saved: '" + target + "' is a folder.", target);
            }

            if (!File.Exists(target))
            {
                return new FileSavePlan(file, target, FileSaveAction.Write, "new file, " + Bytes(file.Size));
            }

            long existing = new FileInfo(target).Length;
            string? differs = null;
            if (existing != file.Size)
            {
                differs = Bytes(existing) + " there, " + Bytes(file.Size) + " in the source";
            }
            else
            {
                string? source = file.Md5;
                string there = Md5Stream.OfFile(target, cancellation);
                if (source is null)
                {
                    differs = "same size, but the source's file has no MD5 to compare";
                }
                else if (!string.Equals(source, there, StringComparison.Ordinal))
                {
                    differs = "same size, MD5 " + there + " there, " + source + " in the source";
                }
            }

            if (differs is null)
            {
                return new FileSavePlan(file, target, FileSaveAction.Skip, "already there with the same size and MD5");
            }

            if (!_force)
            {
                throw new WandbException(
                    WandbErrorKind.InvalidArgument,
                    "'" + target + "' already exists and differs from " + Lower(file.What) + " (" + differs + "); pass -Force to replace it.",
                    target);
            }

            return new FileSavePlan(file, target, FileSaveAction.Replace, "replacing a different file (" + differs + ")");
        }

        /// <summary>Writes the file (to a temporary name, verified, then renamed) and returns it; a skipped file is returned as it is.</summary>
        public async Task<FileInfo> ApplyAsync(FileSavePlan plan, Action<long>? progress, CancellationToken cancellation)
        {
            if (plan.Action == FileSaveAction.Skip)
            {
                return new FileInfo(plan.TargetPath);
            }

            FileToSave file = plan.File;
            string directory = Path.GetDirectoryName(plan.TargetPath)!;
            string partial = Path.Combine(directory, "." + Path.GetFileName(plan.TargetPath) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + PartialSuffix);
            try
            {
                FileCopyResult copied;
                try
                {
                    Directory.CreateDirectory(directory);
                    using var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
                    copied = await file.CopyToAsync(stream, progress, cancellation).ConfigureAwait(false);
                    await stream.FlushAsync(cancellation).ConfigureAwait(false);
                }
                catch (UnauthorizedAccessException e)
                {
                    throw new WandbException(WandbErrorKind.PermissionDenied, "'" + plan.TargetPath + "' cannot be written: " + e.Message, plan.TargetPath, e);
                }
                catch (IOException e) when (!(e is FileNotFoundException))
                {
                    throw new WandbException(WandbErrorKind.InvalidArgument, "'" + plan.TargetPath + "' cannot be written: " + e.Message, plan.TargetPath, e);
                }

                Verify(plan, partial, copied, cancellation);
                try
                {
                    Move(partial, plan.TargetPath);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new WandbException(WandbErrorKind.InvalidArgument, "'" + plan.TargetPath + "' could not be put in place: " + e.Message, plan.TargetPath, e);
                }

                return new FileInfo(plan.TargetPath);
            }
            finally
            {
                // Failed, refused or cancelled (Ctrl+C): the temporary file goes; the real name never held a partial file.
                if (File.Exists(partial))
                {
                    File.Delete(partial);
                }
            }
        }

        /// <summary>The full target path of a file: its name under the destination, which it must not leave.</summary>
        /// <exception cref="WandbException">InvalidArgument: the name leads outside the destination (<c>../x</c>).</exception>
        public string TargetOf(WandbRunFile file) => TargetOf(file.Name, "File name '" + file.Name + "' of run '" + file.RunId + "'");

        /// <summary>The full target path of a file to save (see <see cref="TargetOf(WandbRunFile)"/>).</summary>
        public string TargetOf(FileToSave file) => TargetOf(file.Name, file.What);

        /// <summary>The full target path of a name under the destination; <paramref name="what"/> names it in the error.</summary>
        /// <exception cref="WandbException">InvalidArgument: the name leads outside the destination (<c>../x</c>, an absolute path).</exception>
        public string TargetOf(string name, string what)
        {
            if (name.StartsWith("/", StringComparison.Ordinal) || name.StartsWith("\\", StringComparison.Ordinal) || Path.IsPathRooted(name))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, what + " is an absolute path, outside the destination '" + _root + "'; it is not saved.", name);
            }

            string relative = name.Replace('/', Path.DirectorySeparatorChar).Replace('\\', Path.DirectorySeparatorChar).TrimStart(Path.DirectorySeparatorChar);
            string target = relative.Length == 0 ? _root : Path.GetFullPath(Path.Combine(_root, relative));
            if (!target.StartsWith(_root + Path.DirectorySeparatorChar, Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                throw new WandbException(WandbErrorKind.InvalidArgument, what + " leads outside the destination '" + _root + "'; it is not saved.", name);
            }

            return target;
        }

        /// <summary>What is on disk must be what the source sent, and that must be what the source says the file is.</summary>
        private static void Verify(FileSavePlan plan, string partial, FileCopyResult copied, CancellationToken cancellation)
        {
            FileToSave file = plan.File;
            string what = file.What;
            if (file.SizeIsExact && copied.Bytes != file.Size)
            {
                throw new WandbException(WandbErrorKind.DigestMismatch, what + ": " + Bytes(copied.Bytes) + " arrived, but the file has " + Bytes(file.Size) + " (a body cut short); nothing was saved.", plan.TargetPath);
            }

            if (file.HasKnownMd5 && !string.Equals(file.Md5, copied.Md5, StringComparison.Ordinal))
            {
                throw new WandbException(WandbErrorKind.DigestMismatch, what + ": the bytes received have MD5 " + copied.Md5 + ", but the file's is " + file.Md5 + "; nothing was saved.", plan.TargetPath);
            }

            long written = new FileInfo(partial).Length;
            string onDisk = Md5Stream.OfFile(partial, cancellation);
            if (written != copied.Bytes || !string.Equals(onDisk, copied.Md5, StringComparison.Ordinal))
            {
                throw new WandbException(WandbErrorKind.DigestMismatch, what + ": what reached the disk (" + Bytes(written) + ", MD5 " + onDisk + ") is not what was sent (" + Bytes(copied.Bytes) + ", MD5 " + copied.Md5 + "); nothing was saved.", plan.TargetPath);
            }
        }

        /// <summary>The temporary file to its real name, replacing what is there (a rename: no reader sees half a file).</summary>
        private static void Move(string partial, string target)
        {
            if (File.Exists(target))
            {
                File.Replace(partial, target, null);
            }
            else
            {
                File.Move(partial, target);
            }
        }

        private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text.Substring(1);

        private static string Bytes(long count) => count.ToString("#,0", CultureInfo.InvariantCulture) + " bytes";
    }
}
