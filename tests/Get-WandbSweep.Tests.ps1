# Get-WandbSweep as a user sees it, on the sample runs (sweep swp01: fin0002b accuracy 0.95, fin0003c, fail004d) and on
# the loopback server holding the same runs, whose sweep configuration maximizes accuracy with a bayes search.

BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/RunChanges.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    Start-ChangeServer -WandbFolder $wandb
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Get-WandbSweep' {
    It 'shows the sweep, its metric and its best run in a table that fits 80 columns' {
        $text = Out-UserText -InputObject @(Get-WandbSweep @api) -Width 80
        $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
        (-split $lines[0]) -join ',' | Should -BeExactly 'Id,State,Method,RunCount,Metric,BestRun,BestValue'
        $lines[2] | Should -Match '^swp01\s+Finished\s+bayes\s+3\s+accuracy \(maximize\)\s+fin0002b\s+0\.95$'
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        Assert-NoTypeName $text
    }

    It 'gives the same sweep from the run folders when the metric is named, and its best run pipes on' {
        $local = Get-WandbSweep -Path $wandb -Id swp01 -Metric accuracy -Goal Maximize
        $remote = Get-WandbSweep @api -Id swp01
        $local.RunCount | Should -Be $remote.RunCount
        $local.CreatedAt | Should -Be $remote.CreatedAt
        $local.BestRun.Id | Should -Be $remote.BestRun.Id
        ($local.BestRun | Get-RunSummary -Key accuracy).accuracy | Should -Be 0.95
        ($remote.BestRun | Get-RunSummary -Key accuracy).accuracy | Should -Be 0.95
    }

    It 'picks the lowest value with -Goal Minimize, and no best run locally without -Metric' {
        (Get-WandbSweep -Path $wandb -Metric accuracy).BestRun.Id | Should -Not -Be 'fin0002b'
        $plain = Get-WandbSweep -Path $wandb
        $plain.BestRun | Should -BeNullOrEmpty
        $plain.MetricName | Should -BeNullOrEmpty
    }

    It 'writes CSV and JSON without type names' {
        $sweep = Get-WandbSweep @api -Id swp01
        Assert-NoTypeName ($sweep | ConvertTo-Csv | Out-String)
        $json = $sweep | ConvertTo-Json -Depth 2 -EnumsAsStrings -WarningAction SilentlyContinue | ConvertFrom-Json
        $json.Config.metric.name | Should -Be 'accuracy'
        $json.BestValue | Should -Be 0.95
    }

    It 'reports an id that names no sweep and still outputs the others' {
        $out = @(Get-WandbSweep @api -Id nope0, swp01 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Id | Should -Be 'swp01'
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WandbSweepNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/nope0'
    }

    It 'completes -Id with the sweeps of the source' {
        Push-Location (Split-Path -Parent $wandb)
        try {
            $line = 'Get-WandbSweep -Id sw'
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('swp01')
        }
        finally { Pop-Location }
    }
}
