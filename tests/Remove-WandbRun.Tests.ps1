# Remove-WandbRun as a user sees it: API runs deleted on the project's loopback W&B server (request log and faults
# over HTTP), and local run folders removed, every folder of a resumed run, never a running run, never an unsynced
# offline run unless -IncludeUnsynced. Synced on the run objects tells which is which.

BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/RunChanges.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    # The server reads its runs once, at start: removing local folders later leaves the API runs in place.
    Start-ChangeServer -WandbFolder $wandb
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Remove-WandbRun on API runs' {
    BeforeEach {
        $null = Invoke-FakeAdmin -Method Delete -Path '/_fake/faults'
    }

    It 'has Synced $null on API runs' {
        $runs = @(Get-WandbRun @api)
        $runs | Should -Not -HaveCount 0
        foreach ($run in $runs) { $run.Synced | Should -BeNullOrEmpty }
        $runs[0].PSObject.Properties.Name | Should -Contain 'Synced'
    }

    It 'prints per run the run and what goes under -WhatIf, and the server sees zero mutations' {
        Clear-FakeRequests
        $shown = Invoke-UserShell -Script @'
Get-WandbRun @api -Id fin0001a, crsh005e | Remove-WandbRun -WhatIf
Remove-WandbRun @api -Id fail004d -DeleteArtifacts -WhatIf
'@
        @($shown | Where-Object { $_ -like 'What if:*' }) | Should -Be @(
            'What if: Performing the operation "Remove: delete run (its artifacts are kept)" on target "acme-ml/mnist-sweep/fin0001a (brisk-river-1)".'
            'What if: Performing the operation "Remove: delete run (its artifacts are kept)" on target "acme-ml/mnist-sweep/crsh005e (lost-cloud-5)".'
            'What if: Performing the operation "Remove: delete run and the artifacts it logged" on target "acme-ml/mnist-sweep/fail004d (wild-storm-4)".'
        )
        Get-FakeRequests | Should -Not -HaveCount 0
        Get-FakeMutations | Should -HaveCount 0
        Get-ServerRun fin0001a | Should -Not -BeNullOrEmpty
    }

    It 'is ConfirmImpact High, so it asks by default with PowerShell''s own choices; "No" keeps the run' {
        (Get-Command Remove-WandbRun).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0].ConfirmImpact | Should -Be 'High'
        Clear-FakeRequests
        $shown = Invoke-UserShell -Answer 'N' -Script 'Remove-WandbRun @api -Id crsh005e'
        $text = ($shown -join ' ') -replace '\s+', ' '
        $text | Should -BeLike '*Are you sure you want to perform this action? Performing the operation "Remove: delete run (its artifacts are kept)" on target "acme-ml/mnist-sweep/crsh005e (lost-cloud-5)".*'
        $text | Should -BeLike '*`[Y`] Yes `[A`] Yes to All `[N`] No `[L`] No to All `[S`] Suspend*'
        Get-FakeMutations | Should -HaveCount 0
        Get-ServerRun crsh005e | Should -Not -BeNullOrEmpty
    }

    It 'deletes with -Confirm:$false, by pipeline and by -Id, emitting nothing' {
        $runs = Add-FakeRun -Id gone0001, gone0002
        $runs[0] | Remove-WandbRun -Confirm:$false | Should -BeNullOrEmpty
        Remove-WandbRun -Id gone0002 -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $server.Key -Confirm:$false
        Get-ServerRun gone0001 | Should -BeNullOrEmpty
        Get-ServerRun gone0002 | Should -BeNullOrEmpty
    }

    It 'goes on past a run deleted meanwhile and a refused one, reporting each in input order' {
        $runs = Add-FakeRun -Id drop0001, drop0002, drop0003, drop0004, drop0005, drop0006
        Remove-RunBehindOurBack drop0001
        Add-FakeFault @{ kind = 'status'; status = 403; body = '{"errors":[{"message":"permission denied"}]}'; mutationsOnly = $true; variablesContain = (Get-StorageId drop0004) }
        $errors = @($runs | Remove-WandbRun -Confirm:$false -ErrorAction Continue -ErrorVariable failed 2>&1)
        $errors | Should -HaveCount 2
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        $errors[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/drop0001'
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'WandbPermissionDenied,*'
        $errors[1].TargetObject | Should -Be 'acme-ml/mnist-sweep/drop0004'
        $errors[1].Exception.Message | Should -BeLike '*delete run acme-ml/mnist-sweep/drop0004 (name-drop0004)*'
        foreach ($id in 'drop0002', 'drop0003', 'drop0005', 'drop0006') { Get-ServerRun $id | Should -BeNullOrEmpty }
        Get-ServerRun drop0004 | Should -Not -BeNullOrEmpty
    }

    It 'reports a delete whose answer was lost as done, with no error' {
        $run = Add-FakeRun -Id lost0003
        Add-FakeFault @{ kind = 'lost-answer'; mutationsOnly = $true }
        $run | Remove-WandbRun -Confirm:$false -ErrorVariable failed -WarningVariable warned
        $failed | Should -BeNullOrEmpty
        $warned | Should -BeNullOrEmpty
        Get-ServerRun lost0003 | Should -BeNullOrEmpty
    }
}

Describe 'Remove-WandbRun on local runs' {
    It 'shows Synced on local runs: run-* folders are synced, an offline folder is not' {
        $runs = @(Get-WandbRun -Path $wandb)
        foreach ($run in $runs) {
            $expected = -not ((Split-Path -Leaf $run.Path) -like 'offline-run-*')
            $run.Synced | Should -Be $expected -Because $run.Path
        }
        ($runs | Where-Object Id -eq offl008h).Synced | Should -BeFalse
    }

    It 'prints per run what would go under -WhatIf, and removes nothing' {
        $before = Get-FolderHashes $wandb
        $shown = Invoke-UserShell -Script "Get-WandbRun -Path '$wandb' -Id resu007g, fin0002b | Remove-WandbRun -WhatIf"
        $folders = @(Get-WandbRun -Path $wandb -Id resu007g).Folders
        $folders | Should -HaveCount 2
        $lines = @($shown | Where-Object { $_ -like 'What if:*' })
        $lines | Should -HaveCount 2
        $lines[0] | Should -BeLike ('What if: Performing the operation "Remove: remove run folders {0}, {1} (* KB)" on target "resu007g (second-wind-7)".' -f $folders[0], $folders[1])
        $lines[1] | Should -BeLike ('What if: Performing the operation "Remove: remove run folder {0} (* KB)" on target "fin0002b (calm-forest-2)".' -f (Get-WandbRun -Path $wandb -Id fin0002b).Path)
        Get-FolderHashes $wandb | Should -Be $before
    }

    It 'removes every folder of a resumed run and nothing else' {
        $folders = @(Get-WandbRun -Path $wandb -Id resu007g).Folders
        $others = @(Get-ChildItem -LiteralPath $wandb -Directory | Where-Object FullName -notin $folders).FullName
        Get-WandbRun -Path $wandb -Id resu007g | Remove-WandbRun -Confirm:$false -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        foreach ($folder in $folders) { Test-Path -LiteralPath $folder | Should -BeFalse }
        foreach ($folder in $others) { Test-Path -LiteralPath $folder | Should -BeTrue }
        Get-WandbRun -Path $wandb -Id resu007g -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a Running run, naming it, and keeps its folder' {
        $live = Get-WandbRun -Path $wandb -Id live006f
        $live.State | Should -Be 'Running'
        $before = Get-FolderHashes $live.Path
        $live | Remove-WandbRun -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
        $failed[0].TargetObject | Should -Be $live.Path
        $failed[0].Exception.Message | Should -BeLike '*live006f*Running*'
        Get-FolderHashes $live.Path | Should -Be $before
    }

    It 'refuses the unsynced offline run unless -IncludeUnsynced, and removes it with it' {
        $offline = Get-WandbRun -Path $wandb -Id offl008h
        $offline | Remove-WandbRun -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
        $failed[0].TargetObject | Should -Be $offline.Path
        $failed[0].Exception.Message | Should -BeLike '*offl008h*never synced*-IncludeUnsynced*'
        Test-Path -LiteralPath $offline.Path | Should -BeTrue
        $offline | Remove-WandbRun -IncludeUnsynced -Confirm:$false -ErrorVariable again
        $again | Should -BeNullOrEmpty
        Test-Path -LiteralPath $offline.Path | Should -BeFalse
    }

    It 'counts an offline folder with its .synced marker as synced, and removes it without -IncludeUnsynced' {
        $copy = Join-Path $TestDrive 'synced/wandb'
        $null = New-Item -ItemType Directory -Path $copy -Force
        $fresh = New-SampleRuns -Path (Join-Path $TestDrive 'fresh')
        $source = Get-ChildItem -LiteralPath $fresh -Directory -Filter 'offline-run-*' | Select-Object -First 1
        Copy-Item -LiteralPath $source.FullName -Destination $copy -Recurse
        $folder = Join-Path $copy $source.Name
        (Get-WandbRun -Path $copy).Synced | Should -BeFalse
        $null = New-Item -ItemType File -Path (Join-Path $folder 'run-offl008h.wandb.synced')
        $run = Get-WandbRun -Path $copy
        $run.Synced | Should -BeTrue
        $run | Remove-WandbRun -Confirm:$false -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'removes by -Path and -Id, and leaves the API run of the same id alone' {
        $crashed = Get-WandbRun -Path $wandb -Id crsh005e
        Remove-WandbRun -Path $wandb -Id crsh005e -Confirm:$false
        Test-Path -LiteralPath $crashed.Path | Should -BeFalse
        Get-ServerRun crsh005e | Should -Not -BeNullOrEmpty
    }
}
