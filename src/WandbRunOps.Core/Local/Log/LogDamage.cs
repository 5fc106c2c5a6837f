namespace WandbRunOps.Local.Log
{
    /// <summary>One place where a log could not be read as written; the reader resumes after it.</summary>
    public sealed class LogDamage
    {
        public LogDamage(long offset, string description, bool atEnd = false)
        {
            Offset = offset;
            Description = description;
            AtEnd = atEnd;
        }

        /// <summary>The file offset of the damaged chunk or record.</summary>
        public long Offset { get; }

        public string Description { get; }

        /// <summary>
        /// True when the log simply stops inside its last chunk or record: what a crash or a writer that is still
        /// writing leaves. Nothing before it was lost. False for damage that loses records before the end.
        /// </summary>
        public bool AtEnd { get; }

        public override string ToString() => "offset " + Offset + ": " + Description;
    }
}
