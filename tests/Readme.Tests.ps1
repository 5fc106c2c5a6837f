# The README tour: everyday questions about the sample runs, each answered by one pipeline typed in the folder that
# holds wandb/ (so no -Path). The commands are read from README.md and run verbatim on a copy of the committed
# samples/ folder, as a fresh clone has it (file times of now, dates of the snapshot); the answers follow from
# samples/README.md and tests/WandbRunOps.Testing/SampleSet.cs.

BeforeDiscovery {
    $repoRoot = Split-Path -Parent $PSScriptRoot
    $dotnetRunLines = @((Get-Content -LiteralPath (Join-Path $repoRoot 'README.md')) -match 'dotnet run --project tests/' | ForEach-Object { $_.Trim() })
}

BeforeAll {
    . $PSScriptRoot/common.ps1
    $readme = Get-Content -LiteralPath (Join-Path $WandbRunOpsRepoRoot 'README.md') -Raw
    $script:readmeText = $readme -replace "`r`n", "`n"
    $block = [regex]::Match($readmeText, '<!-- tour -->\s*```powershell\n(?<body>.*?)```', 'Singleline')
    if (-not $block.Success) { throw 'README.md has no tour block' }

    # `# question` lines, each followed by its one-line command.
    $script:tour = [System.Collections.Generic.List[object]]::new()
    $question = $null
    foreach ($line in $block.Groups['body'].Value -split "`n") {
        if ($line.StartsWith('# ')) { $question = $line.Substring(2) }
        elseif ($line.Trim()) { $tour.Add([pscustomobject]@{ Question = $question; Command = $line }); $question = $null }
    }

    # A fresh clone: the committed snapshot, copied now (so its files have new write times, as a checkout gives them).
    $script:clone = Join-Path $TestDrive 'clone'
    $null = New-Item -ItemType Directory -Path $clone
    Copy-Item -LiteralPath (Join-Path $WandbRunOpsRepoRoot 'samples') -Destination $clone -Recurse

    function script:Invoke-TourCommand([int] $Index) {
        $command = $tour[$Index]
        # Errors a command silences itself (-ErrorAction SilentlyContinue) are part of its answer; any other fails it.
        $output = @(& ([scriptblock]::Create($command.Command)) 2>&1)
        $failed = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        if ($failed.Count -gt 0) { throw "$($command.Question): $($failed[0])" }
        , $output
    }

    Push-Location -LiteralPath $clone
}

AfterAll {
    Pop-Location
}

Describe 'README tour, verbatim, on the committed samples' {
    It 'has nine commands, the first one going to ./samples' {
        $tour | Should -HaveCount 9
        $tour[0].Command | Should -BeExactly 'Set-Location ./samples'
        $null = Invoke-TourCommand 0
        (Get-Location).Path | Should -Be (Join-Path $clone 'samples')
    }

    It '1. lists every run, oldest first' {
        $answer = Invoke-TourCommand 1
        ($answer | ForEach-Object { $_.Id }) -join ',' |
            Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d,crsh005e,offl008h,live006f'
    }

    It '2. lists the runs with learning_rate above 0.01' {
        $answer = Invoke-TourCommand 2
        ($answer | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0003c,fail004d,crsh005e'
        ($answer | ForEach-Object { $_.learning_rate }) -join ',' | Should -Be '0.05,0.1,0.02'
    }

    It '3. finds the best run by accuracy (skipping the NaN of the failed run)' {
        $answer = Invoke-TourCommand 3
        $answer.Id | Should -Be 'fin0002b'
        $answer.Name | Should -BeExactly 'calm-forest-2'
        $answer.Summary.accuracy | Should -Be 0.95
    }

    It '4. counts the runs per state' {
        $answer = Invoke-TourCommand 4
        $counts = @{}
        foreach ($group in $answer) { $counts[$group.Name] = $group.Count }
        $counts['Finished'] | Should -Be 5
        $counts['Failed'] | Should -Be 1
        # crsh005e and live006f have no exit record and their records date from the 2026-11-20 snapshot: Crashed,
        # even though this copy of a fresh clone was written seconds ago.
        $counts['Crashed'] | Should -Be 2
        $counts.ContainsKey('Running') | Should -BeFalse
    }

    It '5. lists the runs created in the 3 days before the newest run, oldest first, on the snapshot''s dates' {
        $tour[5].Question | Should -Match 'newest run'
        $answer = Invoke-TourCommand 5
        ($answer | ForEach-Object { $_.Id }) -join ',' | Should -Be 'fin0003c,fail004d,crsh005e,offl008h,live006f'
    }

    It '6. finds the runs that ran over an hour' {
        $answer = Invoke-TourCommand 6
        # live006f ran 10 minutes by its own records: a fresh clone's new file times must not make it a long run.
        ($answer | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'resu007g,fin0002b'
        ($answer | Where-Object RunId -eq 'fin0002b').Runtime | Should -Be ([timespan]'01:15:00')
        # The resumed run spans two folders: 0:00-0:25 and 2:00-2:25 after its first start.
        ($answer | Where-Object RunId -eq 'resu007g').Runtime | Should -Be ([timespan]'02:25:00')
    }

    It '7. shows the input artifacts of a run' {
        $answer = Invoke-TourCommand 7
        $answer | Should -HaveCount 1
        $answer[0].Reference | Should -BeExactly 'mnist:v3'
        $answer[0].Name | Should -BeExactly 'mnist'
        $answer[0].Version | Should -BeExactly 'v3'
        $answer[0].Type | Should -BeExactly 'dataset'
        [System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String($answer[0].Id)) | Should -BeExactly 'Artifact:1001'
    }

    It '8. tells whether each finished run logged model:latest' {
        $answer = Invoke-TourCommand 8
        ($answer | ForEach-Object { $_.RunId + '=' + $_.LoggedModel }) -join ',' |
            Should -Be 'fin0001a=True,resu007g=False,fin0002b=True,fin0003c=False,offl008h=False'
    }
}

Describe 'README commands' {
    It 'never rewrite the committed samples' {
        $readmeText | Should -Not -Match 'write-samples\s+samples/'
    }

    It 'leave the committed samples as they are (the tour above ran on a copy)' -Skip:(-not (Test-Path (Join-Path $repoRoot '.git'))) {
        (git -C $WandbRunOpsRepoRoot status --porcelain -- samples/wandb) | Should -BeNullOrEmpty
    }

    It 'has dotnet run commands to check' {
        $readmeText | Should -Match 'dotnet run --project tests/WandbRunOps.FakeWandb'
    }

    It 'build what they run in Release, as the build does, not a second Debug copy: <Line>' -TestCases @(
        foreach ($line in $dotnetRunLines) { @{ Line = $line } }
    ) {
        $Line | Should -Match '\s-c Release\s'
    }
}

Describe 'README "Changing runs", verbatim, against the loopback server and a copy of the samples' {
    BeforeAll {
        $block = [regex]::Match($readmeText, '<!-- changing -->\s*```powershell\n(?<body>.*?)```', 'Singleline')
        if (-not $block.Success) { throw 'README.md has no "changing" block' }
        $script:changing = @($block.Groups['body'].Value -split "`n" | Where-Object { $_.Trim() -and -not $_.StartsWith('#') })

        # The API commands run against the loopback server serving one copy; the local one in another copy.
        $script:served = Join-Path $TestDrive 'served'
        $script:local = Join-Path $TestDrive 'local'
        foreach ($folder in $served, $local) {
            $null = New-Item -ItemType Directory -Path $folder
            Copy-Item -LiteralPath (Join-Path $WandbRunOpsRepoRoot 'samples/wandb') -Destination $folder -Recurse
        }
        $script:server = Start-FakeWandb -WandbFolder (Join-Path $served 'wandb')
        $script:savedEnvironment = @{ WANDB_BASE_URL = $env:WANDB_BASE_URL; WANDB_API_KEY = $env:WANDB_API_KEY }
        $env:WANDB_BASE_URL = $server.Url
        $env:WANDB_API_KEY = $server.ApiKey

        function script:Get-Mutations {
            # Invoke-RestMethod writes the JSON array as one object: unroll it before filtering.
            @((Invoke-RestMethod -Uri "$($server.Url)/_fake/requests") | ForEach-Object { $_ } | Where-Object { $_.isMutation -eq $true })
        }

        function script:Invoke-ReadmeCommand([string] $Command) {
            $output = @(& ([scriptblock]::Create($Command)) 2>&1)
            $failed = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            if ($failed.Count -gt 0) { throw "${Command}: $($failed[0])" }
            , $output
        }
    }

    AfterAll {
        Stop-FakeWandb -Server $server
        $env:WANDB_BASE_URL = $savedEnvironment.WANDB_BASE_URL
        $env:WANDB_API_KEY = $savedEnvironment.WANDB_API_KEY
    }

    It 'has three commands: Set-WandbRun, then Remove-WandbRun -WhatIf twice' {
        $changing | Should -HaveCount 3
        $changing[0] | Should -Match '\| Set-WandbRun -AddTag release-candidate$'
        $changing[1] | Should -Match '\| Remove-WandbRun -WhatIf$'
        $changing[2] | Should -Match '\| Remove-WandbRun -WhatIf$'
    }

    It '1. tags the best finished run of sweep swp01 (fin0002b), keeping its tags, and only that run' {
        $null = Invoke-RestMethod -Method Delete -Uri "$($server.Url)/_fake/requests"
        $null = Invoke-ReadmeCommand $changing[0]
        $mutations = @(Get-Mutations)
        $mutations | Should -HaveCount 1
        $mutations[0].operationName | Should -Be 'UpsertBucket'
        $runs = Get-WandbRun -Project acme-ml/mnist-sweep
        ($runs | Where-Object { $_.Tags -contains 'release-candidate' }).Id | Should -Be 'fin0002b'
        ($runs | Where-Object Id -eq 'fin0002b').Tags -join ',' | Should -Be 'sweep,best,release-candidate'
    }

    It '2. sends no change with -WhatIf, and without it deletes no crashed run that lasted a minute or more' {
        $null = Invoke-RestMethod -Method Delete -Uri "$($server.Url)/_fake/requests"
        $null = Invoke-ReadmeCommand $changing[1]
        @(Get-Mutations) | Should -HaveCount 0
        # crsh005e crashed after 20 minutes: the real call leaves it.
        $null = Invoke-ReadmeCommand ($changing[1] -replace '-WhatIf$', '-Confirm:$false')
        @(Get-Mutations) | Should -HaveCount 0
        (Get-WandbRun -Project acme-ml/mnist-sweep -Id crsh005e).State | Should -Be 'Crashed'
    }

    It '3. removes nothing with -WhatIf; the real call removes the synced run folders older than a week, and keeps the unsynced offline run' {
        Push-Location -LiteralPath $local
        try {
            $before = @(Get-ChildItem -LiteralPath (Join-Path $local 'wandb') -Directory).Name
            $null = Invoke-ReadmeCommand $changing[2]
            @(Get-ChildItem -LiteralPath (Join-Path $local 'wandb') -Directory).Name | Should -Be $before

            # The committed samples date from 2026-11-20: every run is older than a week, and all but the offline run are synced.
            $null = Invoke-ReadmeCommand ($changing[2] -replace '-WhatIf$', '-Confirm:$false')
            @(Get-ChildItem -LiteralPath (Join-Path $local 'wandb') -Directory).Name | Should -Be @($before | Where-Object { $_ -like 'offline-run-*' })
        }
        finally {
            Pop-Location
        }
    }
}
