using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WandbRunOps.Files;
using WandbRunOps.Model;

namespace WandbRunOps.Sources
{
    /// <summary>A source's reader of a run's files (Local/LocalFileReader, Api/ApiFileReader).</summary>
    public interface IRunFileReader
    {
        /// <summary>The run's files whose names <paramref name="names"/> matches, in name order (ordinal).</summary>
        IReadOnlyList<WandbRunFile> List(WandbRun run, FileNameFilter names, CancellationToken cancellation);

        /// <summary>
        /// Writes the file's bytes to <paramref name="target"/> (from its start; a retried download rewinds it), calling
        /// <paramref name="progress"/> with the bytes written so far. Returns what was written, with its MD5.
        /// Catalogue errors name the file.
        /// </summary>
        Task<FileCopyResult> CopyToAsync(WandbRunFile file, Stream target, Action<long>? progress, CancellationToken cancellation);
    }
}
