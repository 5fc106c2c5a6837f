using System;
using System.Collections.Generic;
using GraphQL;
using GraphQL.Utilities;

namespace WandbRunOps.FakeWandb;

// A run's console lines (research notes §7.2): logLineCount, and logLines as a Relay connection over the lines in
// order, cursor base64("arrayconnection:N") as every other connection here. last: N gives the tail in ascending
// order, as every W&B server version does; first/after page forward, as newer servers do.
public static partial class WandbSchema
{
    internal sealed record LogLineNode(int Number, FakeLogLine Line);

    private static void ConfigureLogs(SchemaBuilder b)
    {
        Field<RunNode>(b, "Run", "logLineCount", (r, rc, _) => SnapshotLogLines(rc, r.Run).Length);
        Field<RunNode>(b, "Run", "logLines", (r, rc, ctx) => LogLinePage(SnapshotLogLines(rc, r.Run), ctx));
        Field<ConnectionNode>(b, "LogLineConnection", "edges", (c, _, _) => c.Edges);
        Field<ConnectionNode>(b, "LogLineConnection", "pageInfo", (c, _, _) => c.PageInfo);
        Field<EdgeNode>(b, "LogLineEdge", "node", (e, _, _) => e.Node);
        Field<EdgeNode>(b, "LogLineEdge", "cursor", (e, _, _) => e.Cursor);
        Field<LogLineNode>(b, "LogLine", "id", (l, _, _) => WandbEncoding.Cursor(l.Number));
        Field<LogLineNode>(b, "LogLine", "number", (l, _, _) => l.Number);
        Field<LogLineNode>(b, "LogLine", "timestamp", (l, _, _) => l.Line.Timestamp);
        Field<LogLineNode>(b, "LogLine", "level", (l, _, _) => l.Line.Level);
        Field<LogLineNode>(b, "LogLine", "label", (_, _, _) => "");
        Field<LogLineNode>(b, "LogLine", "line", (l, _, _) => l.Line.Line);
    }

    private static FakeLogLine[] SnapshotLogLines(RequestContext rc, FakeRun run)
    {
        lock (rc.Data.SyncRoot)
        {
            return run.LogLines.ToArray();
        }
    }

    private static ConnectionNode LogLinePage(FakeLogLine[] lines, IResolveFieldContext ctx)
    {
        int start = 0, end = lines.Length;
        if (ctx.GetArgument<string?>("after") is { Length: > 0 } after)
        {
            start = Math.Min(end, (WandbEncoding.CursorOffset(after) ?? throw new ExecutionError("invalid cursor: " + after)) + 1);
        }

        if (ctx.GetArgument<string?>("before") is { Length: > 0 } before)
        {
            end = Math.Max(start, Math.Min(end, WandbEncoding.CursorOffset(before) ?? throw new ExecutionError("invalid cursor: " + before)));
        }

        int? first = ctx.GetArgument<int?>("first");
        int? last = ctx.GetArgument<int?>("last");
        if (first < 0 || last < 0)
        {
            throw new ExecutionError("first and last must not be negative");
        }

        if (first is int f)
        {
            end = Math.Min(end, start + f);
        }

        if (last is int l)
        {
            start = Math.Max(start, end - l);
        }

        var edges = new List<EdgeNode>(end - start);
        for (int i = start; i < end; i++)
        {
            edges.Add(new EdgeNode(new LogLineNode(i, lines[i]), WandbEncoding.Cursor(i)));
        }

        var pageInfo = new PageInfoNode(edges.Count > 0 ? edges[0].Cursor : null, edges.Count > 0 ? edges[^1].Cursor : null, end < lines.Length, start > 0);
        return new ConnectionNode(lines.Length, edges, pageInfo);
    }
}
