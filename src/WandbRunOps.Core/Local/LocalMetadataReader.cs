using System;
using System.IO;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Local.Files;
using WandbRunOps.Local.Log;
using WandbRunOps.Metadata;
using WandbRunOps.Model;
using WandbRunOps.Sources;
using WandbRunOps.Values;

namespace WandbRunOps.Local
{
    /// <summary>
    /// A local run's metadata: its folder's <see cref="RunFolder.MetadataFileName"/>, else the first environment
    /// record of its log (current offline runs write no metadata file; docs/protocol.md, section 1.2). A resumed run's
    /// folders are asked oldest first: the first that records anything describes the run's start. A run object the
    /// listing made already holds these facts (it read the same file and records); only a run object rebuilt from
    /// text (a CSV row, a hashtable) has its folders read again.
    /// </summary>
    internal sealed class LocalMetadataReader : IRunMetadataReader
    {
        private readonly ReadDiagnostics _diagnostics;

        public LocalMetadataReader(ReadDiagnostics diagnostics) => _diagnostics = diagnostics;

        public RunMetadata Read(WandbRun run, CancellationToken cancellation)
        {
            if (run.LocalDetails is LocalRunDetails listed)
            {
                return listed.Metadata ?? new RunMetadata();
            }

            foreach (RunFolder folder in RunFolderScanner.Refind(run, "metadata").Folders)
            {
                cancellation.ThrowIfCancellationRequested();
                if (folder.Unreadable is string why)
                {
                    throw RunFile.Denied(run.Id, folder.Path, why);
                }

                if (RunFolderContents.ReadMetadataFile(folder, _diagnostics, cancellation) is WandbMap file)
                {
                    _diagnostics.Verbose("Run '" + run.Id + "': metadata from '" + folder.MetadataPath + "'.");
                    return RunMetadataJson.FromFile(file);
                }

                if (folder.LogPath is not null && FromLog(folder, run.Id, cancellation) is RunMetadata environment)
                {
                    _diagnostics.Verbose("Run '" + run.Id + "': metadata from the environment record of '" + folder.LogPath + "'.");
                    return environment;
                }
            }

            _diagnostics.Verbose("Run '" + run.Id + "' has neither " + RunFolder.MetadataFileName + " nor an environment record in its log: no metadata.");
            return new RunMetadata();
        }

        /// <summary>The log's first environment record (the SDK writes it near the start), or null when it has none.</summary>
        private RunMetadata? FromLog(RunFolder folder, string runId, CancellationToken cancellation)
        {
            using Stream? stream = RunLogStream.Open(folder, runId, "environment record", _diagnostics, out LogChunkReader? chunks, cancellation);
            if (stream is null)
            {
                return null;
            }

            while (chunks!.TryRead(out ArraySegment<byte> payload))
            {
                cancellation.ThrowIfCancellationRequested();
                try
                {
                    var record = new ProtoReader(payload.Array!, payload.Offset, payload.Count);
                    while (record.Next())
                    {
                        if (record.Field == RecordFields.Environment)
                        {
                            return SystemRecords.ReadEnvironment(record.ReadMessage());
                        }

                        record.Skip();
                    }
                }
                catch (FormatException e)
                {
                    _diagnostics.Verbose("The run log '" + folder.LogPath + "' has a record that could not be decoded at offset " + chunks.RecordOffset + " (" + e.Message + "); it was skipped.");
                }
            }

            return null;
        }
    }
}
