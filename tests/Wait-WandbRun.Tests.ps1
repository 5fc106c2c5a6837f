# Wait-WandbRun as a CI job uses it: fresh sample runs (live006f is being written "now"), ended meanwhile by another
# process, the way a training job ends: locally by the exit record the SDK appends to the log (the project's sample
# writer appends it), over the API by the run's state changing on the loopback server (updateRunState, as W&B's own
# client sends it).

BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/RunChanges.ps1
    $script:testing = Join-Path (Join-Path (Join-Path (Join-Path (Join-Path $PSScriptRoot 'WandbRunOps.Testing') 'bin') 'Release') 'net10.0') 'WandbRunOps.Testing.dll'

    # The samples are written once; each test that ends or removes live006f works on its own copy (a copy is written
    # now, so live006f reads as Running in every copy).
    $script:samples = New-SampleRuns -Path (Join-Path $TestDrive 'samples')

    function script:New-LiveRuns {
        $copy = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $copy
        Copy-Item -LiteralPath $samples -Destination $copy -Recurse
        Join-Path $copy 'wandb'
    }

    function script:Get-LiveLog {
        param([string] $Wandb)
        (Get-ChildItem -LiteralPath $Wandb -Recurse -Filter 'run-live006f.wandb').FullName
    }

    function script:Start-Later {
        # Runs -Script in another process -Seconds after that process has started, as a training job ends on its own
        # while the wait goes on. Returns once the process is up, so a slow start does not shift the -Seconds.
        param([double] $Seconds, [scriptblock] $Script, [object[]] $ArgumentList = @())
        $job = Start-Job -ScriptBlock { param($delay, $body, $rest) 'started'; Start-Sleep -Seconds $delay; & ([scriptblock]::Create($body)) @rest } -ArgumentList $Seconds, $Script.ToString(), $ArgumentList
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not $job.ChildJobs[0].Output.Count -and $job.State -in 'NotStarted', 'Running' -and $clock.Elapsed.TotalSeconds -lt 120) { Start-Sleep -Milliseconds 50 }
        $job
    }
}

Describe 'Wait-WandbRun on local run folders' {
    It 'outputs runs that have already ended at once, freshly read, as WandbRun objects' {
        $wandb = New-LiveRuns
        $runs = @(Get-WandbRun -Path $wandb -Id fin0001a, fail004d | Wait-WandbRun)
        $runs.Id | Should -Be @('fin0001a', 'fail004d')
        $runs[0] | Should -BeOfType ([WandbRunOps.Model.WandbRun])
        $runs.State | Should -Be @('Finished', 'Failed')
    }

    It 'outputs a running run once the SDK writes its exit record, with its final state and exit code' {
        $wandb = New-LiveRuns
        $log = Get-LiveLog $wandb
        (Get-WandbRun -Path $wandb -Id live006f).State | Should -Be 'Running'
        $job = Start-Later -Seconds 2 -Script { param($dll, $file) & dotnet $dll end-run $file 3 } -ArgumentList $testing, $log
        try {
            $ended = @(Get-WandbRun -Path $wandb -Id live006f, fin0001a | Wait-WandbRun -TimeoutSec 120 -ErrorVariable problems)
        }
        finally { $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop | Out-Null }
        $problems | Should -BeNullOrEmpty
        # In the order they ended: fin0001a at the first read, live006f once its log ended.
        $ended.Id | Should -Be @('fin0001a', 'live006f')
        $ended[1].State | Should -Be 'Failed'
        $ended[1].ExitCode | Should -Be 3
    }

    It 'ends with a WandbWaitTimeout per run still running, and outputs that run as it stands' {
        $wandb = New-LiveRuns
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $out = @(Wait-WandbRun -Path $wandb -Id live006f -TimeoutSec 2 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2
        $out.Id | Should -Be 'live006f'
        $out.State | Should -Be 'Running'
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WandbWaitTimeout,*'
        $problems[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $problems[0].TargetObject | Should -Be (Split-Path -Parent (Get-LiveLog $wandb))
        "$($problems[0])" | Should -BeLike '*still Running when the wait''s 2-second time-out passed*'
    }

    It 'stops the script at the time-out with -ErrorAction Stop, as a CI step wants' {
        $wandb = New-LiveRuns
        { Wait-WandbRun -Path $wandb -Id live006f -TimeoutSec 1 -ErrorAction Stop } | Should -Throw -ErrorId 'WandbWaitTimeout,WandbRunOps.Commands.WaitWandbRunCommand'
    }

    It 'reports a run whose folder is removed while it is waited on, and still waits for the others' {
        $wandb = New-LiveRuns
        $folder = Split-Path -Parent (Get-LiveLog $wandb)
        $job = Start-Later -Seconds 2 -Script { param($path) Remove-Item -LiteralPath $path -Recurse -Force } -ArgumentList $folder
        try {
            $out = @(Get-WandbRun -Path $wandb -Id live006f, crsh005e | Wait-WandbRun -TimeoutSec 60 -ErrorVariable problems -ErrorAction SilentlyContinue)
        }
        finally { $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop | Out-Null }
        $out.Id | Should -Be 'crsh005e'
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WandbPathNotFound,*'
        $problems[0].TargetObject | Should -Be $folder
    }

    It 'reports a run whose log is removed while it is waited on, rather than reading what is left of it as a crash' {
        $wandb = New-LiveRuns
        $log = Get-LiveLog $wandb
        $folder = Split-Path -Parent $log
        $job = Start-Later -Seconds 2 -Script { param($path) Remove-Item -LiteralPath $path -Force } -ArgumentList $log
        try {
            $out = @(Wait-WandbRun -Path $wandb -Id live006f -TimeoutSec 60 -ErrorVariable problems -ErrorAction SilentlyContinue)
        }
        finally { $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop | Out-Null }
        $out | Should -HaveCount 0
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WandbPathNotFound,*'
        $problems[0].TargetObject | Should -Be $folder
        "$($problems[0])" | Should -BeLike "*run log of run 'live006f'*removed while it was waited on*"
    }

    It 'explains each poll with -Verbose' {
        $wandb = New-LiveRuns
        $verbose = Wait-WandbRun -Path $wandb -Id live006f -TimeoutSec 2 -Verbose -ErrorAction SilentlyContinue 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose | Where-Object { "$_" -eq 'Checked 1 run(s) of local folders: 0 ended, 1 still running; next check in 1 s.' }).Count | Should -BeGreaterOrEqual 2
    }

    It 'stops at once on Ctrl+C in the middle of a long wait' {
        $wandb = New-LiveRuns
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$WandbRunOpsManifest'; Wait-WandbRun -Path '$wandb' -Id live006f -PollIntervalSec 600")
            $running = $shell.BeginInvoke()
            Start-Sleep -Seconds 2
            $running.IsCompleted | Should -BeFalse
            $stopClock = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $stopClock.Elapsed.TotalSeconds | Should -BeLessThan 1
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $shell.Dispose() }
    }

    It 'refuses a poll interval of 0 before waiting' {
        { Wait-WandbRun -Path (New-LiveRuns) -PollIntervalSec 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,WandbRunOps.Commands.WaitWandbRunCommand'
    }
}

Describe 'Wait-WandbRun on API runs' {
    BeforeAll {
        Start-ChangeServer -WandbFolder $samples

        function script:Set-StateBehindOurBack {
            param([string] $RunId, [string] $State)
            $null = Invoke-FakeGraphQL -Query 'mutation($input: UpdateRunStateInput!) { updateRunState(input: $input) { success } }' -Variables @{ input = @{ id = (Get-StorageId $RunId); state = $State } }
        }

        function script:Start-EndLater {
            # Another W&B client (the training process) ending runs on the server after -Seconds.
            param([double] $Seconds, [string[]] $RunId, [string] $State = 'finished')
            $ids = @($RunId | ForEach-Object { Get-StorageId $_ })
            Start-Later -Seconds $Seconds -ArgumentList "$url/graphql", $server.ApiKey, $ids, $State -Script {
                param($endpoint, $key, $ids, $state)
                $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('api:' + $key))
                foreach ($id in $ids) {
                    $body = @{ query = 'mutation($input: UpdateRunStateInput!) { updateRunState(input: $input) { success } }'; variables = @{ input = @{ id = $id; state = $state } } } | ConvertTo-Json -Depth 5 -Compress
                    $null = Invoke-RestMethod -Method Post -Uri $endpoint -Headers @{ Authorization = "Basic $basic" } -ContentType 'application/json' -Body $body
                }
            }
        }
    }

    AfterAll {
        Stop-FakeWandb -Server $server
    }

    It 'waits for runs ended by the training process, with one request per poll for all of them' {
        $runs = Add-FakeRun -Id waitapi1, waitapi2, waitapi3
        foreach ($id in $runs.Id) { Set-StateBehindOurBack -RunId $id -State running }
        $job = Start-EndLater -Seconds 2 -RunId waitapi2, waitapi3 -State failed
        $waited = Get-WandbRun @api -Id waitapi1, waitapi2, waitapi3
        Clear-FakeRequests
        try {
            $ended = @($waited | Wait-WandbRun -PollIntervalSec 1 -TimeoutSec 14 -ErrorVariable problems -ErrorAction SilentlyContinue)
        }
        finally { $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop | Out-Null }

        # waitapi2 and 3 came out when they ended, waitapi1 at the time-out, as it stood.
        $ended.Id | Should -Be @('waitapi2', 'waitapi3', 'waitapi1')
        $ended.State | Should -Be @('Failed', 'Failed', 'Running')
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WandbWaitTimeout,*'
        $problems[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/waitapi1'
        # Every request was a poll of all the runs still waited on; at most one every 5 s (the floor, not the 1 s asked
        # for): polls at 0, 5 and 10 s within the 14 s.
        $reads = @(Get-FakeRequests | Where-Object { -not $_.isMutation }) # the mutations are the training process's
        $reads.Count | Should -BeIn 2, 3
        $reads.operationName | Sort-Object -Unique | Should -Be 'Runs'
        $reads[0].variablesJson | Should -BeLike '*waitapi1*waitapi2*waitapi3*'
    }

    It 'reports a run deleted while it is waited on as WandbRunNotFound and goes on with the others' {
        $runs = Add-FakeRun -Id gonewt01, gonewt02
        foreach ($id in $runs.Id) { Set-StateBehindOurBack -RunId $id -State running }
        $storage = Get-StorageId gonewt01
        $job = Start-Later -Seconds 2 -ArgumentList "$url/graphql", $server.ApiKey, $storage -Script {
            param($endpoint, $key, $id)
            $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('api:' + $key))
            $body = @{ query = 'mutation($input: DeleteRunInput!) { deleteRun(input: $input) { clientMutationId } }'; variables = @{ input = @{ id = $id } } } | ConvertTo-Json -Depth 5 -Compress
            $null = Invoke-RestMethod -Method Post -Uri $endpoint -Headers @{ Authorization = "Basic $basic" } -ContentType 'application/json' -Body $body
        }
        $end = Start-EndLater -Seconds 7 -RunId gonewt02
        try {
            $out = @(Wait-WandbRun @api -Id gonewt01, gonewt02 -TimeoutSec 60 -ErrorVariable problems -ErrorAction SilentlyContinue)
        }
        finally { $job, $end | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop | Out-Null }
        $out.Id | Should -Be 'gonewt02'
        $out.State | Should -Be 'Finished'
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        $problems[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/gonewt01'
    }

    It 'says under -Verbose that it polls W&B no more often than every 5 seconds' {
        $null = Add-FakeRun -Id floorwt1
        Set-StateBehindOurBack -RunId floorwt1 -State running
        $verbose = Wait-WandbRun @api -Id floorwt1 -PollIntervalSec 1 -TimeoutSec 1 -Verbose -ErrorAction SilentlyContinue 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose | Where-Object { "$_" -eq 'Checked 1 run(s) of acme-ml/mnist-sweep: 0 ended, 1 still running; next check in 5 s.' }) | Should -HaveCount 1
    }
}
