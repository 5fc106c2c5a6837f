using System;
using System.Collections.Generic;

namespace WandbRunOps.Diagnostics
{
    /// <summary>
    /// Where Core reports what it did and what it could not read, without knowing about PowerShell streams. The
    /// cmdlet layer points these at WriteWarning/WriteVerbose; all calls happen on the caller's thread.
    /// </summary>
    public sealed class ReadDiagnostics
    {
        public static readonly ReadDiagnostics None = new ReadDiagnostics(null, null);

        public ReadDiagnostics(Action<string>? warning, Action<string>? verbose, Action<string>? debug = null)
        {
            WarningSink = warning;
            VerboseSink = verbose;
            DebugSink = debug;
        }

        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.Ordinal);

        private Action<string>? DebugSink { get; }

        /// <summary>Detail for -Debug: HTTP status codes, retry waits.</summary>
        public void Debug(string message) => DebugSink?.Invoke(message);

        private Action<string>? WarningSink { get; }

        private Action<string>? VerboseSink { get; }

        public void Warning(string message) => WarningSink?.Invoke(message);

        /// <summary>A warning about the setup rather than an item (a netrc others can read): written once per command, however often it is found.</summary>
        public void WarningOnce(string message)
        {
            lock (_warned)
            {
                if (!_warned.Add(message))
                {
                    return;
                }
            }

            Warning(message);
        }

        public void Verbose(string message) => VerboseSink?.Invoke(message);

        public bool VerboseEnabled => VerboseSink is not null;
    }
}
