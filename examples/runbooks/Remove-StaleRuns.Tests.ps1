# Remove-StaleRuns.ps1 against the loopback W&B server and sample run folders (samples/README.md,
# tests/WandbRunOps.Testing/SampleSet.cs).
#
# API: the server serves the sample runs (crsh005e crashed after 20 minutes) plus runs added through its admin
# endpoint (POST /_fake/runs): quick01a crashed after 12 s and quick02b after 59 s (both go); slow003c crashed after
# 61 s, short04d finished after 30 s and fail005e failed after 10 s (all stay). What the server holds is read from its
# own dataset (GET /_fake/data), and what it was sent from its request log, not through the module.
#
# Local: the sample folders (the server's, for -WhatIf; a fresh copy to remove from), dated relative to now: fin0001a (6 days ago), resu007g (5 days
# ago, resumed: two folders), fin0002b (4 days), fin0003c (3 days, active 15 minutes), fail004d (2 days), crsh005e
# (1 day), offl008h (1 day, offline and never synced) and live006f (running). Every run-* folder is synced.

BeforeAll {
    . (Join-Path (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'tests') 'common.ps1')
    $script:runbook = Join-Path $PSScriptRoot 'Remove-StaleRuns.ps1'
    $script:served = New-SampleRuns -Path (Join-Path $TestDrive 'served')
    $script:server = Start-FakeWandb -WandbFolder $served -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:api = @{ Project = $server.Project; Entity = $server.Entity; BaseUrl = $server.Url; ApiKey = $server.Key }

    $start = [datetime]::UtcNow.AddHours(-2)
    foreach ($added in @(
            @{ id = 'quick01a'; displayName = 'bad-import-1'; state = 'crashed'; seconds = 12 }
            @{ id = 'quick02b'; displayName = 'no-gpu-2'; state = 'crashed'; seconds = 59 }
            @{ id = 'slow003c'; displayName = 'oom-3'; state = 'crashed'; seconds = 61 }
            @{ id = 'short04d'; displayName = 'smoke-test-4'; state = 'finished'; seconds = 30 }
            @{ id = 'fail005e'; displayName = 'bad-args-5'; state = 'failed'; seconds = 10 }
        )) {
        $run = @{
            id          = $added.id
            displayName = $added.displayName
            state       = $added.state
            createdAt   = $start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
            heartbeatAt = $start.AddSeconds($added.seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
        }
        $null = Invoke-RestMethod -Method Post -Uri "$($server.Url)/_fake/runs?entity=$($server.Entity)&project=$($server.Project)" `
            -ContentType 'application/json' -Body ($run | ConvertTo-Json -Compress)
    }

    # The ids of the project's runs, as the server holds them, sorted.
    function Get-ServerRunIds {
        $data = Invoke-RestMethod -Uri "$($server.Url)/_fake/data"
        $project = $data.projects | Where-Object { $_.entity -eq $server.Entity -and $_.name -eq $server.Project }
        @($project.runs | ForEach-Object { $_.id } | Sort-Object)
    }

    # The changes (GraphQL mutations) the server received since the last Clear-ServerRequests.
    function Get-ServerMutations {
        # Invoke-RestMethod writes a JSON array as one object (PowerShell 7) or enumerates it (5.1): take it whole.
        $requests = Invoke-RestMethod -Uri "$($server.Url)/_fake/requests"
        @($requests | Where-Object { $_.isMutation })
    }

    function Clear-ServerRequests {
        $null = Invoke-RestMethod -Method Delete -Uri "$($server.Url)/_fake/requests"
    }

    # The run ids of the run folders under a wandb folder, one per folder, sorted (a resumed run has two).
    function Get-FolderRunIds {
        param([string] $Wandb)
        @(Get-ChildItem -LiteralPath $Wandb -Directory | Where-Object { $_.Name -match '^(offline-)?run-' } |
                ForEach-Object { $_.Name.Substring($_.Name.LastIndexOf('-') + 1) } | Sort-Object)
    }

    $script:allServerRuns = Get-ServerRunIds
    Clear-ServerRequests
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Remove-StaleRuns -WhatIf' {
    BeforeAll {
        # The folders the server was started from (it read them once): -WhatIf must leave them as they are.
        $local = $served
        $folders = Get-FolderRunIds $local
    }

    It 'chooses the runs that crashed within 60 s and the synced folders older than 3 days, and removes nothing' {
        Clear-ServerRequests
        $result = @(& $runbook @api -Path $local -OlderThanDays 3 -WhatIf)

        $apiRuns = @($result | Where-Object { $_.Source -eq 'Api' })
        ($apiRuns | ForEach-Object { $_.RunId } | Sort-Object) -join ',' | Should -BeExactly 'quick01a,quick02b'
        ($apiRuns | Where-Object { $_.RunId -eq 'quick01a' }).Reason | Should -BeExactly 'crashed after 12 s'
        ($apiRuns | Where-Object { $_.RunId -eq 'quick01a' }).Location | Should -BeExactly "$($server.Url)/acme-ml/mnist-sweep/runs/quick01a"
        $localRuns = @($result | Where-Object { $_.Source -eq 'Local' })
        ($localRuns | ForEach-Object { $_.RunId } | Sort-Object) -join ',' | Should -BeExactly 'fin0001a,fin0002b,resu007g'
        ($localRuns | Where-Object { $_.RunId -eq 'resu007g' }).Location -split [regex]::Escape([System.IO.Path]::PathSeparator) | Should -HaveCount 2
        $result | ForEach-Object { $_.Removed | Should -BeFalse -Because "$($_.RunId) was only shown" }

        Get-ServerMutations | Should -HaveCount 0
        (Get-ServerRunIds) -join ',' | Should -BeExactly ($allServerRuns -join ',')
        (Get-FolderRunIds $local) -join ',' | Should -BeExactly ($folders -join ',')
    }

    It 'prints, in a new shell as a user sees it, each API run and each local run folder that would go' {
        # The What if: lines go to the host, not to a stream a script can capture: run the runbook as a user does,
        # the key from WANDB_API_KEY, the module found by name.
        Clear-ServerRequests
        $savedKey = $env:WANDB_API_KEY
        $savedModulePath = $env:PSModulePath
        try {
            $env:WANDB_API_KEY = $server.ApiKey
            $env:PSModulePath = (Split-Path -Parent (Split-Path -Parent $WandbRunOpsManifest)) + [System.IO.Path]::PathSeparator + $env:PSModulePath
            $shell = Get-PowerShellCommand
            $output = & $shell.FilePath @($shell.Arguments + @('-NoProfile', '-NonInteractive', '-File', $runbook,
                    '-Project', "$($server.Entity)/$($server.Project)", '-BaseUrl', $server.Url, '-Path', $local, '-OlderThanDays', '3', '-WhatIf'))
        }
        finally {
            $env:WANDB_API_KEY = $savedKey
            $env:PSModulePath = $savedModulePath
        }
        $text = $output -join [System.Environment]::NewLine
        $LASTEXITCODE | Should -Be 0 -Because $text
        $whatIf = @($output | Where-Object { $_ -like 'What if:*' })
        $whatIf | Should -HaveCount 5 -Because $text
        foreach ($line in $whatIf[0..1]) { $line | Should -BeLike 'What if: Performing the operation "Remove: delete run (its artifacts are kept)" on target "acme-ml/mnist-sweep/quick0*' }
        ($whatIf -join "`n") | Should -BeLike '*on target "acme-ml/mnist-sweep/quick01a (bad-import-1)".*'
        ($whatIf -join "`n") | Should -BeLike '*on target "acme-ml/mnist-sweep/quick02b (no-gpu-2)".*'
        $resumed = @($whatIf | Where-Object { $_ -like '*on target "resu007g (second-wind-7)".' })
        $resumed | Should -HaveCount 1 -Because $text
        $resumed[0] | Should -Match 'Remove: remove run folders .*run-\d{8}_\d{6}-resu007g, .*run-\d{8}_\d{6}-resu007g \('
        @($whatIf | Where-Object { $_ -like '*"Remove: remove run folder *fin0001a (*" on target "fin0001a (brisk-river-1)".' }) | Should -HaveCount 1 -Because $text
        @($whatIf | Where-Object { $_ -like '*on target "fin0002b (calm-forest-2)".' }) | Should -HaveCount 1 -Because $text

        Get-ServerMutations | Should -HaveCount 0
        (Get-ServerRunIds) -join ',' | Should -BeExactly ($allServerRuns -join ',')
        (Get-FolderRunIds $local) -join ',' | Should -BeExactly ($folders -join ',')
    }
}

Describe 'Remove-StaleRuns over the API' {
    It 'deletes quick01a and quick02b, one deleteRun each, and keeps the run that crashed after 61 s and the runs that did not crash' {
        Clear-ServerRequests
        $result = @(& $runbook @api -Confirm:$false)
        ($result | ForEach-Object { $_.RunId } | Sort-Object) -join ',' | Should -BeExactly 'quick01a,quick02b'
        $result | ForEach-Object { $_.Removed | Should -BeTrue -Because "$($_.RunId) is gone" }

        $left = Get-ServerRunIds
        $left | Should -Not -Contain 'quick01a'
        $left | Should -Not -Contain 'quick02b'
        ($left -join ',') | Should -BeExactly (($allServerRuns | Where-Object { $_ -notlike 'quick*' }) -join ',')
        $mutations = Get-ServerMutations
        $mutations | Should -HaveCount 2
        $mutations | ForEach-Object { $_.operationName | Should -BeExactly 'DeleteRun' }
    }

    It 'finds nothing to do when run again' {
        Clear-ServerRequests
        @(& $runbook @api -Confirm:$false) | Should -HaveCount 0
        Get-ServerMutations | Should -HaveCount 0
    }

    It 'takes a longer limit: -CrashedWithinSeconds 120 also deletes slow003c, and never the runs that did not crash' {
        Clear-ServerRequests
        $result = @(& $runbook @api -CrashedWithinSeconds 120 -Confirm:$false)
        ($result | ForEach-Object { $_.RunId }) -join ',' | Should -BeExactly 'slow003c'
        $result[0].Reason | Should -BeExactly 'crashed after 61 s'
        $result[0].Removed | Should -BeTrue
        $left = Get-ServerRunIds
        $left | Should -Not -Contain 'slow003c'
        $left | Should -Contain 'short04d'
        $left | Should -Contain 'fail005e'
        $left | Should -Contain 'crsh005e'
    }
}

Describe 'Remove-StaleRuns on local run folders' {
    BeforeAll {
        # Written just before the It blocks, so that live006f reads as Running (its log was written in the last 5 minutes).
        $local = New-SampleRuns -Path (Join-Path $TestDrive 'local')
    }

    It 'removes the synced folders not active for 3 days, both folders of the resumed run included, and nothing newer' {
        $result = @(& $runbook -Path $local -OlderThanDays 3 -Confirm:$false)
        ($result | ForEach-Object { $_.RunId } | Sort-Object) -join ',' | Should -BeExactly 'fin0001a,fin0002b,resu007g'
        $result | ForEach-Object { $_.Removed | Should -BeTrue -Because "$($_.RunId)'s folders are gone" }
        ($result | Where-Object { $_.RunId -eq 'fin0001a' }).Reason | Should -Match '^synced, last active 6[.,]0 days ago$'
        (Get-FolderRunIds $local) -join ',' | Should -BeExactly 'crsh005e,fail004d,fin0003c,live006f,offl008h'
    }

    It 'never removes the running run nor the offline run that was never synced, however old, and names the unsynced one in a warning' {
        $warnings = $null
        $result = @(& $runbook -Path $local -OlderThanDays 0 -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue)
        ($result | ForEach-Object { $_.RunId } | Sort-Object) -join ',' | Should -BeExactly 'crsh005e,fail004d,fin0003c'
        (Get-FolderRunIds $local) -join ',' | Should -BeExactly 'live006f,offl008h'
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -BeLike 'Kept offl008h (quiet-lake-8): *never synced to W&B*wandb sync*'
    }
}

Describe 'Remove-StaleRuns without a source' {
    It 'refuses to run with neither -Project nor -Path' {
        { & $runbook -WhatIf } | Should -Throw '*Give -Project*-Path*'
    }
}
