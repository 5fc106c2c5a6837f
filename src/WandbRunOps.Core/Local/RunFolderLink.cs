using System;
using System.IO;
using System.Reflection;
using System.Text;

namespace WandbRunOps.Local
{
    /// <summary>
    /// Follows a link a user names as a run path: <c>wandb/latest-run</c> (the SDK's link to the newest run) or any
    /// other symbolic link or junction, and the small text file git checks out in place of a link where links are
    /// off (Windows by default), whose whole content is the link's target.
    /// </summary>
    internal static class RunFolderLink
    {
        /// <summary>A git link file holds a path, not data: anything larger is not one.</summary>
        private const int MaxLinkFileBytes = 4096;

        // FileSystemInfo.ResolveLinkTarget exists from .NET 6 (PowerShell 7); Windows PowerShell's .NET Framework has
        // no link API, and a link there is found by the run log inside it instead (RunFolder.TryOpenByLog).
        private static readonly MethodInfo? ResolveLinkTarget = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });

        /// <summary>The final target of <paramref name="path"/> when it is a link (either kind); null when it is not one.</summary>
        public static string? Resolve(string path)
        {
            if (Directory.Exists(path))
            {
                return IsLink(path) ? FinalTarget(new DirectoryInfo(path)) : null;
            }

            if (!File.Exists(path))
            {
                return null;
            }

            return IsLink(path) ? FinalTarget(new FileInfo(path)) : LinkFileTarget(path);
        }

        internal static bool IsLink(string path) => (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;

        private static string? FinalTarget(FileSystemInfo link)
        {
            try
            {
                return (ResolveLinkTarget?.Invoke(link, new object[] { true }) as FileSystemInfo)?.FullName;
            }
            catch (TargetInvocationException e) when (e.InnerException is IOException || e.InnerException is UnauthorizedAccessException)
            {
                throw e.InnerException!;
            }
        }

        /// <summary>The directory a git link file names, relative to the file's own folder; null for any other file.</summary>
        private static string? LinkFileTarget(string path)
        {
            var info = new FileInfo(path);
            if (info.Length == 0 || info.Length > MaxLinkFileBytes)
            {
                return null;
            }

            string text = File.ReadAllText(path, Encoding.UTF8).Trim();
            if (text.Length == 0 || text.IndexOfAny(new[] { '\n', '\r', '\0' }) >= 0 || text.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                return null;
            }

            try
            {
                string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", text));
                return Directory.Exists(target) ? target : null;
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                // Text that is no path at all: the file is not a link, which the caller reports.
                return null;
            }
        }
    }
}
