using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace WandbRunOps.Files
{
    /// <summary>MD5 in W&amp;B's form (base64, as the API's <c>md5</c> and artifact digests are; see docs/protocol.md).</summary>
    public static class Md5Stream
    {
        private const int BufferSize = 81920;

        /// <summary>The base64 MD5 of a stream's bytes from where it stands to its end.</summary>
        public static string Of(Stream stream, CancellationToken cancellation)
        {
            using MD5 md5 = MD5.Create();
            var buffer = new byte[BufferSize];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                md5.TransformBlock(buffer, 0, read, null, 0);
            }

            md5.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            return Convert.ToBase64String(md5.Hash);
        }

        /// <summary>The base64 MD5 of a file on disk (the destination side of Save-RunFile).</summary>
        public static string OfFile(string path, CancellationToken cancellation)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            return Of(stream, cancellation);
        }

        /// <summary>Copies <paramref name="source"/> to <paramref name="target"/>, hashing what passes; at most <paramref name="limit"/> bytes are accepted.</summary>
        /// <returns>The bytes copied and their MD5; <paramref name="limit"/> + 1 bytes when the source had more than the limit (the copy stops there).</returns>
        public static async Task<FileCopyResult> CopyAsync(Stream source, Stream target, long limit, Action<long>? progress, Func<Stream, byte[], CancellationToken, Task<int>> read, CancellationToken cancellation)
        {
            using MD5 md5 = MD5.Create();
            var buffer = new byte[BufferSize];
            long total = 0;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                int count = await read(source, buffer, cancellation).ConfigureAwait(false);
                if (count == 0)
                {
                    break;
                }

                if (total + count > limit)
                {
                    return new FileCopyResult(limit + 1, string.Empty);
                }

                md5.TransformBlock(buffer, 0, count, null, 0);
                await target.WriteAsync(buffer, 0, count, cancellation).ConfigureAwait(false);
                total += count;
                progress?.Invoke(total);
            }

            md5.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            return new FileCopyResult(total, Convert.ToBase64String(md5.Hash));
        }
    }
}
