using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using WandbRunOps.Filtering;
using WandbRunOps.Model;
using WandbRunOps.Tests.Infrastructure;
using WandbRunOps.Values;
using Xunit;

namespace WandbRunOps.Tests.Filtering
{
    /// <summary>
    /// Random runs and random filters: the in-process evaluator selects exactly the runs Where-Object selects with the
    /// equivalent PowerShell predicate, and the JSON sent to a server parses back to the same filter.
    /// </summary>
    public sealed class FilterPropertyTests : IDisposable
    {
        private static readonly string[] States = { "finished", "failed", "crashed", "running" };
        private static readonly string[] TagNames = { "a", "b", "c" };
        private readonly ModuleRunspace _ps = new ModuleRunspace();

        public void Dispose() => _ps.Dispose();

        /// <summary>A filter and the PowerShell predicate that means the same.</summary>
        internal sealed record Case(string Json, string PowerShell);

        private static Gen<Case> Leaf()
        {
            Gen<double> threshold = Gen.Elements(0.005, 0.01, 0.05, 0.5, 0.9);
            Gen<long> epochs = Gen.Elements(5L, 10L, 20L);
            return Gen.OneOf(
                Gen.Elements(States).Select(s => new Case("{\"state\": \"" + s + "\"}", "($_.State.ToString().ToLowerInvariant() -ceq '" + s + "')")),
                Gen.Elements(States).Select(s => new Case("{\"state\": {\"$ne\": \"" + s + "\"}}", "($_.State.ToString().ToLowerInvariant() -cne '" + s + "')")),
                threshold.Select(t => new Case("{\"config.lr\": {\"$gt\": " + N(t) + "}}", "($_.Config.lr -gt " + N(t) + ")")),
                // PowerShell orders $null below everything ($null -le 1 is True); a missing key fails every comparison in the filter language.
                threshold.Select(t => new Case("{\"config.lr\": {\"$lte\": " + N(t) + "}}", "($null -ne $_.Config.lr -and $_.Config.lr -le " + N(t) + ")")),
                threshold.Select(t => new Case("{\"summary_metrics.acc\": {\"$gte\": " + N(t) + "}}", "($_.Summary.acc -ge " + N(t) + ")")),
                threshold.Select(t => new Case("{\"summary_metrics.acc\": {\"$lt\": " + N(t) + "}}", "($null -ne $_.Summary.acc -and $_.Summary.acc -lt " + N(t) + ")")),
                epochs.Select(e => new Case("{\"config.epochs\": " + e + "}", "($_.Config.epochs -eq " + e + ")")),
                epochs.Select(e => new Case("{\"config.epochs\": {\"$ne\": " + e + "}}", "($_.Config.epochs -ne " + e + ")")),
                epochs.Select(e => new Case("{\"config.epochs\": {\"$in\": [" + e + ", 20]}}", "($_.Config.epochs -in @(" + e + ", 20))")),
                Gen.Elements(true, false).Select(b => new Case("{\"config.lr\": {\"$exists\": " + (b ? "true" : "false") + "}}", b ? "($null -ne $_.Config.lr)" : "($null -eq $_.Config.lr)")),
                Gen.Elements(TagNames).Select(t => new Case("{\"tags\": \"" + t + "\"}", "($_.Tags -ccontains '" + t + "')")),
                Gen.Elements(TagNames).Select(t => new Case("{\"tags\": {\"$all\": [\"" + t + "\", \"a\"]}}", "(($_.Tags -ccontains '" + t + "') -and ($_.Tags -ccontains 'a'))")),
                Gen.Elements("^r1", "0$", "r[2-4]").Select(r => new Case("{\"name\": {\"$regex\": \"" + r + "\"}}", "($_.Id -cmatch '" + r + "')")),
                threshold.Select(t => new Case("{\"config.lr\": {\"$not\": {\"$gt\": " + N(t) + "}}}", "(-not ($_.Config.lr -gt " + N(t) + "))")));
        }

        internal static Gen<Case> Filter(int depth) =>
            depth <= 0
                ? Leaf()
                : Gen.OneOf(
                    Leaf(),
                    Combine(depth, "$and", " -and "),
                    Combine(depth, "$or", " -or "),
                    Gen.ListOf(Filter(depth - 1)).Where(l => l.Count is > 0 and <= 3).Select(parts =>
                        new Case("{\"$nor\": [" + string.Join(", ", parts.Select(p => p.Json)) + "]}", "(-not (" + string.Join(" -or ", parts.Select(p => p.PowerShell)) + "))")));

        private static Gen<Case> Combine(int depth, string op, string psOp) =>
            Gen.ListOf(Filter(depth - 1)).Where(l => l.Count is > 0 and <= 3).Select(parts =>
                new Case("{\"" + op + "\": [" + string.Join(", ", parts.Select(p => p.Json)) + "]}", "(" + string.Join(psOp, parts.Select(p => p.PowerShell)) + ")"));

        internal static Gen<WandbRun> Run(int index) =>
            from state in Gen.Elements(RunState.Finished, RunState.Failed, RunState.Crashed, RunState.Running)
            from lr in Gen.Elements<object?>(null, 0.001, 0.01, 0.05, 0.1)
            from epochs in Gen.Elements<object?>(null, 5L, 10L, 20L)
            from acc in Gen.Elements<object?>(null, double.NaN, 0.5, 0.9, 1L)
            from tags in Gen.SubListOf(TagNames)
            select MakeRun(index, state, lr, epochs, acc, tags.ToArray());

        private static WandbRun MakeRun(int index, RunState state, object? lr, object? epochs, object? acc, string[] tags)
        {
            var run = new WandbRun { Id = "r" + index, State = state, Tags = tags, CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(index) };
            if (lr is not null)
            {
                run.Config.Set("lr", lr);
            }

            if (epochs is not null)
            {
                run.Config.Set("epochs", epochs);
            }

            if (acc is not null)
            {
                run.Summary.Set("acc", acc);
            }

            return run;
        }

        private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        [Fact]
        public void TheEvaluatorAgreesWithWhereObjectAndTheJsonRoundTrips()
        {
            Gen<(Case Filter, List<WandbRun> Runs)> cases =
                from filter in Filter(2)
                from runs in Gen.CollectToArray(Enumerable.Range(0, 12), Run)
                select (filter, runs.ToList());

            Prop.ForAll(cases.ToArbitrary(), c =>
            {
                FilterNode filter = FilterParser.Parse(c.Filter.Json);
                string json = FilterJson.Serialize(filter);
                string roundTrip = FilterJson.Serialize(FilterParser.Parse(json));
                string[] local = c.Runs.Where(r => FilterEvaluator.Matches(filter, r)).Select(r => r.Id).ToArray();

                _ps.SetVariable("runs", c.Runs.ToArray());
                string[] whereObject = _ps.Run("$runs | Where-Object { " + c.Filter.PowerShell + " } | ForEach-Object Id").ThrowOnError()
                    .Output.Select(o => (string)o.BaseObject).ToArray();

                return (json == roundTrip && local.SequenceEqual(whereObject))
                    .Label("filter " + c.Filter.Json + " | ps " + c.Filter.PowerShell + " | local " + string.Join(",", local) + " | Where-Object " + string.Join(",", whereObject));
            }).QuickCheckThrowOnFailure();
        }
    }
}
