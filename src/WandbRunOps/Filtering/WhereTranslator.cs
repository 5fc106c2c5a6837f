using System;
using System.Collections.Generic;
using System.Linq;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using WandbRunOps.Errors;
using WandbRunOps.Filtering;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Filtering
{
    /// <summary>
    /// Translates a -Where scriptblock into the W&amp;B filter language where it can, so the server sends fewer runs.
    /// The translation is always a superset of what the scriptblock selects (parts it cannot translate are dropped
    /// from an -and, an -or with an untranslatable side is dropped whole), and the scriptblock itself is then run on
    /// every run received — so the result is exactly what Where-Object with the same scriptblock would give.
    /// </summary>
    internal static class WhereTranslator
    {
        /// <summary>How deep the walk goes into -and, -or and parentheses: well past what the filter JSON can hold (256 levels).</summary>
        private const int MaxNesting = 1000;

        private static readonly Dictionary<string, string> RunProperties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["State"] = "state",
            ["Name"] = "displayName",
            ["Id"] = "name",
            ["CreatedAt"] = "createdAt",
            ["HeartbeatAt"] = "heartbeatAt",
            ["JobType"] = "jobType",
            ["Group"] = "group",
            ["Tags"] = "tags",
            ["Username"] = "username",
            ["Host"] = "host",
            ["SweepId"] = "sweep",
        };

        public static WhereTranslation Translate(ScriptBlock predicate)
        {
            var untranslated = new List<string>();
            ExpressionAst? expression = SingleExpression(predicate.Ast as ScriptBlockAst);
            FilterNode? filter = expression is null ? null : Superset(expression, untranslated);
            if (expression is null)
            {
                untranslated.Add(predicate.ToString().Trim());
            }
            else if (filter is null && untranslated.Count == 0)
            {
                untranslated.Add(expression.Extent.Text);
            }

            return new WhereTranslation(filter, untranslated);
        }

        private static ExpressionAst? SingleExpression(ScriptBlockAst? block)
        {
            if (block?.EndBlock is null || block.BeginBlock is not null || block.ProcessBlock is not null || block.EndBlock.Statements.Count != 1)
            {
                return null;
            }

            return block.EndBlock.Statements[0] is PipelineAst pipeline && pipeline.PipelineElements.Count == 1 && pipeline.PipelineElements[0] is CommandExpressionAst command
                ? command.Expression
                : null;
        }

        /// <summary>A filter that keeps at least every run the expression keeps, or null when none can be given.</summary>
        private static FilterNode? Superset(ExpressionAst expression, List<string> untranslated, int depth = 0)
        {
            // The walk is recursive: an expression nested deeper than any filter W&B can take is refused here, before
            // it could exhaust the stack (the filter it would give is refused anyway, see FilterBuilder.Build).
            if (depth > MaxNesting)
            {
                throw new WandbException(
                    WandbErrorKind.InvalidFilter,
                    "Invalid -Where: the script block nests more than " + MaxNesting.ToString(System.Globalization.CultureInfo.InvariantCulture) + " levels of -and, -or and parentheses.",
                    "-Where");
            }

            switch (expression)
            {
                case ParenExpressionAst paren when paren.Pipeline is PipelineAst inner && inner.PipelineElements.Count == 1 && inner.PipelineElements[0] is CommandExpressionAst command:
                    return Superset(command.Expression, untranslated, depth + 1);
                case BinaryExpressionAst { Operator: TokenKind.And } and:
                    List<FilterNode> kept = Chain(and, TokenKind.And).Select(part => Superset(part, untranslated, depth + 1)).OfType<FilterNode>().ToList();
                    return kept.Count == 0 ? null : FilterNode.And(Flat(LogicalOperator.And, kept));
                case BinaryExpressionAst { Operator: TokenKind.Or } or:
                    var sides = new List<string>();
                    List<FilterNode?> alternatives = Chain(or, TokenKind.Or).Select(part => Superset(part, sides, depth + 1)).ToList();
                    if (alternatives.Any(a => a is null) || sides.Count > 0)
                    {
                        untranslated.Add(or.Extent.Text);
                        return null;
                    }

                    return new LogicalFilter(LogicalOperator.Or, Flat(LogicalOperator.Or, alternatives!));
                case BinaryExpressionAst comparison:
                    FilterNode? translated = Comparison(comparison);
                    if (translated is null)
                    {
                        untranslated.Add(comparison.Extent.Text);
                    }

                    return translated;
                default:
                    untranslated.Add(expression.Extent.Text);
                    return null;
            }
        }

        /// <summary>
        /// The operands of a chain of one operator, in order: <c>a -or b -or c</c> parses as <c>(a -or b) -or c</c>,
        /// walked here without recursion, so a chain of thousands of comparisons costs no stack.
        /// </summary>
        private static List<ExpressionAst> Chain(BinaryExpressionAst expression, TokenKind op)
        {
            var operands = new List<ExpressionAst>();
            ExpressionAst current = expression;
            while (current is BinaryExpressionAst binary && binary.Operator == op)
            {
                operands.Add(binary.Right);
                current = binary.Left;
            }

            operands.Add(current);
            operands.Reverse();
            return operands;
        }

        /// <summary>
        /// The parts with nested parts of the same operator taken up: <c>x -or (y -or z)</c> is one <c>$or</c> of three,
        /// so the filter stays as shallow as W&amp;B's filter JSON needs.
        /// </summary>
        private static List<FilterNode> Flat(LogicalOperator op, IEnumerable<FilterNode?> parts)
        {
            var flat = new List<FilterNode>();
            foreach (FilterNode? part in parts)
            {
                if (part is LogicalFilter logical && logical.Operator == op)
                {
                    flat.AddRange(logical.Parts);
                }
                else if (part is not null)
                {
                    flat.Add(part);
                }
            }

            return flat;
        }

        private static FilterNode? Comparison(BinaryExpressionAst comparison)
        {
            // "'x' -in $_.Tags" is "$_.Tags -contains 'x'".
            if ((comparison.Operator == TokenKind.Iin || comparison.Operator == TokenKind.Cin) && FieldOf(comparison.Right) is string tagsKey && tagsKey == "tags")
            {
                return Constant(comparison.Left, out object? tag) && tag is string t ? Field("tags", ConditionOperator.Regex, IgnoreCase(comparison.Operator == TokenKind.Cin, "^" + Regex.Escape(t) + "$")) : null;
            }

            string? key = FieldOf(comparison.Left);
            if (key is null || !Constant(comparison.Right, out object? value))
            {
                return null;
            }

            bool loose = key.StartsWith("config.", StringComparison.Ordinal) || key.StartsWith("summary_metrics.", StringComparison.Ordinal);
            bool caseSensitive = comparison.Operator.ToString().StartsWith("C", StringComparison.Ordinal) && comparison.Operator != TokenKind.Comma;
            switch (comparison.Operator)
            {
                case TokenKind.Ieq:
                case TokenKind.Ceq:
                    if (value is string text)
                    {
                        return Loosen(key, loose, Field(key, ConditionOperator.Regex, IgnoreCase(caseSensitive, "^" + Regex.Escape(text) + "$")), numeric: false);
                    }

                    return IsNumber(value) || value is DateTime || value is bool ? Loosen(key, loose, Field(key, ConditionOperator.Eq, Normal(value)), numeric: true) : null;
                case TokenKind.Igt:
                case TokenKind.Cgt:
                    return Ordered(key, loose, ConditionOperator.Gt, value);
                case TokenKind.Ige:
                case TokenKind.Cge:
                    return Ordered(key, loose, ConditionOperator.Gte, value);
                case TokenKind.Ilt:
                case TokenKind.Clt:
                    return Ordered(key, loose, ConditionOperator.Lt, value);
                case TokenKind.Ile:
                case TokenKind.Cle:
                    return Ordered(key, loose, ConditionOperator.Lte, value);
                case TokenKind.Ilike:
                case TokenKind.Clike:
                    return value is string pattern ? Loosen(key, loose, Field(key, ConditionOperator.Regex, IgnoreCase(caseSensitive, new Wildcard(pattern).RegexText)), numeric: false) : null;
                case TokenKind.Imatch:
                case TokenKind.Cmatch:
                    return value is string regex && PortableRegex(regex) ? Loosen(key, loose, Field(key, ConditionOperator.Regex, IgnoreCase(caseSensitive, regex)), numeric: false) : null;
                case TokenKind.Iin:
                case TokenKind.Cin:
                    object?[]? items = value as object?[];
                    return items is not null && items.All(i => i is string) && key != "tags"
                        ? Loosen(key, loose, Field(key, ConditionOperator.Regex, IgnoreCase(caseSensitive, "^(" + string.Join("|", items.Select(i => Regex.Escape((string)i!))) + ")$")), numeric: false)
                        : null;
                case TokenKind.Icontains:
                case TokenKind.Ccontains:
                    return key == "tags" && value is string tag ? Field("tags", ConditionOperator.Regex, IgnoreCase(caseSensitive, "^" + Regex.Escape(tag) + "$")) : null;
                default:
                    return null;
            }
        }

        private static FilterNode? Ordered(string key, bool loose, ConditionOperator op, object? value)
        {
            if (key == "createdAt" || key == "heartbeatAt")
            {
                return value is DateTime time ? Field(key, op, time.ToUniversalTime()) : null;
            }

            if (!IsNumber(value))
            {
                return null;
            }

            FilterNode translated = Loosen(key, loose, Field(key, op, Normal(value)), numeric: true);

            // PowerShell orders $null below everything ($null -lt 1 is True): a missing key passes -lt and -le.
            return loose && (op == ConditionOperator.Lt || op == ConditionOperator.Lte)
                ? new LogicalFilter(LogicalOperator.Or, new[] { translated, Field(key, ConditionOperator.Exists, false) })
                : translated;
        }

        /// <summary>
        /// PowerShell converts the right side to the left side's type, so a config value of another type can still
        /// compare true ("5" -eq 5). For config and summary keys, runs whose value is of the other kind are kept too.
        /// </summary>
        private static FilterNode Loosen(string key, bool loose, FilterNode exact, bool numeric)
        {
            if (!loose)
            {
                return exact;
            }

            // A string value for a numeric test; any non-string value for a string test.
            FilterNode otherKind = numeric
                ? Field(key, ConditionOperator.Regex, string.Empty)
                : new FieldFilter(Parse(key), new Condition(ConditionOperator.Not, new Condition(ConditionOperator.Regex, string.Empty)));
            return new LogicalFilter(LogicalOperator.Or, new[] { exact, otherKind });
        }

        /// <summary>The filter key for "$_.Prop", "$_.Config.a.b", "$_.Summary.x"; null for anything else.</summary>
        private static string? FieldOf(ExpressionAst expression)
        {
            var names = new List<string>();
            ExpressionAst current = expression;
            while (current is MemberExpressionAst member && !(member is InvokeMemberExpressionAst) && member.Member is StringConstantExpressionAst name)
            {
                names.Insert(0, name.Value);
                current = member.Expression;
            }

            if (!(current is VariableExpressionAst variable) || !(variable.VariablePath.UserPath == "_" || variable.VariablePath.UserPath.Equals("PSItem", StringComparison.OrdinalIgnoreCase)) || names.Count == 0)
            {
                return null;
            }

            if (names.Count == 1)
            {
                return RunProperties.TryGetValue(names[0], out string? key) ? key : null;
            }

            string rest = string.Join(".", names.Skip(1));
            return names[0].Equals("Config", StringComparison.OrdinalIgnoreCase) ? "config." + rest
                : names[0].Equals("Summary", StringComparison.OrdinalIgnoreCase) ? "summary_metrics." + rest
                : null;
        }

        /// <summary>A value known before any run is seen: a literal, or an expression that does not use $_ (evaluated once).</summary>
        private static bool Constant(ExpressionAst expression, out object? value)
        {
            value = null;
            if (expression.Find(a => a is VariableExpressionAst v && (v.VariablePath.UserPath == "_" || v.VariablePath.UserPath.Equals("PSItem", StringComparison.OrdinalIgnoreCase)), true) is not null)
            {
                return false;
            }

            switch (expression)
            {
                case StringConstantExpressionAst text:
                    value = text.Value;
                    return true;
                case ConstantExpressionAst constant:
                    value = constant.Value;
                    return true;
                case ArrayLiteralAst array when array.Elements.All(e => e is ConstantExpressionAst):
                    value = array.Elements.Select(e => e is StringConstantExpressionAst s ? s.Value : ((ConstantExpressionAst)e).Value).ToArray();
                    return true;
                default:
                    // e.g. (Get-Date).AddDays(-7) or [timespan]::FromHours(1): evaluated once, as Where-Object would per run.
                    Collection<PSObject> result;
                    try
                    {
                        result = ScriptBlock.Create(expression.Extent.Text).Invoke();
                    }
                    catch (RuntimeException)
                    {
                        return false;
                    }

                    if (result.Count != 1)
                    {
                        return false;
                    }

                    value = result[0]?.BaseObject;
                    return value is DateTime || IsNumber(value) || value is string;
            }
        }

        private static bool IsNumber(object? value) => value is int || value is long || value is double || value is float || value is decimal;

        private static object? Normal(object? value) => PowerShellValues.ToPlain(value);

        private static string IgnoreCase(bool caseSensitive, string regex) => caseSensitive ? regex : "(?i)" + regex;

        /// <summary>Patterns that mean the same in .NET and RE2 (no lookaround, backreferences or named groups).</summary>
        private static bool PortableRegex(string regex) =>
            regex.IndexOf("(?<", StringComparison.Ordinal) < 0 && regex.IndexOf("(?=", StringComparison.Ordinal) < 0 && regex.IndexOf("(?!", StringComparison.Ordinal) < 0 &&
            !Regex.IsMatch(regex, @"\\[1-9]|\\k<");

        private static FieldFilter Field(string key, ConditionOperator op, object? operand) => new FieldFilter(Parse(key), new Condition(op, operand));

        private static FilterField Parse(string key) => FilterField.TryParse(key, out string? problem) ?? throw new InvalidOperationException(problem);
    }

    /// <summary>What of a -Where predicate the server can pre-filter, and which parts only this process can check.</summary>
    internal sealed class WhereTranslation
    {
        public WhereTranslation(FilterNode? serverFilter, IReadOnlyList<string> untranslated)
        {
            ServerFilter = serverFilter;
            Untranslated = untranslated;
        }

        public FilterNode? ServerFilter { get; }

        public IReadOnlyList<string> Untranslated { get; }
    }
}
