using System;
using System.Numerics;
using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;

namespace WandbRunOps.FakeWandb;

/// <summary><c>JSONString</c>: JSON text carried in a string, passed through verbatim both ways.</summary>
internal sealed class JsonStringGraphType : ScalarGraphType
{
    public JsonStringGraphType()
    {
        Name = "JSONString";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => s.Value.ToString(),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => ThrowSerializationError(value),
    };
}

/// <summary><c>JSON</c>: any JSON value, sent as the value itself (not as a string). Output only.</summary>
internal sealed class JsonValueGraphType : ScalarGraphType
{
    public JsonValueGraphType()
    {
        Name = "JSON";
    }

    public override object? ParseLiteral(GraphQLValue value) => ThrowLiteralConversionError(value);

    public override object? ParseValue(object? value) => value;

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        JsonElement e => e.Clone(),
        _ => value,
    };
}

/// <summary><c>DateTime</c> as W&amp;B sends it: UTC with no zone designator (replaces GraphQL.NET's built-in DateTime).</summary>
internal sealed class WandbDateTimeGraphType : DateTimeGraphType
{
    public WandbDateTimeGraphType()
    {
        Name = "DateTime";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTime dt => WandbEncoding.FormatDateTime(dt),
        DateTimeOffset dto => WandbEncoding.FormatDateTime(dto.UtcDateTime),
        string s => s,
        _ => ThrowSerializationError(value),
    };
}

/// <summary><c>Int64</c>: a 64-bit integer as a JSON number.</summary>
internal sealed class Int64GraphType : ScalarGraphType
{
    public Int64GraphType()
    {
        Name = "Int64";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLIntValue i when long.TryParse(i.Value.Span, out long n) => n,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        int i => (long)i,
        long l => l,
        uint u => (long)u,
        ulong ul when ul <= long.MaxValue => (long)ul,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        double d when Math.Floor(d) == d && d >= long.MinValue && d <= long.MaxValue => (long)d,
        decimal m when decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue => (long)m,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        long l => l,
        int i => (long)i,
        _ => ThrowSerializationError(value),
    };
}
