using System;
using System.Collections.Generic;

namespace WandbRunOps.Local.Log
{
    /// <summary>Each record decoded on the calling thread as it is read: the path of short logs and one-processor machines. Disposes its source.</summary>
    internal sealed class DecodedOnThisThread : IDecodedRecordSource
    {
        private readonly ILogRecordSource _records;
        private readonly RecordDecoder _decode;
        private readonly DecodedRecord _record = new DecodedRecord();

        public DecodedOnThisThread(ILogRecordSource records, RecordDecoder decode)
        {
            _records = records;
            _decode = decode;
        }

        public IReadOnlyList<LogDamage> Damage => _records.Damage;

        public bool TryRead(out DecodedRecord record)
        {
            record = _record;
            if (!_records.TryRead(out ArraySegment<byte> payload))
            {
                return false;
            }

            _record.Start(_records.RecordOffset);
            _decode(payload, _record);
            return true;
        }

        public void Dispose() => _records.Dispose();
    }
}
