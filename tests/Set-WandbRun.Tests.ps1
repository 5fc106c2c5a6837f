# Set-WandbRun as a user sees it, against the project's loopback W&B server (its request log and faults reached over
# HTTP) and against local run folders, which refuse every change and are left byte for byte as they were.

BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/RunChanges.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    Start-ChangeServer -WandbFolder $wandb
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Set-WandbRun changes API runs' {
    BeforeEach {
        $null = Invoke-FakeAdmin -Method Delete -Path '/_fake/faults'
    }

    It 'adds and removes tags on a fresh read: a tag another client set meanwhile survives' {
        $run = Get-WandbRun @api -Id fin0002b
        $run.Tags | Should -Be @('sweep', 'best')
        Set-TagsBehindOurBack -RunId fin0002b -Tag sweep, best, reviewed
        $run | Set-WandbRun -AddTag gate -RemoveTag best -Confirm:$false
        (Get-ServerRun fin0002b).tags | Should -Be @('sweep', 'reviewed', 'gate')
        (Get-WandbRun @api -Id fin0002b).Tags | Should -Be @('sweep', 'reviewed', 'gate')
    }

    It 'replaces the whole list with -Tag' {
        Set-WandbRun @api -Id fin0003c -Tag one, two
        (Get-ServerRun fin0003c).tags | Should -Be @('one', 'two')
        Set-WandbRun @api -Id fin0003c -Tag @()
        @((Get-ServerRun fin0003c).tags) | Should -HaveCount 0
    }

    It 'sets notes, name, group and job type, and -PassThru emits the run as the server has it' {
        $out = @(Get-WandbRun @api -Id fail004d | Set-WandbRun -Notes 'ticket OPS-12' -Name renamed-4 -Group grp -JobType eval -PassThru)
        $out | Should -HaveCount 1
        $out[0] | Should -BeOfType WandbRunOps.Model.WandbRun
        $out[0].Source | Should -Be 'Api'
        $out[0].Notes | Should -Be 'ticket OPS-12'
        $out[0].Name | Should -Be 'renamed-4'
        $out[0].Group | Should -Be 'grp'
        $out[0].JobType | Should -Be 'eval'
        $stored = Get-ServerRun fail004d
        $stored.notes, $stored.displayName, $stored.group, $stored.jobType | Should -Be @('ticket OPS-12', 'renamed-4', 'grp', 'eval')
        # Without -PassThru nothing is emitted.
        Set-WandbRun @api -Id fail004d -Notes 'again' | Should -BeNullOrEmpty
    }

    It 'merges -Config key by key: $null removes a key, other keys and their descriptions stay' {
        $before = Get-WandbRun @api -Id fin0001a | Get-RunConfig
        $before.epochs | Should -Not -BeNullOrEmpty
        Set-WandbRun @api -Id fin0001a -Config @{ learning_rate = 0.5; epochs = $null; extra = @{ depth = 3; kind = 'x' } }
        $after = Get-WandbRun @api -Id fin0001a | Get-RunConfig
        $after.learning_rate | Should -Be 0.5
        $after.PSObject.Properties.Name | Should -Not -Contain 'epochs'
        $after.batch_size | Should -Be $before.batch_size
        $after.extra.depth | Should -Be 3
        $stored = (Get-ServerRun fin0001a).configJson | ConvertFrom-Json -AsHashtable
        $stored.ContainsKey('epochs') | Should -BeFalse
        $stored.learning_rate.value | Should -Be 0.5
        $stored.batch_size.ContainsKey('desc') | Should -BeTrue
    }

    It 'takes runs by -Id/-Project/-Entity, and rows of Get-RunSummary and Get-RunConfig from the pipeline' {
        $connection = @{ BaseUrl = $url; ApiKey = $server.Key }
        Set-WandbRun -Id crsh005e -Project mnist-sweep -Entity acme-ml @connection -AddTag by-id
        Get-WandbRun @api -Id crsh005e | Get-RunSummary | Set-WandbRun @connection -AddTag by-summary
        Get-WandbRun @api -Id crsh005e | Get-RunConfig | Set-WandbRun @connection -AddTag by-config
        $passed = @(Get-WandbRun @api -Id crsh005e, offl008h | Set-WandbRun -AddTag by-pipe -PassThru)
        $passed.Id | Should -Be @('crsh005e', 'offl008h')
        (Get-ServerRun crsh005e).tags | Should -Be @('by-id', 'by-summary', 'by-config', 'by-pipe')
    }

    It 'sends nothing for a run that already is as asked' {
        Clear-FakeRequests
        Set-WandbRun @api -Id fin0002b -AddTag sweep
        Get-FakeMutations | Should -HaveCount 0
    }
}

Describe 'Set-WandbRun -WhatIf and -Confirm' {
    It 'prints per run the run and the exact change, and the server sees zero mutations' {
        Set-TagsBehindOurBack -RunId fin0001a -Tag baseline
        Clear-FakeRequests
        $shown = Invoke-UserShell -Script @'
Get-WandbRun @api -Id fin0001a, fin0003c | Set-WandbRun -AddTag gate -Notes 'T-1' -WhatIf
'@
        $whatIf = @($shown | Where-Object { $_ -like 'What if:*' })
        $notes = (Get-ServerRun fin0003c).notes
        $was = if ($notes) { "'$notes'" } else { '(none)' }
        $tags = (Get-ServerRun fin0003c).tags
        $whatIf | Should -Be @(
            'What if: Performing the operation "Set tags [baseline] -> [baseline, gate]; notes (none) -> ''T-1''" on target "acme-ml/mnist-sweep/fin0001a (brisk-river-1)".'
            ('What if: Performing the operation "Set tags [{0}] -> [{1}]; notes {2} -> ''T-1''" on target "acme-ml/mnist-sweep/fin0003c (dry-meadow-3)".' -f ($tags -join ', '), ((@($tags) + 'gate') -join ', '), $was)
        )
        @(Get-FakeRequests) | Should -Not -HaveCount 0
        Get-FakeMutations | Should -HaveCount 0
        (Get-ServerRun fin0001a).tags | Should -Be @('baseline')
    }

    It 'is ConfirmImpact Medium: it does not ask by default, and asks with PowerShell''s own choices under -Confirm' {
        (Get-Command Set-WandbRun).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0].ConfirmImpact | Should -Be 'Medium'
        Clear-FakeRequests
        # "No" for the first run, "Yes" for the second.
        $shown = Invoke-UserShell -Answer 'N', 'Y' -Script 'Get-WandbRun @api -Id fin0001a, fin0003c | Set-WandbRun -AddTag asked -Confirm'
        $text = ($shown -join ' ') -replace '\s+', ' '
        $text | Should -BeLike '*Are you sure you want to perform this action? Performing the operation "Set tags * -> *asked]" on target "acme-ml/mnist-sweep/fin0001a (brisk-river-1)".*'
        $text | Should -BeLike '*`[Y`] Yes `[A`] Yes to All `[N`] No `[L`] No to All `[S`] Suspend*'
        (Get-ServerRun fin0001a).tags | Should -Not -Contain 'asked'
        (Get-ServerRun fin0003c).tags | Should -Contain 'asked'
        Get-FakeMutations | Should -HaveCount 1
        # -Confirm:$false under $ConfirmPreference = 'Low' asks nothing.
        $ConfirmPreference = 'Low'
        Set-WandbRun @api -Id fin0001a -AddTag unasked -Confirm:$false
        (Get-ServerRun fin0001a).tags | Should -Contain 'unasked'
    }
}

Describe 'Set-WandbRun over many runs under failure' {
    BeforeEach {
        $null = Invoke-FakeAdmin -Method Delete -Path '/_fake/faults'
    }

    It 'goes on past a run deleted meanwhile and a refused one, reporting each in input order' {
        $runs = Add-FakeRun -Id bulk0001, bulk0002, bulk0003, bulk0004, bulk0005, bulk0006
        $runs | Should -HaveCount 6
        Remove-RunBehindOurBack bulk0002
        Add-FakeFault @{ kind = 'status'; status = 403; body = '{"errors":[{"message":"permission denied"}]}'; mutationsOnly = $true; variablesContain = (Get-StorageId bulk0004) }
        $seen = @($runs | Set-WandbRun -AddTag bulk -PassThru -ErrorAction Continue -ErrorVariable failed 2>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { 'error ' + $_.TargetObject } else { $_.Id } })
        $seen | Should -Be @('bulk0001', 'error acme-ml/mnist-sweep/bulk0002', 'bulk0003', 'error acme-ml/mnist-sweep/bulk0004', 'bulk0005', 'bulk0006')
        $failed | Should -HaveCount 2
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        $failed[0].Exception.Message | Should -BeLike '*bulk0002*'
        $failed[1].FullyQualifiedErrorId | Should -BeLike 'WandbPermissionDenied,*'
        $failed[1].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failed[1].Exception.Message | Should -BeLike '*acme-ml/mnist-sweep/bulk0004 (name-bulk0004)*'
        foreach ($id in 'bulk0001', 'bulk0003', 'bulk0005', 'bulk0006') { (Get-ServerRun $id).tags | Should -Be @('bulk') }
        @((Get-ServerRun bulk0004).tags) | Should -HaveCount 0
    }

    It 'stops at the first error with -ErrorAction Stop, changing no run after it' {
        $runs = Add-FakeRun -Id stop0001, stop0002, stop0003, stop0004, stop0005, stop0006
        Remove-RunBehindOurBack stop0002
        Clear-FakeRequests
        $caught = $null
        try { $runs | Set-WandbRun -AddTag stopped-here -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        $caught.TargetObject | Should -Be 'acme-ml/mnist-sweep/stop0002'
        (Get-ServerRun stop0001).tags | Should -Be @('stopped-here')
        foreach ($id in 'stop0003', 'stop0004', 'stop0005', 'stop0006') { @((Get-ServerRun $id).tags) | Should -HaveCount 0 -Because "$id comes after the failed run" }
        Get-FakeMutations | Should -HaveCount 1
    }

    It 'leaves an added tag once when the answer to its change was lost and the change retried' {
        $run = Add-FakeRun -Id lost0001 -Tag keep
        Clear-FakeRequests
        Add-FakeFault @{ kind = 'lost-answer'; mutationsOnly = $true }
        $out = $run | Set-WandbRun -AddTag once -PassThru -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $out.Tags | Should -Be @('keep', 'once')
        (Get-ServerRun lost0001).tags | Should -Be @('keep', 'once')
        Get-FakeMutations | Should -HaveCount 2 -Because 'the first attempt was applied and its answer lost, then retried'
    }

    It 'stops promptly on Ctrl+C over many runs at high latency, and sends nothing after' {
        $many = Add-FakeRun -Id (1..40 | ForEach-Object { 'ctrl{0:d4}' -f $_ })
        $null = Invoke-FakeAdmin -Method Post -Path '/_fake/latency' -Body @{ ms = 1500 }
        Clear-FakeRequests
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$WandbRunOpsManifest'; `$args[0] | Set-WandbRun -AddTag interrupted -Confirm:`$false").AddArgument($many)
            $running = $shell.BeginInvoke()
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while (@(Get-FakeRequests | Where-Object operationName -eq 'UpsertBucket').Count -eq 0 -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 50 }
            $running.IsCompleted | Should -BeFalse
            $stopClock = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $stopClock.Elapsed.TotalSeconds | Should -BeLessThan 1.5
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $shell.Dispose()
            $null = Invoke-FakeAdmin -Method Post -Path '/_fake/latency' -Body @{ ms = 0 }
        }
        $atStop = @(Get-FakeRequests).Count
        Start-Sleep -Milliseconds 2000
        @(Get-FakeRequests).Count | Should -Be $atStop -Because 'nothing is sent after the stop'
        @($many.Id | Where-Object { (Get-ServerRun $_).tags -contains 'interrupted' }).Count | Should -BeLessThan 10
    }
}

Describe 'Set-WandbRun refuses bad input before any request' {
    It 'refuses <Case> with WandbInvalidArgument, sending nothing and changing nothing' -TestCases @(
        @{ Case = '-Tag with -AddTag'; Script = { Get-WandbRun @api -Id fin0001a | Set-WandbRun -Tag a -AddTag b }; Message = '*-Tag*-AddTag*' }
        @{ Case = 'an empty tag'; Script = { Set-WandbRun @api -Id fin0001a -AddTag ok, '' }; Message = '*empty*' }
        @{ Case = 'a 65-character tag'; Script = { Set-WandbRun @api -Id fin0001a -AddTag ok, ('t' * 65) }; Message = "*'$('t' * 65)'*65 characters*64*" }
        @{ Case = 'a scriptblock in -Config'; Script = { Set-WandbRun @api -Id fin0001a -Notes x -Config @{ ok = 1; bad = { 1 } } }; Message = '*ScriptBlock*' }
        @{ Case = 'nothing to change'; Script = { Set-WandbRun @api -Id fin0001a }; Message = '*Nothing to change*' }
    ) {
        $tagsBefore = (Get-ServerRun fin0001a).tags
        Clear-FakeRequests
        $caught = $null
        try { & $Script } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
        $caught.Exception.Message | Should -BeLike $Message
        Get-FakeRequests | Should -HaveCount 0
        (Get-ServerRun fin0001a).tags | Should -Be $tagsBefore
    }
}

Describe 'Set-WandbRun on local runs' {
    It 'refuses each local run with WandbReadOnlySource and writes nothing' {
        $before = Get-FolderHashes $wandb
        $runs = @(Get-WandbRun -Path $wandb)
        $runs | Set-WandbRun -AddTag x -Notes y -Config @{ a = 1 } -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        $failed | Should -HaveCount $runs.Count
        foreach ($i in 0..($runs.Count - 1)) {
            $failed[$i].FullyQualifiedErrorId | Should -BeLike 'WandbReadOnlySource,*'
            $failed[$i].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $failed[$i].TargetObject | Should -Be $runs[$i].Path
        }
        Set-WandbRun -Path $wandb -Id fin0001a -Tag z -ErrorAction SilentlyContinue -ErrorVariable byId
        $byId[0].FullyQualifiedErrorId | Should -BeLike 'WandbReadOnlySource,*'
        Get-FolderHashes $wandb | Should -Be $before
    }
}
