using System;

namespace WandbRunOps.Model
{
    /// <summary>
    /// One file of a run (<c>Get-RunFile</c>): what the SDK saved in the run's <c>files/</c> folder and uploaded.
    /// The same schema for both sources: <see cref="Url"/> is set for API files, <see cref="FullName"/> for local ones.
    /// </summary>
    public sealed class WandbRunFile
    {
        private string? _md5;
        private Func<string?>? _computeMd5;

        public string RunId { get; set; } = string.Empty;

        public string? RunName { get; set; }

        public string? RunProject { get; set; }

        public string? RunEntity { get; set; }

        /// <summary>The run folder of a local run's file; null for API files.</summary>
        public string? RunPath { get; set; }

        /// <summary>The path inside the run's files, <c>/</c>-separated (<c>media/images/x.png</c>).</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>Size in bytes.</summary>
        public long Size { get; set; }

        /// <summary>When the server last received the file (API, UTC); null locally, where only a write time exists and write times are never shown.</summary>
        public DateTime? UpdatedAt { get; set; }

        /// <summary>
        /// The MD5 of the file's bytes, base64 (W&amp;B's form). Over the API it is the server's; locally it is computed
        /// from the bytes the first time it is read (a listing's table view never reads it), and null when the file
        /// can no longer be read then.
        /// </summary>
        public string? Md5
        {
            get
            {
                if (_md5 is null && _computeMd5 is not null)
                {
                    _md5 = _computeMd5();
                    _computeMd5 = null;
                }

                return _md5;
            }

            set
            {
                _md5 = value;
                _computeMd5 = null;
            }
        }

        /// <summary>The file's address on the W&amp;B server (API); downloads use the signed direct URL, which is never shown.</summary>
        public string? Url { get; set; }

        /// <summary>The file on disk (local).</summary>
        public string? FullName { get; set; }

        /// <summary>True once <see cref="Md5"/> holds a value without computing one (API files, or a local hash already made).</summary>
        internal bool HasKnownMd5 => _md5 is not null;

        /// <summary>The signed URL the bytes are fetched from (API); kept off the public surface: it is a credential while it lasts.</summary>
        internal string? DirectUrl { get; set; }

        /// <summary>The run folder a local file was listed from (a resumed run has several).</summary>
        internal string? SourceFolder { get; set; }

        /// <summary>The reader that listed the file, so Save-RunFile fetches it through the same source.</summary>
        internal Sources.IRunFileReader? Reader { get; set; }

        /// <summary>Makes <see cref="Md5"/> computed on first read (local files).</summary>
        internal void ComputeMd5With(Func<string?> compute)
        {
            _md5 = null;
            _computeMd5 = compute;
        }

        public override string ToString() => Name;
    }
}
