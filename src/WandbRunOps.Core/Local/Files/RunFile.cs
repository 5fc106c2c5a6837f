using System;
using System.IO;
using System.Reflection;
using System.Threading;

namespace WandbRunOps.Local.Files
{
    /// <summary>
    /// The one way a file of a run folder is opened: only a regular file that resolves inside the run folder (a link
    /// to another file of the folder is fine), read no further than its size when it was opened. A fifo, device or
    /// socket (their size is 0: they are never opened, so a read cannot block on one), a link that leads out of the
    /// folder (config.yaml → /etc/shadow) or round in a loop, and a small file larger than its bound are refused with a
    /// <see cref="RunFileRefusedException"/> that says why; callers turn it into a warning. Permission denied stays an
    /// <see cref="UnauthorizedAccessException"/>, which the run reader reports as WandbPermissionDenied.
    /// </summary>
    internal static class RunFile
    {
        /// <summary>
        /// The most read from a run's small files (config.yaml, wandb-summary.json, wandb-metadata.json): far above
        /// what the SDK writes (a large summary is a few MB), and a bound on the memory one run can take.
        /// </summary>
        public const long MaxSmallFileBytes = 64L * 1024 * 1024;

        /// <summary>How many links one path may pass through before it is taken for a loop (Linux's own limit).</summary>
        private const int MaxLinks = 40;

        // FileSystemInfo.LinkTarget exists from .NET 6 (PowerShell 7); Windows PowerShell's .NET Framework has none.
        private static readonly PropertyInfo? LinkTargetProperty = typeof(FileSystemInfo).GetProperty("LinkTarget");

        private static readonly StringComparison PathComparison =
            Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        /// <summary>
        /// Opens <paramref name="path"/>, a file of the run folder <paramref name="folder"/>, for a shared read; null
        /// when there is no such file. Throws <see cref="RunFileRefusedException"/> (see above) or
        /// <see cref="UnauthorizedAccessException"/>.
        /// </summary>
        public static Stream? Open(string folder, string path, long maxBytes = long.MaxValue)
        {
            string? real = Check(folder, path, maxBytes, out long length);
            if (real is null)
            {
                return null;
            }

            return OpenShared(real, path, length);
        }

        /// <summary>
        /// The size of <paramref name="path"/>, a file of the run folder <paramref name="folder"/>, checked as
        /// <see cref="Open"/> checks it (inside the folder, through links) but not opened; null when there is no such
        /// file. Throws <see cref="RunFileRefusedException"/> or <see cref="UnauthorizedAccessException"/>.
        /// </summary>
        public static long? SizeOf(string folder, string path)
        {
            string? real = Check(folder, path, long.MaxValue, out long length);
            return real is null ? null : length;
        }

        /// <summary>
        /// The one place a run's file is opened: for a shared read (the SDK may still be writing the run, or delete or
        /// rename a file under it), unbuffered (readers keep their own buffers), front to back. A size of 0 is never
        /// opened: an empty file has nothing to read, and a fifo, device or socket (size 0 too) could block the open.
        /// </summary>
        private static FileStream OpenShared(string real, string path, long length)
        {
            if (length == 0)
            {
                throw new RunFileRefusedException(path, "it is empty, or not a regular file (a fifo, device or socket)");
            }

            return new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }

        /// <summary>The real path of a file the run may read, and its size; null when there is no such file.</summary>
        private static string? Check(string folder, string path, long maxBytes, out long length)
        {
            length = 0;
            // The folder itself may be reached through a link (wandb/latest-run): its real path is the bound.
            string root = FolderRoot(folder);
            string given = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            string full = Path.GetFullPath(path);
            int budget = MaxLinks;
            string real = full.StartsWith(given + Path.DirectorySeparatorChar, PathComparison)
                ? Resolve(root, full.Substring(given.Length + 1), path, ref budget)
                : Resolve(string.Empty, full, path, ref budget);
            if (!IsInside(root, real))
            {
                throw new RunFileRefusedException(path, "it is a link to '" + real + "', outside the run folder '" + root + "'");
            }

            var info = new FileInfo(real);
            if (!info.Exists)
            {
                return null;
            }

            if (info.Length > maxBytes)
            {
                throw new RunFileRefusedException(path, "it is " + info.Length + " bytes, more than the " + maxBytes + " read from a run's small files");
            }

            length = info.Length;
            return real;
        }

        /// <summary>
        /// A small file's bytes (at most <see cref="MaxSmallFileBytes"/>); null when there is no such file. A size of 0
        /// is refused as <see cref="Open"/> refuses it, so an empty <c>config.yaml</c> or a fifo in its place is a
        /// warning naming the file, as for every other file of the run (the SDK never writes one empty).
        /// </summary>
        public static byte[]? ReadSmall(string folder, string path, CancellationToken cancellation)
        {
            string? real = Check(folder, path, MaxSmallFileBytes, out long length);
            if (real is null)
            {
                return null;
            }

            using FileStream stream = OpenShared(real, path, length);

            // No further than the size at open: a file still being written is read as it was then.
            var bytes = new byte[stream.Length];
            int filled = 0;
            while (filled < bytes.Length)
            {
                cancellation.ThrowIfCancellationRequested();
                int read = stream.Read(bytes, filled, Math.Min(1 << 20, bytes.Length - filled));
                if (read <= 0)
                {
                    Array.Resize(ref bytes, filled);
                    break;
                }

                filled += read;
            }

            return bytes;
        }

        /// <summary>The error for a run whose log or folder the file system will not let this user read.</summary>
        public static Errors.WandbException Denied(string runId, string path, string why) =>
            new Errors.WandbException(
                Errors.WandbErrorKind.PermissionDenied,
                "Run '" + runId + "' cannot be read: permission denied on '" + path + "' (" + why + ").",
                path);

        private static bool IsInside(string root, string real) =>
            real.Length > root.Length &&
            real.StartsWith(root, PathComparison) &&
            (real[root.Length] == Path.DirectorySeparatorChar || root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal));

        /// <summary>The real path of a run folder (every link in it resolved), which its files must stay inside.</summary>
        private static string FolderRoot(string folder)
        {
            string full = Path.GetFullPath(folder);
            if (LinkTargetProperty is null)
            {
                // No link API: the folder is taken as named (the scanner found it by its log); links inside it are refused.
                return full;
            }

            int budget = MaxLinks;
            return Resolve(string.Empty, full, folder, ref budget);
        }

        /// <summary>
        /// <paramref name="relative"/> under <paramref name="start"/> (a real path; empty when
        /// <paramref name="relative"/> is a full path), with every link in it resolved, component by component.
        /// </summary>
        private static string Resolve(string start, string relative, string original, ref int budget)
        {
            string current = start;
            if (current.Length == 0)
            {
                current = Path.GetPathRoot(relative) ?? string.Empty;
                relative = relative.Substring(current.Length);
            }

            foreach (string part in relative.Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries))
            {
                string next = Path.Combine(current, part);
                string? target = LinkTarget(next, original);
                if (target is null)
                {
                    current = next;
                    continue;
                }

                if (--budget < 0)
                {
                    throw new RunFileRefusedException(original, "its links go round in a loop (more than " + MaxLinks + " links)");
                }

                current = Resolve(string.Empty, Path.GetFullPath(Path.Combine(current, target)), original, ref budget);
            }

            return current;
        }

        /// <summary>What the link at <paramref name="path"/> points to (as written in it); null when it is not a link.</summary>
        private static string? LinkTarget(string path, string original)
        {
            var info = new FileInfo(path);
            if (LinkTargetProperty is not null)
            {
                return LinkTargetProperty.GetValue(info) as string;
            }

            // No link API (Windows PowerShell): a link cannot be followed, so it cannot be shown to stay in the folder.
            bool exists = info.Exists || Directory.Exists(path);
            if (exists && (info.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                throw new RunFileRefusedException(original, "it passes through a link, which this PowerShell cannot follow");
            }

            return null;
        }
    }

    /// <summary>A file of a run folder that is not read, and why (see <see cref="RunFile"/>).</summary>
    internal sealed class RunFileRefusedException : IOException
    {
        public RunFileRefusedException(string path, string reason)
            : base("Skipped '" + path + "': " + reason + ".")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
