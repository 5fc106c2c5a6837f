# Set-ReleaseCandidate.ps1 against the loopback W&B server serving the sample runs (samples/README.md,
# tests/WandbRunOps.Testing/SampleSet.cs): sweep swp01 has fin0002b (calm-forest-2, accuracy 0.95, tags sweep and
# best, logged model with aliases latest and best), fin0003c (accuracy 0.88, tag sweep, logged confusion:latest and
# no model) and fail004d (failed). fin0001a (brisk-river-1, tag baseline) is not in the sweep: it is given the tag
# release-candidate first, as the previous release candidate. What the server holds is read from its own dataset
# (GET /_fake/data), and what it was sent from its request log, not through the module.
#
# The runs change as the tests go, so the It blocks run in order: -WhatIf, then for real, then again.

BeforeAll {
    . (Join-Path (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'tests') 'common.ps1')
    $script:runbook = Join-Path $PSScriptRoot 'Set-ReleaseCandidate.ps1'
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:server = Start-FakeWandb -WandbFolder $wandb -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:from = @{ Project = $server.Project; Entity = $server.Entity; BaseUrl = $server.Url; ApiKey = $server.Key }

    # The tags of every run of the project, as the server holds them: 'id' -> 'tag,tag'.
    function Get-ServerTags {
        $data = Invoke-RestMethod -Uri "$($server.Url)/_fake/data"
        $project = $data.projects | Where-Object { $_.entity -eq $server.Entity -and $_.name -eq $server.Project }
        $tags = @{}
        foreach ($run in $project.runs) { $tags[$run.id] = @($run.tags) -join ',' }
        $tags
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

    # The previous release candidate.
    Get-WandbRun @from -Id fin0001a | Set-WandbRun -AddTag release-candidate
    (Get-ServerTags)['fin0001a'] | Should -BeExactly 'baseline,release-candidate'
    Clear-ServerRequests
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Set-ReleaseCandidate' {
    It '-WhatIf chooses fin0002b, sends no change, and leaves every tag as it was' {
        $before = Get-ServerTags
        $result = & $runbook @from -Sweep swp01 -WhatIf
        $result | Should -HaveCount 1
        $result.RunId | Should -BeExactly 'fin0002b'
        $result.Name | Should -BeExactly 'calm-forest-2'
        $result.MetricValue | Should -Be 0.95
        $result.AlreadyTagged | Should -BeFalse
        $result.Tagged | Should -BeFalse
        $result.PreviousHolders -join ',' | Should -BeExactly 'fin0001a'
        $result.UntaggedRuns | Should -HaveCount 0

        Get-ServerMutations | Should -HaveCount 0
        $after = Get-ServerTags
        foreach ($id in $before.Keys) { $after[$id] | Should -BeExactly $before[$id] -Because "run $id" }
    }

    It '-WhatIf prints both changes in a new shell, as a user sees them, and sends none' {
        # The What if: lines go to the host, not to a stream a script can capture: run the runbook as a user does,
        # the key from WANDB_API_KEY, the module found by name.
        $savedKey = $env:WANDB_API_KEY
        $savedModulePath = $env:PSModulePath
        try {
            $env:WANDB_API_KEY = $server.ApiKey
            $env:PSModulePath = (Split-Path -Parent (Split-Path -Parent $WandbRunOpsManifest)) + [System.IO.Path]::PathSeparator + $env:PSModulePath
            $shell = Get-PowerShellCommand
            $output = & $shell.FilePath @($shell.Arguments + @('-NoProfile', '-NonInteractive', '-File', $runbook,
                    '-Project', "$($server.Entity)/$($server.Project)", '-BaseUrl', $server.Url, '-Sweep', 'swp01', '-WhatIf'))
        }
        finally {
            $env:WANDB_API_KEY = $savedKey
            $env:PSModulePath = $savedModulePath
        }
        $text = $output -join [System.Environment]::NewLine
        $LASTEXITCODE | Should -Be 0 -Because $text
        $whatIf = @($output | Where-Object { $_ -like 'What if:*' })
        $whatIf | Should -HaveCount 2 -Because $text
        $whatIf[0] | Should -BeExactly 'What if: Performing the operation "Set tags [sweep, best] -> [sweep, best, release-candidate]" on target "acme-ml/mnist-sweep/fin0002b (calm-forest-2)".'
        $whatIf[1] | Should -BeExactly 'What if: Performing the operation "Set tags [baseline, release-candidate] -> [baseline]" on target "acme-ml/mnist-sweep/fin0001a (brisk-river-1)".'
        Get-ServerMutations | Should -HaveCount 0
    }

    It 'tags fin0002b and takes the tag off fin0001a, keeping both runs'' other tags' {
        Clear-ServerRequests
        $result = & $runbook @from -Sweep swp01
        $result.RunId | Should -BeExactly 'fin0002b'
        $result.Tagged | Should -BeTrue
        $result.PreviousHolders -join ',' | Should -BeExactly 'fin0001a'
        $result.UntaggedRuns -join ',' | Should -BeExactly 'fin0001a'
        $result.Run.Tags -join ',' | Should -BeExactly 'sweep,best,release-candidate'

        $tags = Get-ServerTags
        $tags['fin0002b'] | Should -BeExactly 'sweep,best,release-candidate'
        $tags['fin0001a'] | Should -BeExactly 'baseline'
        @($tags.Keys | Where-Object { $tags[$_] -split ',' -contains 'release-candidate' }) -join ',' | Should -BeExactly 'fin0002b'
        # One change per run: the tag added to one, taken off the other.
        Get-ServerMutations | Should -HaveCount 2
    }

    It 'changes nothing when run again: the candidate already holds the tag and no other run does' {
        Clear-ServerRequests
        $result = & $runbook @from -Sweep swp01
        $result.RunId | Should -BeExactly 'fin0002b'
        $result.AlreadyTagged | Should -BeTrue
        $result.Tagged | Should -BeTrue
        $result.PreviousHolders | Should -HaveCount 0
        Get-ServerMutations | Should -HaveCount 0
    }

    It 'ranks only the runs that logged the artifact: with -Goal Minimize the lowest accuracy, fin0003c, logged no model' {
        Clear-ServerRequests
        $result = & $runbook @from -Sweep swp01 -Goal Minimize -WhatIf
        $result.RunId | Should -BeExactly 'fin0002b'
        Get-ServerMutations | Should -HaveCount 0
    }

    It 'moves the tag to fin0003c when the artifact is confusion:latest, which only fin0003c logged' {
        Clear-ServerRequests
        $result = & $runbook @from -Sweep swp01 -Artifact 'confusion:latest'
        $result.RunId | Should -BeExactly 'fin0003c'
        $result.MetricValue | Should -Be 0.88
        $result.UntaggedRuns -join ',' | Should -BeExactly 'fin0002b'
        $tags = Get-ServerTags
        $tags['fin0003c'] | Should -BeExactly 'sweep,release-candidate'
        $tags['fin0002b'] | Should -BeExactly 'sweep,best'
        Get-ServerMutations | Should -HaveCount 2
    }

    It 'ends with NoReleaseCandidate and changes nothing when no finished run logged the metric' {
        Clear-ServerRequests
        $before = Get-ServerTags
        { & $runbook @from -Sweep swp01 -Metric f1 } |
            Should -Throw -ErrorId 'NoReleaseCandidate*' -ExpectedMessage "*sweep 'swp01'*2 finished, 0 with a finite 'f1'*No tag was changed*"
        Get-ServerMutations | Should -HaveCount 0
        $after = Get-ServerTags
        foreach ($id in $before.Keys) { $after[$id] | Should -BeExactly $before[$id] -Because "run $id" }
    }

    It 'uses a custom tag and leaves release-candidate alone' {
        Clear-ServerRequests
        $result = & $runbook @from -Sweep swp01 -Tag 'rc-2026-12'
        $result.RunId | Should -BeExactly 'fin0002b'
        $result.PreviousHolders | Should -HaveCount 0
        $tags = Get-ServerTags
        $tags['fin0002b'] | Should -BeExactly 'sweep,best,rc-2026-12'
        $tags['fin0003c'] | Should -BeExactly 'sweep,release-candidate'
        Get-ServerMutations | Should -HaveCount 1
    }
}

Describe 'Set-ReleaseCandidate on local run folders' {
    It 'is refused with WandbReadOnlySource, and the folders are not written: local runs are records' {
        # The folders the server was started from: it read them once, and its changes never touch them.
        $local = $wandb
        $before = Get-ChildItem -LiteralPath $local -Recurse -File | ForEach-Object { '{0}|{1}|{2:o}' -f $_.FullName, $_.Length, $_.LastWriteTimeUtc }
        Push-Location -LiteralPath (Split-Path -Parent $local)
        try {
            # No -Project: the module's default source is ./wandb here.
            { & $runbook -Sweep swp01 } | Should -Throw -ErrorId 'WandbReadOnlySource*'
        }
        finally {
            Pop-Location
        }
        $after = Get-ChildItem -LiteralPath $local -Recurse -File | ForEach-Object { '{0}|{1}|{2:o}' -f $_.FullName, $_.Length, $_.LastWriteTimeUtc }
        ($after -join "`n") | Should -BeExactly ($before -join "`n")
    }
}
