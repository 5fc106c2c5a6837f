using System;
using System.IO;
using System.Reflection;

namespace WandbRunOps.Api
{
    /// <summary>Unix permission bits of a file, for warning about secrets other users can read.</summary>
    internal static class FilePermissions
    {
        /// <summary>0o040 (group read) | 0o004 (other read).</summary>
        private const int GroupOrOtherRead = 0x20 | 0x04;

        // File.GetUnixFileMode exists from .NET 7 (PowerShell 7.4+); netstandard2.0 cannot name it, so it is found at
        // run time. Windows PowerShell (.NET Framework) lacks it, and there the question does not arise.
        private static readonly MethodInfo? GetUnixFileMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });

        /// <summary>The file's mode when group or others may read it; null when only its owner can, or the mode is unknown.</summary>
        public static int? OthersCanRead(string path)
        {
            if (GetUnixFileMode is null)
            {
                return null;
            }

            int mode;
            try
            {
                mode = Convert.ToInt32(GetUnixFileMode.Invoke(null, new object[] { path }), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TargetInvocationException e) when (e.InnerException is IOException || e.InnerException is UnauthorizedAccessException || e.InnerException is PlatformNotSupportedException)
            {
                // Gone or unreadable since the key was read from it, or not a Unix system: nothing to say about it.
                return null;
            }

            return (mode & GroupOrOtherRead) != 0 ? mode : (int?)null;
        }
    }
}
