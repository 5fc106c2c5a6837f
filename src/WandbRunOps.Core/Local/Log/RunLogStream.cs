using System;
using System.IO;
using System.Threading;
using WandbRunOps.Diagnostics;
using WandbRunOps.Local.Files;

namespace WandbRunOps.Local.Log
{
    /// <summary>Opens a run folder's log for a scan of its records, the same way for every reader of a run's insides.</summary>
    internal static class RunLogStream
    {
        /// <summary>
        /// Opens the folder's log for reading (shared, it may still be written; see <see cref="RunFile"/>); null with a
        /// warning when it cannot be read as one (<paramref name="what"/> names what is then missing: "history"). A log
        /// this user may not read is an error for the run (WandbPermissionDenied).
        /// </summary>
        public static Stream? Open(RunFolder folder, string runId, string what, ReadDiagnostics diagnostics, out LogChunkReader? chunks, CancellationToken cancellation)
        {
            string path = folder.LogPath!;
            chunks = null;
            Stream? stream = null;
            try
            {
                stream = RunFile.Open(folder.Path, path);
                if (stream is null)
                {
                    return null;
                }

                chunks = new LogChunkReader(stream, path) { Cancellation = cancellation };
                return stream;
            }
            catch (UnauthorizedAccessException e)
            {
                stream?.Dispose();
                throw RunFile.Denied(runId, path, e.Message);
            }
            catch (RunFileRefusedException e)
            {
                stream?.Dispose();
                diagnostics.Warning(e.Message + " Its " + what + " cannot be read from it.");
            }
            catch (LogFormatException e)
            {
                stream?.Dispose();
                diagnostics.Warning(e.Message + " Its " + what + " cannot be read from it.");
            }
            catch (IOException e)
            {
                stream?.Dispose();
                diagnostics.Warning("Cannot read the run log '" + path + "': " + e.Message);
            }

            return null;
        }
    }
}
