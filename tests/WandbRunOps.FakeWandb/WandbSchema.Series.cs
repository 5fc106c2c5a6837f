using GraphQL;
using WandbRunOps.Json;
using WandbRunOps.Values;

namespace WandbRunOps.FakeWandb;

/// <summary>The runs of a project made from a <see cref="FakeRunSeries"/> (never held in memory).</summary>
public static partial class WandbSchema
{
    /// <summary>The series' runs for an unfiltered listing in creation order; anything else is refused (a series cannot filter or sort).</summary>
    private static ConnectionNode SeriesPage(ProjectNode p, FakeRunSeries series, RequestContext rc, IResolveFieldContext ctx)
    {
        bool newestFirst = SeriesOrder(ctx.GetArgument<string?>("order"));
        CheckUnfiltered(ctx.GetArgument<string?>("filters"));
        return Page(series.AsList(newestFirst), ctx, rc.Options.MaxPageSize, r => new RunNode(p, r));
    }

    private static int SeriesCount(FakeRunSeries series, IResolveFieldContext ctx)
    {
        CheckUnfiltered(ctx.GetArgument<string?>("filters"));
        return series.Count;
    }

    private static RunNode? SeriesRun(ProjectNode p, FakeRunSeries series, string name) =>
        series.IndexOf(name) is int index ? new RunNode(p, series.At(index)) : null;

    private static bool SeriesOrder(string? order)
    {
        string text = string.IsNullOrWhiteSpace(order) ? "+created_at" : order.Trim();
        return text switch
        {
            "+created_at" or "created_at" or "+createdAt" or "createdAt" => false,
            "-created_at" or "-createdAt" => true,
            _ => throw new UnsupportedQueryException("a synthesized project lists its runs by creation time only, not by '" + text + "'"),
        };
    }

    private static void CheckUnfiltered(string? filters)
    {
        if (!string.IsNullOrWhiteSpace(filters) && !(ExtendedJson.TryParse(filters, out object? parsed, out _) && parsed is WandbMap { Count: 0 }))
        {
            throw new UnsupportedQueryException("a synthesized project does not filter its runs (filters " + filters + ")");
        }
    }
}
