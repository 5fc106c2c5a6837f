using System;
using System.IO;

namespace WandbRunOps.Tests.Infrastructure
{
    /// <summary>A scratch folder deleted when the test ends.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wandbrunops-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Combine(params string[] parts) => System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));

        /// <summary>
        /// Copies a folder tree here. A symbolic link is copied as a link with the same target, dangling or not (the
        /// real fixtures hold the SDK's logs/debug-core.log link, whose target exists only on the machine that wrote it).
        /// </summary>
        public string CopyFrom(string source, string name)
        {
            string target = Combine(name);
            CopyTree(source, target);
            return target;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a failing test; the OS temp cleaner takes it. The test's own result stands.
            }
        }

        private static void CopyTree(string source, string target)
        {
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(source))
            {
                string copy = System.IO.Path.Combine(target, System.IO.Path.GetFileName(file));
                string? link = new FileInfo(file).LinkTarget;
                if (link is not null)
                {
                    File.CreateSymbolicLink(copy, link);
                }
                else
                {
                    File.Copy(file, copy);
                }
            }

            foreach (string dir in Directory.GetDirectories(source))
            {
                string copy = System.IO.Path.Combine(target, System.IO.Path.GetFileName(dir));
                string? link = new DirectoryInfo(dir).LinkTarget;
                if (link is not null)
                {
                    Directory.CreateSymbolicLink(copy, link);
                }
                else
                {
                    CopyTree(dir, copy);
                }
            }
        }
    }
}
