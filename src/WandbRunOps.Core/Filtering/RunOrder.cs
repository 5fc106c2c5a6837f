using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WandbRunOps.Errors;
using WandbRunOps.Model;
using WandbRunOps.Values;

namespace WandbRunOps.Filtering
{
    /// <summary>
    /// -OrderBy: run properties, <c>Config.key</c> or <c>Summary.key</c>, each optionally prefixed with - (descending)
    /// or + (ascending). The first key goes to the server in W&amp;B's syntax (<c>-summary_metrics.acc</c>); every key is
    /// applied here with one comparison rule: missing &lt; NaN &lt; numbers &lt; text &lt; times, so it never throws.
    /// </summary>
    public sealed class RunOrder : IComparer<WandbRun>
    {
        private static readonly Dictionary<string, string> ServerKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["CreatedAt"] = "created_at",
            ["HeartbeatAt"] = "heartbeat_at",
            ["Name"] = "display_name",
            ["Id"] = "name",
        };

        /// <summary>The run properties -OrderBy takes by name (tab completion offers them too).</summary>
        public static readonly IReadOnlyList<string> RunProperties = new[] { "CreatedAt", "HeartbeatAt", "Name", "Id", "State", "Runtime", "JobType", "Group", "Username", "Host", "SweepId", "Project", "Entity", "ReportedSeconds", "HistoryCount" };

        private readonly List<(string Property, string? Path, bool Descending)> _keys = new List<(string, string?, bool)>();

        /// <summary>The filter field of each Config/Summary key, parsed once rather than on every comparison.</summary>
        private readonly Dictionary<string, FilterField> _fields = new Dictionary<string, FilterField>(StringComparer.Ordinal);

        public RunOrder(IEnumerable<string> keys)
        {
            foreach (string raw in keys)
            {
                string text = raw.Trim();
                bool descending = text.StartsWith("-", StringComparison.Ordinal);
                string key = text.TrimStart('-', '+');
                int dot = key.IndexOf('.');
                string head = dot < 0 ? key : key.Substring(0, dot);
                string? path = dot < 0 ? null : key.Substring(dot + 1);
                if ((head.Equals("Config", StringComparison.OrdinalIgnoreCase) || head.Equals("Summary", StringComparison.OrdinalIgnoreCase)) &&
                    !string.IsNullOrEmpty(path) &&
                    FilterField.TryParse((head.Equals("Config", StringComparison.OrdinalIgnoreCase) ? "config." : "summary_metrics.") + path, out _) is FilterField field)
                {
                    string property = head.Equals("Config", StringComparison.OrdinalIgnoreCase) ? "Config" : "Summary";
                    _keys.Add((property, path, descending));
                    _fields[property + "." + path] = field;
                }
                else if (dot < 0 && RunProperties.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    _keys.Add((RunProperties.First(p => p.Equals(key, StringComparison.OrdinalIgnoreCase)), null, descending));
                }
                else
                {
                    throw new WandbException(
                        WandbErrorKind.InvalidArgument,
                        "'" + raw + "' is not a sort key: use a run property (" + string.Join(", ", RunProperties) + "), Config.<key> or Summary.<key>, with - for descending.",
                        raw);
                }
            }
        }

        /// <summary>The first key in W&amp;B's order syntax, or null when the server cannot sort by it.</summary>
        public string? ServerOrder
        {
            get
            {
                if (_keys.Count == 0)
                {
                    return null;
                }

                var (property, path, descending) = _keys[0];
                string? key = path is null
                    ? ServerKeys.TryGetValue(property, out string? runKey) ? runKey : null
                    : path.IndexOf('.') >= 0 ? null : property == "Config" ? "config." + path + ".value" : "summary_metrics." + path;
                return key is null ? null : (descending ? "-" : "+") + key;
            }
        }

        /// <summary>True when the server's order alone gives this order (one key it can sort by).</summary>
        public bool ServerSortsCompletely => _keys.Count == 1 && ServerOrder is not null;

        public int Compare(WandbRun? x, WandbRun? y)
        {
            foreach (var (property, path, descending) in _keys)
            {
                int order = CompareValues(ValueOf(x!, property, path), ValueOf(y!, property, path));
                if (order != 0)
                {
                    return descending ? -order : order;
                }
            }

            return 0;
        }

        /// <summary>Sorts a list stably (equal runs keep their order).</summary>
        public List<WandbRun> Sort(IEnumerable<WandbRun> runs) => runs.Select((run, i) => (run, i)).OrderBy(p => p.run, this).ThenBy(p => p.i).Select(p => p.run).ToList();

        private object? ValueOf(WandbRun run, string property, string? path)
        {
            // Config/summary paths follow the filter's look-up, which also finds keys that contain dots.
            if (path is not null)
            {
                return FilterEvaluator.ValueOf(_fields[property + "." + path], run);
            }

            return property switch
            {
                "CreatedAt" => run.CreatedAt,
                "HeartbeatAt" => run.HeartbeatAt,
                "Name" => run.Name,
                "Id" => run.Id,
                "State" => run.State.ToString(),
                "Runtime" => run.Runtime.TotalSeconds,
                "JobType" => run.JobType,
                "Group" => run.Group,
                "Username" => run.Username,
                "Host" => run.Host,
                "SweepId" => run.SweepId,
                "Project" => run.Project,
                "Entity" => run.Entity,
                "ReportedSeconds" => run.ReportedSeconds,
                "HistoryCount" => (object)run.HistoryCount,
                _ => null,
            };
        }

        /// <summary>missing &lt; NaN &lt; numbers &lt; text &lt; booleans &lt; times &lt; anything else; never throws.</summary>
        public static int CompareValues(object? a, object? b)
        {
            int rankA = Rank(a), rankB = Rank(b);
            if (rankA != rankB)
            {
                return rankA.CompareTo(rankB);
            }

            return a switch
            {
                null => 0,
                string s => string.Compare(s, (string)b!, StringComparison.OrdinalIgnoreCase),
                bool f => f.CompareTo((bool)b!),
                DateTime t => t.ToUniversalTime().CompareTo(((DateTime)b!).ToUniversalTime()),
                _ when ValueReads.AsDouble(a) is double x && ValueReads.AsDouble(b) is double y => double.IsNaN(x) ? 0 : x.CompareTo(y),
                _ => string.Compare(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture), StringComparison.Ordinal),
            };
        }

        private static int Rank(object? value) => value switch
        {
            null => 0,
            double d when double.IsNaN(d) => 1,
            long or double => 2,
            string => 3,
            bool => 4,
            DateTime => 5,
            _ => 6,
        };
    }
}
