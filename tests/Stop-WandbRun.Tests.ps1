# Stop-WandbRun as a user sees it, against the project's loopback W&B server (request log and faults over HTTP) and
# against local run folders, which refuse a stop and are left byte for byte as they were.

BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/RunChanges.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    Start-ChangeServer -WandbFolder $wandb
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Stop-WandbRun on API runs' {
    BeforeEach {
        $null = Invoke-FakeAdmin -Method Delete -Path '/_fake/faults'
    }

    It 'is ConfirmImpact High, so it asks by default with PowerShell''s own choices; "No" sends nothing' {
        (Get-Command Stop-WandbRun).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0].ConfirmImpact | Should -Be 'High'
        Clear-FakeRequests
        $shown = Invoke-UserShell -Answer 'N' -Script 'Stop-WandbRun @api -Id live006f'
        $text = ($shown -join ' ') -replace '\s+', ' '
        $text | Should -BeLike '*Are you sure you want to perform this action? Performing the operation "Stop (state Running; the training process stops when it next polls W&B)" on target "acme-ml/mnist-sweep/live006f (eager-sun-6)".*'
        $text | Should -BeLike '*`[Y`] Yes `[A`] Yes to All `[N`] No `[L`] No to All `[S`] Suspend*'
        Get-FakeMutations | Should -HaveCount 0
        (Get-ServerRun live006f).stopped | Should -BeFalse
    }

    It '"Yes to All" stops every run piped in, asking once' {
        $runs = Add-FakeRun -Id yall0001, yall0002, yall0003
        $shown = Invoke-UserShell -Answer 'A' -Script 'Get-WandbRun @api -Id yall0001, yall0002, yall0003 | Stop-WandbRun'
        @($shown | Where-Object { $_ -like '*Are you sure*' }) | Should -HaveCount 1
        foreach ($id in $runs.Id) { (Get-ServerRun $id).stopped | Should -BeTrue }
    }

    It 'prints per run the run and the exact change under -WhatIf, and the server sees zero mutations' {
        Clear-FakeRequests
        $shown = Invoke-UserShell -Script 'Get-WandbRun @api -Id live006f, fin0001a | Stop-WandbRun -WhatIf'
        @($shown | Where-Object { $_ -like 'What if:*' }) | Should -Be @(
            'What if: Performing the operation "Stop (state Running; the training process stops when it next polls W&B)" on target "acme-ml/mnist-sweep/live006f (eager-sun-6)".'
            'What if: Performing the operation "Stop (state Finished; the training process stops when it next polls W&B)" on target "acme-ml/mnist-sweep/fin0001a (brisk-river-1)".'
        )
        Get-FakeRequests | Should -Not -HaveCount 0
        Get-FakeMutations | Should -HaveCount 0
        (Get-ServerRun live006f).stopped | Should -BeFalse
    }

    It 'stops a run with -Confirm:$false, by pipeline and by -Id, emitting nothing' {
        Get-WandbRun @api -Id live006f | Stop-WandbRun -Confirm:$false | Should -BeNullOrEmpty
        (Get-ServerRun live006f).stopped | Should -BeTrue
        Stop-WandbRun -Id crsh005e -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $server.Key -Confirm:$false
        (Get-ServerRun crsh005e).stopped | Should -BeTrue
        $mutations = Get-FakeMutations
        @($mutations | Where-Object operationName -eq 'StopRun') | Should -Not -HaveCount 0
    }

    It 'goes on past a run deleted meanwhile and a refused one, reporting each in input order' {
        $runs = Add-FakeRun -Id halt0001, halt0002, halt0003, halt0004, halt0005, halt0006
        Remove-RunBehindOurBack halt0003
        Add-FakeFault @{ kind = 'status'; status = 403; body = '{"errors":[{"message":"permission denied"}]}'; mutationsOnly = $true; variablesContain = (Get-StorageId halt0005) }
        $errors = @($runs | Stop-WandbRun -Confirm:$false -ErrorAction Continue -ErrorVariable failed 2>&1)
        $errors | Should -HaveCount 2
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        $errors[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/halt0003'
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'WandbPermissionDenied,*'
        $errors[1].TargetObject | Should -Be 'acme-ml/mnist-sweep/halt0005'
        $errors[1].Exception.Message | Should -BeLike '*stop run acme-ml/mnist-sweep/halt0005 (name-halt0005)*'
        foreach ($id in 'halt0001', 'halt0002', 'halt0004', 'halt0006') { (Get-ServerRun $id).stopped | Should -BeTrue }
        (Get-ServerRun halt0005).stopped | Should -BeFalse
    }

    It 'reports a stop whose answer was lost as done, once retried' {
        $run = Add-FakeRun -Id lost0002
        Clear-FakeRequests
        Add-FakeFault @{ kind = 'lost-answer'; mutationsOnly = $true }
        $run | Stop-WandbRun -Confirm:$false -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        (Get-ServerRun lost0002).stopped | Should -BeTrue
        Get-FakeMutations | Should -HaveCount 2
    }
}

Describe 'Stop-WandbRun on local runs' {
    It 'refuses each local run with WandbReadOnlySource and writes nothing' {
        $before = Get-FolderHashes $wandb
        $runs = @(Get-WandbRun -Path $wandb)
        $runs | Stop-WandbRun -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        $failed | Should -HaveCount $runs.Count
        foreach ($i in 0..($runs.Count - 1)) {
            $failed[$i].FullyQualifiedErrorId | Should -BeLike 'WandbReadOnlySource,*'
            $failed[$i].TargetObject | Should -Be $runs[$i].Path
            $failed[$i].Exception.Message | Should -BeLike "*'$($runs[$i].Id)'*"
        }
        Stop-WandbRun -Path $wandb -Id live006f -WhatIf -ErrorAction SilentlyContinue -ErrorVariable whatIf
        $whatIf[0].FullyQualifiedErrorId | Should -BeLike 'WandbReadOnlySource,*'
        Get-FolderHashes $wandb | Should -Be $before
    }
}
