namespace WandbRunOps.Local.Log
{
    /// <summary>One place where a log could not be read as written; the reader resumes after it.</summary>
    public sealed class LogDamage
    {
        public LogDamage(long offset, string description)
        {
            Offset = offset;
            Description = description;
        }

        /// <summary>The file offset of the damaged chunk or record.</summary>
        public long Offset { get; }

        public string Description { get; }

        public override string ToString() => "offset " + Offset + ": " + Description;
    }
}
