namespace WandbRunOps.Files
{
    /// <summary>What Save-RunFile or Save-WandbArtifact will do with one file, decided from the destination as it stands.</summary>
    public sealed class FileSavePlan
    {
        internal FileSavePlan(FileToSave file, string targetPath, FileSaveAction action, string why)
        {
            File = file;
            TargetPath = targetPath;
            Action = action;
            Why = why;
        }

        public FileToSave File { get; }

        /// <summary>The full path the file is saved as.</summary>
        public string TargetPath { get; }

        public FileSaveAction Action { get; }

        /// <summary>Why, in words (for -Verbose and -WhatIf).</summary>
        public string Why { get; }
    }

    public enum FileSaveAction
    {
        /// <summary>No file there yet.</summary>
        Write,

        /// <summary>A different file is there, and -Force replaces it.</summary>
        Replace,

        /// <summary>The same bytes are already there (same size and MD5): nothing is written.</summary>
        Skip,
    }
}
