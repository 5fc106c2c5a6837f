using System;
using System.Linq;
using WandbRunOps.Tests.Infrastructure;
using Xunit;

namespace WandbRunOps.Tests.Reliability
{
    /// <summary>
    /// Deep and cyclic arguments for the parameters that take a hashtable, an object or a script block (-Filter and
    /// -Where of Get-WandbRun; no other cmdlet has one). Each used to end the PowerShell process with a stack overflow
    /// (or escape as a raw FormatException); each must be a WandbInvalidFilter. The commands run in a child PowerShell
    /// (<see cref="ChildPowerShell"/>), so a regression fails the test instead of ending the test host.
    /// The shallower cases that cannot overflow are rows of <see cref="BadInputCatalogueTests"/>.
    /// </summary>
    public sealed class HostileArgumentTests
    {
        /// <summary>One command per case; each prints its error id or its run ids, and the script ends with DONE.</summary>
        private static readonly (string Name, string Command)[] Cases =
        {
            ("deep hashtable", "$h = @{ state = 'finished' }; 1..10000 | ForEach-Object { $h = @{ '$and' = @($h) } }; Get-WandbRun -Path $w -Filter $h"),
            ("deep object", "$h = [pscustomobject]@{ state = 'finished' }; 1..10000 | ForEach-Object { $h = [pscustomobject]@{ '$and' = @($h) } }; Get-WandbRun -Path $w -Filter $h"),
            ("deep list", "$l = @(1); 1..10000 | ForEach-Object { $l = [System.Collections.ArrayList]@(, $l) }; Get-WandbRun -Path $w -Filter @{ 'config.lr' = @{ '$in' = $l } }"),
            ("cyclic hashtable", "$h = @{}; $h['$and'] = @($h); Get-WandbRun -Path $w -Filter $h"),
            ("cyclic object", "$o = [pscustomobject]@{ state = 'finished' }; $o | Add-Member -NotePropertyName '$or' -NotePropertyValue @($o); Get-WandbRun -Path $w -Filter $o"),
            ("cyclic list", "$l = [System.Collections.ArrayList]::new(); $null = $l.Add($l); Get-WandbRun -Path $w -Filter @{ '$or' = $l }"),
            ("deep where", "$e = '$_.State -eq ''finished'''; 1..1000 | ForEach-Object { $e = '($_.Id -eq ''a' + $_ + ''' -or (' + $e + ' -and $_.Name -eq ''n''))' }; Get-WandbRun -Path $w -Where ([scriptblock]::Create($e))"),
        };

        [ChildPowerShellFact]
        public void DeepAndCyclicArgumentsAreInvalidFiltersNotACrash()
        {
            string script = "$w = '" + RepoPaths.Samples + "'; " + string.Concat(Cases.Select(c =>
                "try { $ids = @(" + c.Command + " -ErrorAction Stop | ForEach-Object Id); '" + c.Name + ": ' + ($ids -join ',') } catch { '" + c.Name + ": ' + $_.FullyQualifiedErrorId + ' ' + $_.Exception.Message }; "))
                + "'DONE'";

            (int exitCode, string output) = ChildPowerShell.Run(script);

            Assert.True(exitCode == 0, "exit code " + exitCode + ":\n" + output);
            string[] lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            Assert.Contains("DONE", lines);
            foreach ((string name, _) in Cases)
            {
                string? line = lines.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal));
                Assert.True(line is not null && line.StartsWith(name + ": WandbInvalidFilter,WandbRunOps.Commands.GetWandbRunCommand ", StringComparison.Ordinal), name + " -> " + (line ?? "(nothing)") + "\n" + output);
            }
        }

        [ChildPowerShellFact]
        public void ALongChainOfOneOperatorIsTranslatedFlat()
        {
            // 3,000 comparisons joined by -or: one $or, not 3,000 nested ones, so W&B's filter JSON can hold it.
            string script = "$sb = [scriptblock]::Create(((1..3000 | ForEach-Object { '$_.Id -eq ''r' + $_ + '''' }) + '$_.Id -eq ''fin0001a''') -join ' -or '); " +
                "(Get-WandbRun -Path '" + RepoPaths.Samples + "' -Where $sb -ErrorAction Stop).Id";

            (int exitCode, string output) = ChildPowerShell.Run(script);

            Assert.True(exitCode == 0, "exit code " + exitCode + ":\n" + output);
            Assert.Equal("fin0001a", output.Trim());
        }
    }
}
