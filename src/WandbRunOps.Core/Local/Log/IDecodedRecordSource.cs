using System;
using System.Collections.Generic;

namespace WandbRunOps.Local.Log
{
    /// <summary>A log's records decoded, in file order: on the calling thread, or spread over threads.</summary>
    internal interface IDecodedRecordSource : IDisposable
    {
        /// <summary>The next record, decoded; valid until the next call. False at the end; the source's exception, in order.</summary>
        bool TryRead(out DecodedRecord record);

        /// <summary>The log's damage as its <see cref="ILogRecordSource"/> noted it: all of it once <see cref="TryRead"/> is false.</summary>
        IReadOnlyList<LogDamage> Damage { get; }
    }
}
