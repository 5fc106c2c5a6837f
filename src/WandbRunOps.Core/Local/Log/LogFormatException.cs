using System.IO;

namespace WandbRunOps.Local.Log
{
    /// <summary>The file is not a W&amp;B transaction log at all (wrong or missing header).</summary>
    public sealed class LogFormatException : IOException
    {
        public LogFormatException(string path, string reason)
            : base("'" + path + "' is not a readable W&B run log: " + reason + ".")
        {
            LogPath = path;
        }

        public string LogPath { get; }
    }
}
