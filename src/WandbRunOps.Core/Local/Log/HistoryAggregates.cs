using System;
using System.Collections.Generic;
using WandbRunOps.Values;

namespace WandbRunOps.Local.Log
{
    /// <summary>
    /// The last value (and numeric min, max, mean, first) of every history key, used to derive the summary of a
    /// Python-era run that crashed before the SDK wrote its full summary at shutdown.
    /// </summary>
    internal sealed class HistoryAggregates
    {
        private readonly Dictionary<string, KeyAggregate> _keys = new Dictionary<string, KeyAggregate>(StringComparer.Ordinal);
        private readonly List<KeyAggregate> _order = new List<KeyAggregate>();
        private readonly Dictionary<string, MetricSummaryOptions> _metrics = new Dictionary<string, MetricSummaryOptions>(StringComparer.Ordinal);

        public void Observe(string[] path, object? value)
        {
            string id = string.Join("\u001f", path);
            if (!_keys.TryGetValue(id, out KeyAggregate? aggregate))
            {
                aggregate = new KeyAggregate(path);
                _keys.Add(id, aggregate);
                _order.Add(aggregate);
            }

            aggregate.Observe(value);
        }

        public void DefineMetric(string name, MetricSummaryOptions options) => _metrics[name] = options;

        /// <summary>Writes the derived summary into <paramref name="summary"/>, under keys it does not already hold.</summary>
        public void DeriveInto(WandbMap summary)
        {
            foreach (KeyAggregate aggregate in _order)
            {
                if (aggregate.Path.Length == 1 && summary.TryGetExact(aggregate.Path[0], out _))
                {
                    continue;
                }

                object? value = aggregate.Last;
                if (aggregate.Path.Length == 1 && _metrics.TryGetValue(aggregate.Path[0], out MetricSummaryOptions? options))
                {
                    if (options.None)
                    {
                        continue;
                    }

                    if (options.HasAggregates)
                    {
                        value = aggregate.Summarize(options);
                    }
                }

                ValueTree.SetPath(summary, aggregate.Path, value);
            }
        }

        private sealed class KeyAggregate
        {
            private double _sum;
            private long _count;

            public KeyAggregate(string[] path) => Path = path;

            public string[] Path { get; }

            public object? Last { get; private set; }

            public object? First { get; private set; }

            public double Min { get; private set; } = double.PositiveInfinity;

            public double Max { get; private set; } = double.NegativeInfinity;

            public void Observe(object? value)
            {
                if (_count == 0 && First is null)
                {
                    First = value;
                }

                Last = value;
                double? number = value switch
                {
                    long l => l,
                    double d => d,
                    _ => null,
                };
                if (number is double n && !double.IsNaN(n))
                {
                    _sum += n;
                    _count++;
                    Min = Math.Min(Min, n);
                    Max = Math.Max(Max, n);
                }
            }

            public WandbMap Summarize(MetricSummaryOptions options)
            {
                var map = new WandbMap();
                if (options.Min && _count > 0)
                {
                    map.Set("min", Min);
                }

                if (options.Max && _count > 0)
                {
                    map.Set("max", Max);
                }

                if (options.Mean && _count > 0)
                {
                    map.Set("mean", _sum / _count);
                }

                if (options.First)
                {
                    map.Set("first", First);
                }

                if (options.Last)
                {
                    map.Set("last", Last);
                }

                if (options.Best && _count > 0 && options.Goal != 0)
                {
                    map.Set("best", options.Goal == 1 ? Min : Max);
                }

                return map;
            }
        }
    }

    /// <summary>A MetricRecord's summary choices (<c>define_metric(..., summary="min")</c>).</summary>
    internal sealed class MetricSummaryOptions
    {
        public bool Min { get; set; }

        public bool Max { get; set; }

        public bool Mean { get; set; }

        public bool Best { get; set; }

        public bool Last { get; set; }

        public bool None { get; set; }

        public bool First { get; set; }

        /// <summary>0 unset, 1 minimize, 2 maximize.</summary>
        public int Goal { get; set; }

        public bool HasAggregates => Min || Max || Mean || Best || First;
    }
}
