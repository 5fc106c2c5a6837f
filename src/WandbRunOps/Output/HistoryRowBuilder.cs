using System;
using System.Collections.Generic;
using System.Management.Automation;
using WandbRunOps.History;
using WandbRunOps.Model;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// Turns a history row into one PowerShell object: the run's identity (as on config and summary rows), then
    /// <c>_step</c> (long), <c>_runtime</c> (double seconds) and <c>_timestamp</c> (UTC DateTime), then one property per
    /// logged key, nested keys as maps. A key named like an identity property is shown as <c>History_key</c>, with one
    /// warning per key.
    /// </summary>
    internal sealed class HistoryRowBuilder
    {
        public const string TypeName = "WandbRunOps.RunHistory";
        private const string CollisionPrefix = "History_";

        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public PSObject Build(WandbRun run, HistoryRow history, Action<string> warn)
        {
            PSObject row = RunRowBuilder.NewRow(TypeName, run);
            row.Properties.Add(new PSNoteProperty(HistoryRow.StepKey, history.Step));
            row.Properties.Add(new PSNoteProperty(HistoryRow.RuntimeKey, history.Runtime));
            row.Properties.Add(new PSNoteProperty(HistoryRow.TimestampKey, history.Timestamp));
            foreach (KeyValuePair<string, object?> pair in history.Values)
            {
                if (HistoryRow.IsSystemKey(pair.Key))
                {
                    continue;
                }

                string name = pair.Key;
                if (RunRowBuilder.IsIdentityName(name))
                {
                    name = CollisionPrefix + name;
                    if (_warned.Add(pair.Key))
                    {
                        warn("The history key '" + pair.Key + "' has the name of an identity property; it is shown as '" + name + "'.");
                    }
                }

                if (row.Properties[name] is not null)
                {
                    if (_warned.Add("dup:" + name))
                    {
                        warn("Run '" + run.Id + "' has history keys that differ only in case ('" + name + "'); the first is shown.");
                    }

                    continue;
                }

                row.Properties.Add(new PSNoteProperty(name, pair.Value));
            }

            return row;
        }
    }
}
