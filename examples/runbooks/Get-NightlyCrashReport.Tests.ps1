# Get-NightlyCrashReport.ps1 against the sample runs (samples/README.md, tests/WandbRunOps.Testing/SampleSet.cs):
# crsh005e (lost-cloud-5, user ana) was created one day before the samples' anchor and crashed 20 minutes later;
# fail004d (wild-storm-4, user ben) was created two days before it and failed after 5 minutes with exit code 1. The
# same questions are asked of the local folders and of the loopback W&B server serving them, with the same answers.
#
# The pattern to copy for a runbook of your own: fresh samples with New-SampleRuns, the loopback server with
# Start-FakeWandb, one Describe per source, and windows of time relative to the samples' anchor rather than the clock.

BeforeAll {
    . (Join-Path (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'tests') 'common.ps1')
    $script:runbook = Join-Path $PSScriptRoot 'Get-NightlyCrashReport.ps1'
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    # Every sample time derives from the anchor: the moment the running run, live006f, was last active. A window
    # that ends an hour before it leaves live006f out, whether it still reads as Running or (5 minutes after the
    # samples were written, on a slow machine) as Crashed.
    $script:anchor = (Get-WandbRun -Path $wandb -Id live006f).HeartbeatAt
    $script:server = Start-FakeWandb -WandbFolder $wandb -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:sources = @{
        Local = @{ Path = $wandb }
        Api   = @{ Project = $server.Project; Entity = $server.Entity; BaseUrl = $server.Url; ApiKey = $server.Key }
    }
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Get-NightlyCrashReport (<Source>)' -ForEach @(
    @{ Source = 'Local' }
    @{ Source = 'Api' }
) {
    BeforeAll {
        $from = $sources[$Source]
        # Three days up to an hour before the anchor: both deaths, and not the running run.
        $window = @{ Since = $anchor.AddDays(-3); Until = $anchor.AddHours(-1) }
    }

    It 'reports crsh005e and fail004d, the most recent death first' {
        $report = @(& $runbook @from @window)
        ($report | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'crsh005e,fail004d'
    }

    It 'gives the crashed run''s name, user, host, state, runtime and last heartbeat, and no exit code' {
        $crashed = & $runbook @from @window | Where-Object { $_.RunId -eq 'crsh005e' }
        $crashed.Name | Should -BeExactly 'lost-cloud-5'
        $crashed.User | Should -BeExactly 'ana'
        $crashed.Host | Should -BeExactly 'gpu-box-1'
        [string]$crashed.State | Should -BeExactly 'Crashed'
        $crashed.ExitCode | Should -BeNullOrEmpty
        $crashed.Runtime | Should -Be ([timespan]'00:20:00')
        $crashed.CreatedAt | Should -Be $anchor.AddDays(-1)
        $crashed.LastHeartbeat | Should -Be $anchor.AddDays(-1).AddMinutes(20)
        $crashed.LastHeartbeat.Kind | Should -Be 'Utc'
    }

    It 'gives the failed run''s name, user, state, runtime and last heartbeat' {
        $failed = & $runbook @from @window | Where-Object { $_.RunId -eq 'fail004d' }
        $failed.Name | Should -BeExactly 'wild-storm-4'
        $failed.User | Should -BeExactly 'ben'
        [string]$failed.State | Should -BeExactly 'Failed'
        $failed.Runtime | Should -Be ([timespan]'00:05:00')
        $failed.LastHeartbeat | Should -Be $anchor.AddDays(-2).AddMinutes(5)
    }

    It 'gives the failed run''s exit code 1 from its log, and none over the W&B API, whose runs carry no exit code' {
        $failed = & $runbook @from @window | Where-Object { $_.RunId -eq 'fail004d' }
        if ($Source -eq 'Local') {
            $failed.ExitCode | Should -Be 1
        }
        else {
            $failed.ExitCode | Should -BeNullOrEmpty
        }
    }

    It 'links each run to its page (API) or its folder (local)' {
        $crashed = & $runbook @from @window | Where-Object { $_.RunId -eq 'crsh005e' }
        if ($Source -eq 'Api') {
            $crashed.Link | Should -Be "$($server.Url)/acme-ml/mnist-sweep/runs/crsh005e"
        }
        else {
            Split-Path -Leaf $crashed.Link | Should -Match '^run-\d{8}_\d{6}-crsh005e$'
        }
    }

    It 'by default reports the last 24 hours: the crash of one day ago, not the failure of two days ago' {
        $ids = @(& $runbook @from | ForEach-Object { $_.RunId })
        $ids | Should -Contain 'crsh005e'
        $ids | Should -Not -Contain 'fail004d'
    }

    It 'reports only the states -State names' {
        $ids = @(& $runbook @from @window -State Failed | ForEach-Object { $_.RunId })
        $ids -join ',' | Should -Be 'fail004d'
    }

    It 'reports nothing for a window in which nothing died' {
        @(& $runbook @from -Since $anchor.AddHours(-12) -Until $anchor.AddHours(-1)) | Should -HaveCount 0
    }

    It 'writes -OutFile as CSV, with ISO 8601 UTC times and [d.]hh:mm:ss runtimes' {
        $csv = Join-Path $TestDrive "crashes-$Source.csv"
        $null = & $runbook @from @window -OutFile $csv
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows | Should -HaveCount 2
        ($rows[0].PSObject.Properties | ForEach-Object { $_.Name }) -join ',' |
            Should -BeExactly 'RunId,Name,User,Host,State,ExitCode,Runtime,CreatedAt,LastHeartbeat,Link,LastLines,PeakGpuMemoryPercent'
        $rows[0].RunId | Should -Be 'crsh005e'
        $rows[0].State | Should -Be 'Crashed'
        $rows[0].ExitCode | Should -Be ''
        $rows[0].Runtime | Should -Be '00:20:00'
        $rows[0].LastHeartbeat | Should -Be $anchor.AddDays(-1).AddMinutes(20).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
        $rows[1].RunId | Should -Be 'fail004d'
        $rows[1].ExitCode | Should -Be $(if ($Source -eq 'Local') { '1' } else { '' })
        ($rows[0].LastLines -split "`n")[-1] | Should -Be (Get-WandbRun -Path $wandb -Id crsh005e | Get-RunLog -Tail 1).Line
    }

    It 'gives each run''s last console lines, as Get-RunLog reads them, and no GPU memory for runs that recorded none' {
        # crsh005e printed 8 lines before it died; fail004d printed none.
        $report = @(& $runbook @from @window -LogLines 3)
        $crashed = $report | Where-Object RunId -eq 'crsh005e'
        $expected = @(Get-WandbRun -Path $wandb -Id crsh005e | Get-RunLog | Select-Object -Last 3 | ForEach-Object Line)
        $crashed.LastLines | Should -HaveCount 3
        ($crashed.LastLines -join '|') | Should -BeExactly ($expected -join '|')
        ($report | Where-Object RunId -eq 'fail004d').LastLines | Should -HaveCount 0
        foreach ($entry in $report) { $entry.PeakGpuMemoryPercent | Should -BeNullOrEmpty }
        @(& $runbook @from @window -LogLines 0)[0].LastLines | Should -HaveCount 0
    }

    It 'writes only the CSV header when nothing died' {
        $csv = Join-Path $TestDrive "nothing-$Source.csv"
        $null = & $runbook @from -Since $anchor.AddHours(-12) -Until $anchor.AddHours(-1) -OutFile $csv
        Test-Path -LiteralPath $csv | Should -BeTrue
        @(Import-Csv -LiteralPath $csv) | Should -HaveCount 0
        (Get-Content -LiteralPath $csv -TotalCount 1) | Should -Match '^"RunId","Name",'
    }

    It 'refuses a -Since after -Until' {
        { & $runbook @from -Since $anchor -Until $anchor.AddDays(-1) } | Should -Throw '*is after -Until*'
    }
}

Describe 'Get-NightlyCrashReport on real SDK runs' {
    It 'reports the real crashed run with its peak GPU memory and its last 20 console lines' {
        if (Skip-WithoutRealFixtures) { return }
        # sdk-0.12.15-online: 3ojed7lz ran on a GPU, logged console output and system metrics, and crashed in 2022.
        $real = Get-RealFixture 'sdk-0.12.15-online'
        $report = @(& $runbook -Path $real -Since ([datetime]'2000-01-01') -Until ([datetime]::UtcNow) -WarningAction SilentlyContinue)
        $crashed = $report | Where-Object RunId -eq '3ojed7lz'
        $crashed | Should -Not -BeNullOrEmpty
        $peaks = @(Get-WandbRun -Path $real -Id 3ojed7lz -WarningAction SilentlyContinue | Get-RunSystemMetric -Key 'system.gpu.0.memoryAllocated' -WarningAction SilentlyContinue | ForEach-Object 'system.gpu.0.memoryAllocated')
        $crashed.PeakGpuMemoryPercent | Should -Be ($peaks | Measure-Object -Maximum).Maximum
        $crashed.PeakGpuMemoryPercent | Should -BeGreaterThan 0
        $crashed.LastLines | Should -HaveCount 20
        $crashed.LastLines[-1] | Should -BeExactly (Get-WandbRun -Path $real -Id 3ojed7lz -WarningAction SilentlyContinue | Get-RunLog -Tail 1 -WarningAction SilentlyContinue).Line
    }
}

Describe 'Get-NightlyCrashReport on both sources' {
    It 'gives the same report from the local folders and from the W&B API, but for the link and the exit code' {
        $window = @{ Since = $anchor.AddDays(-7); Until = $anchor.AddHours(-1) }
        $text = {
            param($report)
            $report | ForEach-Object {
                '{0}|{1}|{2}|{3}|{4}|{5}|{6:o}|{7:o}' -f $_.RunId, $_.Name, $_.User, $_.Host, $_.State, $_.Runtime, $_.CreatedAt, $_.LastHeartbeat
            }
        }
        $localSource = $sources['Local']
        $apiSource = $sources['Api']
        $local = @(& $text @(& $runbook @localSource @window))
        $remote = @(& $text @(& $runbook @apiSource @window))
        $local | Should -HaveCount 2
        ($remote -join "`n") | Should -BeExactly ($local -join "`n")
    }
}
