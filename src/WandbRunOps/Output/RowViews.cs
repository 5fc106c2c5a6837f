using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using WandbRunOps.Values;

namespace WandbRunOps.Commands.Output
{
    /// <summary>
    /// Table views for rows whose columns are only known at run time (config, summary and history keys). A format
    /// file cannot name them, and a table built from properties (a default display property set, or no view at all)
    /// shows every double with the culture's two decimals in PowerShell 7.3+ (a learning rate of 0.0001 reads 0.00)
    /// and lists as <c>System.Object[]</c>. So each column set gets its own view, registered in the session once:
    /// a table with RunId first (then <c>_step</c> for history), then the keys, and a list with every property; each
    /// cell the value's text
    /// (<see cref="ValueText"/>: numbers round-trip, lists joined by ", ", maps as <c>@{key=value; …}</c>).
    /// The rows carry their row type (WandbRunOps.Model.RunConfig…) first and the view's type name after it. Widths come
    /// from the rows already known (a column as wide as its header and widest value, at most
    /// <see cref="MaxWidth"/>), 0 (PowerShell sizes it) when none are.
    /// </summary>
    internal static class RowViews
    {
        private static readonly ConditionalWeakTable<InitialSessionState, HashSet<string>> Registered =
            new ConditionalWeakTable<InitialSessionState, HashSet<string>>();

        /// <summary>The widest a column is made; longer values end in "…", as in any PowerShell table.</summary>
        public const int MaxWidth = 40;

        /// <summary>A column as wide as its header and its widest text among <paramref name="values"/>, at most <see cref="MaxWidth"/>.</summary>
        public static int WidthOf(string header, IEnumerable<object?> values)
        {
            int width = header.Length;
            foreach (object? value in values)
            {
                width = Math.Max(width, Math.Min(MaxWidth, ValueText.Format(value).Length));
            }

            return Math.Min(MaxWidth, Math.Max(width, 1));
        }

        /// <summary>
        /// The type name of the view that shows <paramref name="columns"/> (registering it in the current session when
        /// new), or null when there is no session to register it in (rows then format from their properties).
        /// </summary>
        public static string? For(PSCmdlet cmdlet, string rowType, IReadOnlyList<string> leading, IReadOnlyList<string> listLeading, IReadOnlyList<string> columns, Func<string, bool> rightAligned, Func<string, int> width)
        {
            InitialSessionState? session = Runspace.DefaultRunspace?.InitialSessionState;
            if (session is null || cmdlet.InvokeCommand.GetCommand("Update-FormatData", CommandTypes.Cmdlet) is null)
            {
                // A host without the formatting cmdlets (a bare runspace) formats rows from their properties.
                return null;
            }

            string typeName = rowType + "#" + Fingerprint(leading, columns);
            HashSet<string> known = Registered.GetValue(session, _ => new HashSet<string>(StringComparer.Ordinal));
            lock (known)
            {
                if (known.Contains(typeName))
                {
                    return typeName;
                }

                session.Formats.Add(new SessionStateFormatEntry(Definition(typeName, leading, listLeading, columns, rightAligned, width)));
                known.Add(typeName);
            }

            // Update-FormatData with no path reloads the session's format entries, the new view among them.
            cmdlet.InvokeCommand.InvokeScript("Update-FormatData");
            return typeName;
        }

        /// <summary>
        /// Adds the view's type name to a row, after its row type (which has no view of its own, so Out-Default and
        /// Format-Table go on to this one, and Get-Member still names the row WandbRunOps.Model.RunConfig…).
        /// </summary>
        public static void Apply(PSObject row, string? viewTypeName)
        {
            if (viewTypeName is not null)
            {
                row.TypeNames.Insert(1, viewTypeName);
            }
        }

        private static ExtendedTypeDefinition Definition(string typeName, IReadOnlyList<string> leading, IReadOnlyList<string> listLeading, IReadOnlyList<string> columns, Func<string, bool> rightAligned, Func<string, int> width)
        {
            TableControlBuilder table = TableControl.Create(outOfBand: false, autoSize: false, hideTableHeaders: false);
            foreach (string name in leading)
            {
                table.AddHeader(rightAligned(name) ? Alignment.Right : Alignment.Left, width(name), name);
            }

            foreach (string name in columns)
            {
                table.AddHeader(rightAligned(name) ? Alignment.Right : Alignment.Left, width(name), name);
            }

            TableRowDefinitionBuilder row = table.StartRowDefinition(false, null, null);
            foreach (string name in leading)
            {
                row.AddScriptBlockColumn(CellScript(name), Alignment.Undefined, null);
            }

            foreach (string name in columns)
            {
                row.AddScriptBlockColumn(CellScript(name), Alignment.Undefined, null);
            }

            row.EndRowDefinition();
            var tableView = new FormatViewDefinition(typeName, table.EndTable());

            // Format-List: every property, values as text (a property list shows doubles to 15 digits only).
            ListEntryBuilder entry = ListControl.Create(false).StartEntry(null, null);
            foreach (string name in listLeading)
            {
                entry.AddItemScriptBlock(CellScript(name), name, null);
            }

            foreach (string name in columns)
            {
                entry.AddItemScriptBlock(CellScript(name), name, null);
            }

            var listView = new FormatViewDefinition(typeName, entry.EndEntry().EndList());
            return new ExtendedTypeDefinition(typeName, new List<FormatViewDefinition> { tableView, listView });
        }

        /// <summary>
        /// The cell: the property's value as text (a property name in single quotes, quotes doubled); a time (a system
        /// metric's Timestamp) in local time as yyyy-MM-dd HH:mm:ss, as the run and artifact views show times.
        /// </summary>
        private static string CellScript(string property) =>
            "$v = $_.PSObject.Properties['" + property.Replace("'", "''") + "'].Value; " +
            "if ($v -is [datetime]) { $v.ToLocalTime().ToString('yyyy-MM-dd HH:mm:ss') } else { [WandbRunOps.Values.ValueText]::Format($v) }";

        private static string Fingerprint(IReadOnlyList<string> leading, IReadOnlyList<string> columns)
        {
            var text = new StringBuilder();
            foreach (string name in leading)
            {
                text.Append(name).Append('\n');
            }

            text.Append('\n');
            foreach (string name in columns)
            {
                text.Append(name).Append('\n');
            }

            using SHA256 sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
            var hex = new StringBuilder(12);
            for (int i = 0; i < 6; i++)
            {
                hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return hex.ToString();
        }
    }
}
