# Get-ConfigDrift.ps1 against the sample runs (samples/README.md, tests/WandbRunOps.Testing/SampleRunBuilder.cs):
# every run has batch_size 64, epochs 10, optimizer {name adam, beta1 0.9}, architecture cnn-small and data.augment
# true, except that offl008h removed architecture and resu007g ran 5 epochs before its resume and 10 after (so it
# ends like the others). Only learning_rate differs: fin0001a and offl008h 0.001, fin0002b 0.01, fin0003c 0.05,
# fail004d 0.1, crsh005e 0.02, live006f 0.005, resu007g 0.003. Against the baseline fin0001a, then, six runs drifted
# in learning_rate and offl008h in architecture. The same questions are asked of the local folders and of the
# loopback W&B server serving them, with the same answers.
#
# The pattern to copy for a runbook of your own: fresh samples with New-SampleRuns, the loopback server with
# Start-FakeWandb, one Describe per source, and concrete answers taken from the samples.

BeforeAll {
    . (Join-Path (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'tests') 'common.ps1')
    $script:runbook = Join-Path $PSScriptRoot 'Get-ConfigDrift.ps1'
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:server = Start-FakeWandb -WandbFolder $wandb -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:sources = @{
        Local = @{ Path = $wandb }
        Api   = @{ Project = $server.Project; Entity = $server.Entity; BaseUrl = $server.Url; ApiKey = $server.Key }
    }

    # "runId=key1+key2,..." in run id order: crsh005e and offl008h were created at the same second, so the newest-first
    # order does not decide between them.
    function ConvertTo-DriftText {
        param([object[]] $Report)
        (@($Report | Sort-Object RunId | ForEach-Object { $_.RunId + '=' + ($_.DriftedKeys -join '+') })) -join ','
    }
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Get-ConfigDrift (<Source>)' -ForEach @(
    @{ Source = 'Local' }
    @{ Source = 'Api' }
) {
    BeforeAll {
        $from = $sources[$Source]
    }

    It 'reports the drifted keys of each of the latest runs against fin0001a' {
        $report = @(& $runbook @from -BaselineId fin0001a)
        ConvertTo-DriftText $report |
            Should -BeExactly 'crsh005e=learning_rate,fail004d=learning_rate,fin0002b=learning_rate,fin0003c=learning_rate,live006f=learning_rate,offl008h=architecture,resu007g=learning_rate'
    }

    It 'lists the newest run first and the oldest last, and leaves the baseline out' {
        $report = @(& $runbook @from -BaselineId fin0001a)
        $report | Should -HaveCount 7
        $report[0].RunId | Should -BeExactly 'live006f'
        $report[6].RunId | Should -BeExactly 'resu007g'
        ($report | ForEach-Object { $_.RunId }) | Should -Not -Contain 'fin0001a'
        ($report | ForEach-Object { $_.BaselineId } | Select-Object -Unique) | Should -BeExactly 'fin0001a'
        foreach ($row in $report) { $row.Drifted | Should -BeTrue }
    }

    It 'shows the changed value, and a key the run removed' {
        $report = @(& $runbook @from -BaselineId fin0001a)
        $changed = $report | Where-Object { $_.RunId -eq 'fin0002b' }
        $changed.Drift | Should -BeExactly 'learning_rate: 0.001 -> 0.01'
        $changed.Differences[0].SideIndicator | Should -BeExactly '<>'
        $removed = $report | Where-Object { $_.RunId -eq 'offl008h' }
        $removed.Drift | Should -BeExactly "architecture: 'cnn-small' -> (none)"
        $removed.Differences[0].SideIndicator | Should -BeExactly '<='
    }

    It 'does not report epochs for the resumed run, which ended with 10 epochs like the baseline' {
        $resumed = & $runbook @from -BaselineId fin0001a | Where-Object { $_.RunId -eq 'resu007g' }
        $resumed.DriftedKeys | Should -Not -Contain 'epochs'
        $resumed.Drift | Should -BeExactly 'learning_rate: 0.001 -> 0.003'
    }

    It 'compares only the latest -Last runs' {
        $report = @(& $runbook @from -BaselineId fin0001a -Last 1)
        ($report | ForEach-Object { $_.RunId }) -join ',' | Should -BeExactly 'live006f'
        $report[0].Drift | Should -BeExactly 'learning_rate: 0.001 -> 0.005'
    }

    It 'ignores the keys -IgnoreKey names, wildcards allowed' {
        $report = @(& $runbook @from -BaselineId fin0001a -IgnoreKey 'learning*')
        ConvertTo-DriftText $report | Should -BeExactly 'offl008h=architecture'
    }

    It 'reports nothing when every drifted key is ignored, and every run as unchanged with -IncludeUnchanged' {
        @(& $runbook @from -BaselineId fin0001a -IgnoreKey learning_rate, 'arch*') | Should -HaveCount 0
        $all = @(& $runbook @from -BaselineId fin0001a -IgnoreKey learning_rate, 'arch*' -IncludeUnchanged)
        $all | Should -HaveCount 7
        foreach ($row in $all) {
            $row.Drifted | Should -BeFalse
            $row.DriftedKeys | Should -HaveCount 0
            $row.Drift | Should -BeExactly ''
        }
    }

    It 'shows a key only the runs have when the baseline lacks it (baseline offl008h)' {
        $report = @(& $runbook @from -BaselineId offl008h -IgnoreKey learning_rate)
        ConvertTo-DriftText $report |
            Should -BeExactly 'crsh005e=architecture,fail004d=architecture,fin0001a=architecture,fin0002b=architecture,fin0003c=architecture,live006f=architecture,resu007g=architecture'
        ($report | Where-Object { $_.RunId -eq 'fin0001a' }).Drift | Should -BeExactly "architecture: (none) -> 'cnn-small'"
        ($report | ForEach-Object { $_.Differences } | ForEach-Object { $_.SideIndicator } | Select-Object -Unique) | Should -BeExactly '=>'
    }

    It 'fails with WandbRunNotFound for a baseline that does not exist' {
        { & $runbook @from -BaselineId nope0000 } | Should -Throw -ErrorId 'WandbRunNotFound*'
    }
}

Describe 'Get-ConfigDrift on both sources' {
    It 'gives the same drift from the local folders and from the W&B API' {
        $localSource = $sources['Local']
        $apiSource = $sources['Api']
        $local = @(& $runbook @localSource -BaselineId fin0001a | ForEach-Object { $_.RunId + ' ' + $_.Drift })
        $remote = @(& $runbook @apiSource -BaselineId fin0001a | ForEach-Object { $_.RunId + ' ' + $_.Drift })
        $local | Should -HaveCount 7
        ($remote | Sort-Object) -join "`n" | Should -BeExactly (($local | Sort-Object) -join "`n")
    }
}
