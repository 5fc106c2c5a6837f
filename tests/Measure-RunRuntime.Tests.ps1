# Measure-RunRuntime: per run, the wall-clock runtime (HeartbeatAt - CreatedAt) next to what the SDK reported; with
# -Statistics, one summary over all piped runs.
#
# Sample runtimes (samples/README.md, tests/WandbRunOps.Testing/SampleSet.cs): fin0001a 30 min, fin0002b 1 h 15 min,
# fin0003c 15 min, fail004d 5 min, crsh005e 20 min, offl008h 10 min, live006f 10 min (running, written just now),
# resu007g 2 h 25 min (first folder 0:00-0:25, resumed folder 2:00-2:25 after the first start).

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:runs = @(Get-WandbRun -Path $wandb)
    $script:measured = @($runs | Measure-RunRuntime)
    $script:byId = @{}
    foreach ($m in $measured) { $byId[$m.RunId] = $m }
}

Describe 'Measure-RunRuntime' {
    Context 'one object per run' {
        It 'measures each run once, in the order the runs came' {
            $measured | Should -HaveCount 8
            ($measured | ForEach-Object { $_.RunId }) -join ',' |
                Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d,crsh005e,offl008h,live006f'
        }

        It 'returns RunRuntime objects' {
            foreach ($m in $measured) {
                $m | Should -BeOfType 'WandbRunOps.Model.RunRuntime'
            }
        }

        It 'measures <Id> at <Runtime>' -TestCases @(
            @{ Id = 'fin0001a'; Runtime = '00:30:00' }
            @{ Id = 'resu007g'; Runtime = '02:25:00' }
            @{ Id = 'fin0002b'; Runtime = '01:15:00' }
            @{ Id = 'fin0003c'; Runtime = '00:15:00' }
            @{ Id = 'fail004d'; Runtime = '00:05:00' }
            @{ Id = 'crsh005e'; Runtime = '00:20:00' }
            @{ Id = 'offl008h'; Runtime = '00:10:00' }
            @{ Id = 'live006f'; Runtime = '00:10:00' }
        ) {
            $byId[$Id].Runtime | Should -BeOfType 'System.TimeSpan'
            $byId[$Id].Runtime | Should -Be ([timespan]$Runtime)
            $byId[$Id].Seconds | Should -BeOfType 'System.Double'
            $byId[$Id].Seconds | Should -Be ([timespan]$Runtime).TotalSeconds
        }

        It 'reports the SDK''s own figure for <Id>: <Reported> seconds' -TestCases @(
            @{ Id = 'fin0001a'; Reported = 1800 }
            @{ Id = 'resu007g'; Reported = 3000 }
            @{ Id = 'fin0002b'; Reported = 4500 }
            @{ Id = 'fin0003c'; Reported = 900 }
            @{ Id = 'fail004d'; Reported = 300 }
            @{ Id = 'crsh005e'; Reported = 1200 }
            @{ Id = 'offl008h'; Reported = 600 }
        ) {
            $byId[$Id].ReportedSeconds | Should -BeOfType 'System.Double'
            $byId[$Id].ReportedSeconds | Should -Be $Reported
        }

        It 'has no reported figure for the run still going' {
            $byId['live006f'].ReportedSeconds | Should -BeNullOrEmpty
        }

        It 'shows the resumed run''s wall-clock span is longer than the time it actually ran' {
            $byId['resu007g'].Seconds | Should -BeGreaterThan $byId['resu007g'].ReportedSeconds
        }

        It 'carries the run identity, state and times' {
            $m = $byId['fail004d']
            $m.RunName | Should -BeExactly 'wild-storm-4'
            $m.RunProject | Should -BeExactly 'mnist-sweep'
            $m.RunEntity | Should -BeExactly 'acme-ml'
            Split-Path -Leaf $m.RunPath | Should -BeLike 'run-*-fail004d'
            $m.State | Should -Be ([WandbRunOps.Model.RunState]::Failed)
            $m.CreatedAt.Kind | Should -Be ([System.DateTimeKind]::Utc)
            ($m.HeartbeatAt - $m.CreatedAt) | Should -Be $m.Runtime
        }

        It 'reads runs by -Path and -Id' {
            $m = Measure-RunRuntime -Path $wandb -Id fin0002b
            $m.RunId | Should -Be 'fin0002b'
            $m.Runtime | Should -Be ([timespan]::FromMinutes(75))
        }

        It 'reads ./wandb when -Id is given without -Path' {
            Push-Location -LiteralPath (Split-Path -Parent $wandb)
            try {
                $here = @(Measure-RunRuntime -Id '*')
            }
            finally {
                Pop-Location
            }
            $here | Should -HaveCount 8
        }

        It 'writes a WandbRunNotFound error for an id that is not there' {
            Measure-RunRuntime -Path $wandb -Id 'nosuch01' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $err[0].TargetObject | Should -BeExactly 'nosuch01'
        }

        It 'takes Get-RunConfig rows from the pipeline' {
            $m = Get-WandbRun -Path $wandb | Get-RunConfig | Where-Object learning_rate -gt 0.01 | Measure-RunRuntime
            ($m | ForEach-Object { $_.RunId + '=' + $_.Runtime }) -join ',' |
                Should -Be 'fin0003c=00:15:00,fail004d=00:05:00,crsh005e=00:20:00'
        }

        It 'shows the runtime as hours:minutes:seconds in the default table' {
            $text = $byId['fin0002b'] | Out-String -Width 200
            $text | Should -Match '1:15:00'
            $text | Should -Match 'calm-forest-2'
        }
    }

    Context '-Statistics' {
        BeforeAll {
            $script:stats = @($runs | Measure-RunRuntime -Statistics)
        }

        It 'writes one RuntimeStatistics object' {
            $stats | Should -HaveCount 1
            $stats[0] | Should -BeOfType 'WandbRunOps.Model.RuntimeStatistics'
        }

        It 'counts the runs' {
            $stats[0].Count | Should -Be 8
        }

        It 'gives Sum, Average, Minimum, Maximum and Median as TimeSpans' {
            $s = $stats[0]
            # 30 + 145 + 75 + 15 + 5 + 20 + 10 + 10 minutes
            $s.Sum | Should -Be ([timespan]'05:10:00')
            $s.Average | Should -Be ([timespan]'00:38:45')
            $s.Minimum | Should -Be ([timespan]'00:05:00')
            $s.Maximum | Should -Be ([timespan]'02:25:00')
            # sorted: 5, 10, 10, 15 | 20, 30, 75, 145 minutes
            $s.Median | Should -Be ([timespan]'00:17:30')
            $s.Sum | Should -BeOfType 'System.TimeSpan'
        }

        It 'gives the same figures in seconds' {
            $s = $stats[0]
            $s.SumSeconds | Should -Be 18600
            $s.AverageSeconds | Should -Be 2325
            $s.MinimumSeconds | Should -Be 300
            $s.MaximumSeconds | Should -Be 8700
            $s.MedianSeconds | Should -Be 1050
        }

        It 'gives the sample standard deviation (n - 1)' {
            [math]::Abs($stats[0].StandardDeviationSeconds - 2903.077185135997) | Should -BeLessThan 0.001
            [math]::Abs($stats[0].StandardDeviation.TotalSeconds - 2903.077185135997) | Should -BeLessThan 0.001
        }

        It 'agrees with Measure-Object on the per-run seconds' {
            $m = $measured | Measure-Object Seconds -Sum -Average -Minimum -Maximum
            $stats[0].Count | Should -Be $m.Count
            $stats[0].SumSeconds | Should -Be $m.Sum
            [math]::Abs($stats[0].AverageSeconds - $m.Average) | Should -BeLessThan 0.000001
            $stats[0].MinimumSeconds | Should -Be $m.Minimum
            $stats[0].MaximumSeconds | Should -Be $m.Maximum
        }

        It 'agrees with Measure-Object -StandardDeviation' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
            $m = $measured | Measure-Object Seconds -StandardDeviation
            [math]::Abs($stats[0].StandardDeviationSeconds - $m.StandardDeviation) | Should -BeLessThan 0.000001
        }

        It 'summarises only the runs piped in' {
            $finished = @($runs | Where-Object State -eq 'Finished' | Measure-RunRuntime -Statistics)
            $finished | Should -HaveCount 1
            $finished[0].Count | Should -Be 5
            # 30 + 145 + 75 + 15 + 10 minutes
            $finished[0].Sum | Should -Be ([timespan]'04:35:00')
            $finished[0].Median | Should -Be ([timespan]'00:30:00')
        }

        It 'gives Count 0 and no figures for no runs' {
            $empty = @($runs | Where-Object Id -eq 'none' | Measure-RunRuntime -Statistics)
            $empty | Should -HaveCount 1
            $empty[0].Count | Should -Be 0
            $empty[0].Sum | Should -BeNullOrEmpty
            $empty[0].SumSeconds | Should -BeNullOrEmpty
        }
    }

    Context 'real run folders' {
        It 'measures the real fixtures from the times the runs recorded, not from when the files were copied' {
            $fixtures = Join-Path (Split-Path -Parent $WandbRunOpsRepoRoot) 'shared/fixtures/wandb-real'
            if (-not (Test-Path -LiteralPath $fixtures)) { Set-ItResult -Skipped -Because "the real fixtures are not at '$fixtures'"; return }
            $real = Get-WandbRun -Path (Join-Path $fixtures '*/wandb') | Measure-RunRuntime -Statistics
            $real.Count | Should -Be 44
            # The longest real run (arwtvc9b) ran 17 minutes; two runs died at start (header-only logs) and count as zero.
            $real.Maximum | Should -Be ([timespan]::FromTicks(10206445760))
            $real.Minimum | Should -Be ([timespan]::Zero)
            $real.Average | Should -BeLessThan ([timespan]::FromMinutes(2))
        }
    }

    Context 'composition with the PowerShell cmdlets' {
        It 'finds the runs that ran over an hour' {
            $long = $measured | Where-Object Runtime -gt ([timespan]::FromHours(1))
            ($long | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'resu007g,fin0002b'
        }

        It 'sorts by Runtime, longest first' {
            ($measured | Sort-Object Runtime -Descending | Select-Object -First 1).RunId | Should -Be 'resu007g'
            ($measured | Sort-Object Runtime | Select-Object -First 1).RunId | Should -Be 'fail004d'
        }

        It 'groups runtimes by state' {
            $groups = $measured | Group-Object State
            ($groups | Where-Object Name -eq 'Finished').Count | Should -Be 5
            $failed = ($groups | Where-Object Name -eq 'Failed').Group
            $failed[0].Runtime | Should -Be ([timespan]::FromMinutes(5))
        }

        It 'totals the runtime of each state with Group-Object and Measure-Object' {
            $totals = @{}
            foreach ($g in ($measured | Group-Object State)) {
                $totals[$g.Name] = ($g.Group | Measure-Object Seconds -Sum).Sum
            }
            $totals['Finished'] | Should -Be 16500
            $totals['Failed'] | Should -Be 300
            $totals['Crashed'] | Should -Be 1200
            $totals['Running'] | Should -Be 600
        }

        It 'converts the statistics to JSON' {
            $back = $runs | Measure-RunRuntime -Statistics | ConvertTo-Json | ConvertFrom-Json
            $back.Count | Should -Be 8
            $back.SumSeconds | Should -Be 18600
        }
    }
}

Describe 'Measure-RunRuntime: what a user sees' {
    It 'shows a table at <Width> columns with Seconds and ReportedSeconds unrounded' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        $text = Out-UserText -InputObject $measured -Width $Width
        ($text -split "`r?`n" | Where-Object { $_ -match '^RunId ' }) | Should -Match '^RunId\s+RunName\s+State\s+Runtime\s+Seconds\s+ReportedSeconds'
        foreach ($row in $measured) {
            $line = $text -split "`r?`n" | Where-Object { $_ -match ('^' + $row.RunId + ' ') }
            $line | Should -Match ([regex]::Escape($row.Seconds.ToString('R', [cultureinfo]::InvariantCulture)))
        }
        Assert-NoTypeName $text
    }

    It 'exports CSV and JSON with plain numbers, and -Statistics as a list without type names' {
        Assert-NoTypeName ($measured | ConvertTo-Csv -NoTypeInformation | Out-String)
        ($measured[0] | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json).State | Should -BeIn @('Finished', 'Failed', 'Crashed', 'Running')
        Assert-NoTypeName (Out-UserText -InputObject @($runs | Measure-RunRuntime -Statistics))
    }
}
