namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// Which history records of one log are rows, the one rule the listing (<c>HistoryCount</c>) and Get-RunHistory
    /// share, so the count is the number of rows. A record's step is its step message, else its own <c>_step</c>, else
    /// the one after the last. Within one log the SDK only moves the step forward: a record whose step does not
    /// (a repeated block) is damage, not a row. Each log of a resumed run has its own order. Listing a wandb-core log
    /// steps over its history records without reading their steps (RunLogReader); there the same repeated records are
    /// told by their record numbers, which wandb-core writes from 1 upwards and a repeated block brings back.
    /// </summary>
    internal sealed class HistoryStepOrder
    {
        public long? LastStep { get; private set; }

        /// <summary>History records whose step did not move forward: not rows.</summary>
        public int Repeated { get; private set; }

        public long FirstRepeatOffset { get; private set; }

        public long FirstRepeatStep { get; private set; }

        public long FirstRepeatAfter { get; private set; }

        /// <summary>True when a record with <paramref name="step"/> would repeat (a record without a step never does).</summary>
        public bool Repeats(long? step) => step is long number && LastStep is long last && number <= last;

        /// <summary>The record's step when it is a row; null when it repeats (counted in <see cref="Repeated"/>).</summary>
        /// <param name="step">The record's step message, else its own <c>_step</c> (see <see cref="LogItems.StepOf"/>).</param>
        /// <param name="offset">Where the record starts in the log, for the warning.</param>
        public long? Next(long? step, long offset)
        {
            long number = step ?? (LastStep ?? -1) + 1;
            if (LastStep is long last && number <= last)
            {
                if (Repeated++ == 0)
                {
                    FirstRepeatOffset = offset;
                    FirstRepeatStep = number;
                    FirstRepeatAfter = last;
                }

                return null;
            }

            LastStep = number;
            return number;
        }
    }
}
