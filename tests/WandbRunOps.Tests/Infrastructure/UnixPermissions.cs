using System;
using System.IO;
using Xunit;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>A fact about Unix file permissions: skipped on Windows, where they do not exist.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix file permissions do not exist on Windows.";
            }
        }
    }

    public static class UnixPermissions
    {
        /// <summary>chmod; callers run on Unix only (a <see cref="UnixFactAttribute"/> test, or after checking the OS).</summary>
        public static void Set(string path, UnixFileMode mode)
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("chmod on Windows: " + path);
            }

            File.SetUnixFileMode(path, mode);
        }
    }
}
