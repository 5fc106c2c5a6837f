# Get-RunHistory: one object per logged step (_step, _runtime, _timestamp and one property per key), streamed,
# from local run folders and over the W&B API (the project's loopback server, started by this test).

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:rows = @(Get-WandbRun -Path $wandb -Id fin0001a | Get-RunHistory)
}

Describe 'Get-RunHistory' {
    Context '-Key' {
        It 'warns once, naming it, about a -Key without wildcards that no run logged' {
            $out = @(Get-WandbRun -Path $wandb -Id fin0001a, fin0002b | Get-RunHistory -Key nope, loss -WarningVariable warned -WarningAction SilentlyContinue)
            $out | Should -Not -BeNullOrEmpty
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "No run has the history key 'nope'.*"
            $null = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunHistory -Key LOSS, 'no*' -WarningVariable none -WarningAction SilentlyContinue
            $none | Should -BeNullOrEmpty
        }

        It 'says the step range in the warning when -MinStep or -MaxStep left out the rows that have the key' {
            $out = @(Get-WandbRun -Path $wandb -Id fin0001a | Get-RunHistory -Key loss -MinStep 20 -MaxStep 30 -WarningVariable warned -WarningAction SilentlyContinue)
            $out | Should -BeNullOrEmpty
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "No run has the history key 'loss' at steps 20 to 30.*"
            $null = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunHistory -Key loss -MinStep 20 -WarningVariable later -WarningAction SilentlyContinue
            "$($later[0])" | Should -BeLike "No run has the history key 'loss' at step 20 or later.*"
            $null = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunHistory -Key nope -MaxStep 3 -WarningVariable earlier -WarningAction SilentlyContinue
            "$($earlier[0])" | Should -BeLike "No run has the history key 'nope' at step 3 or earlier.*"
            $null = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunHistory -Key loss -MinStep 2 -MaxStep 4 -WarningVariable none -WarningAction SilentlyContinue
            $none | Should -BeNullOrEmpty
        }

        It 'refuses a malformed -Key wildcard as WandbInvalidArgument' {
            $caught = $null
            try { Get-WandbRun -Path $wandb -Id fin0001a | Get-RunHistory -Key 'a[b-a]' } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
            $caught.TargetObject | Should -Be 'a[b-a]'
        }
    }

    Context 'local run folders' {
        It 'writes one row per step, in step order' {
            $rows | Should -HaveCount 10
            ($rows | ForEach-Object { $_._step }) -join ',' | Should -Be '0,1,2,3,4,5,6,7,8,9'
        }

        It 'types the rows WandbRunOps.Model.RunHistory' {
            $rows[0].PSObject.TypeNames[0] | Should -BeExactly 'WandbRunOps.Model.RunHistory'
        }

        It 'starts each row with the run identity, then _step, _runtime, _timestamp and the keys' {
            ($rows[0].PSObject.Properties | ForEach-Object { $_.Name }) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,_step,_runtime,_timestamp,accuracy,loss'
            $rows[0].RunId | Should -Be 'fin0001a'
            $rows[0].RunProject | Should -Be 'mnist-sweep'
        }

        It 'types _step as [long], _runtime as [double] and _timestamp as a UTC [datetime]' {
            $rows[9]._step | Should -BeOfType 'System.Int64'
            $rows[9]._runtime | Should -BeOfType 'System.Double'
            $rows[9]._runtime | Should -Be 1800
            $rows[9]._timestamp | Should -BeOfType 'System.DateTime'
            $rows[9]._timestamp.Kind | Should -Be 'Utc'
            $rows[9]._timestamp | Should -Be (Get-WandbRun -Path $wandb -Id fin0001a).HeartbeatAt
        }

        It 'keeps the keys -Key names, wildcards allowed' {
            $row = Get-RunHistory -Path $wandb -Id fin0002b -Key 'acc*' | Select-Object -First 1
            ($row.PSObject.Properties | ForEach-Object { $_.Name }) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,_step,_runtime,_timestamp,accuracy'
        }

        It 'reads the steps from -MinStep to -MaxStep, both included' {
            (Get-RunHistory -Path $wandb -Id fin0002b -MinStep 3 -MaxStep 5 | ForEach-Object { $_._step }) -join ',' | Should -Be '3,4,5'
        }

        It 'down-samples with -Samples, keeping the first and last step' {
            (Get-RunHistory -Path $wandb -Id fin0002b -Samples 4 | ForEach-Object { $_._step }) -join ',' | Should -Be '0,3,6,9'
        }

        It 'reads a resumed run across both of its folders' {
            $resumed = @(Get-RunHistory -Path $wandb -Id resu007g)
            $resumed | Should -HaveCount 10
            $resumed[9].accuracy | Should -Be 0.89
            $resumed[9]._runtime | Should -Be 3000
        }

        It 'keeps the failed run''s NaN and infinite values as doubles' {
            $last = Get-RunHistory -Path $wandb -Id fail004d | Select-Object -Last 1
            [double]::IsNaN($last.accuracy) | Should -BeTrue
            [double]::IsPositiveInfinity($last.loss) | Should -BeTrue
        }

        It 'streams: Select-Object -First stops the read' {
            (Get-RunHistory -Path $wandb -Id fin0003c | Select-Object -First 2 | ForEach-Object { $_._step }) -join ',' | Should -Be '0,1'
        }

        It 'takes Get-RunSummary rows from the pipeline' {
            $last = Get-RunSummary -Path $wandb -Id fin0002b | Get-RunHistory -Key loss -MinStep 9
            $last.RunId | Should -Be 'fin0002b'
            $last.loss | Should -Be 0.18
        }

        It 'finds the step with the lowest finite loss over every run' {
            $best = Get-WandbRun -Path $wandb | Get-RunHistory -Key loss |
                Where-Object { $_.loss -is [double] -and -not [double]::IsInfinity($_.loss) } |
                Sort-Object loss | Select-Object -First 1
            "$($best.RunId)@$($best._step)" | Should -Be 'fin0002b@9'
        }

        It 'writes a WandbRunNotFound error for an id that is not there' {
            Get-RunHistory -Path $wandb -Id 'nosuch01' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        }

        It 'refuses a -MinStep after -MaxStep' {
            { Get-RunHistory -Path $wandb -Id fin0002b -MinStep 5 -MaxStep 3 } | Should -Throw -ErrorId 'WandbInvalidArgument,*'
        }

        It 'exports history rows to CSV' {
            $csv = Join-Path $TestDrive 'history.csv'
            $rows | Select-Object RunId, _step, accuracy | Export-Csv -LiteralPath $csv -NoTypeInformation
            $back = @(Import-Csv -LiteralPath $csv)
            $back | Should -HaveCount 10
            ($back | ForEach-Object { $_._step }) -join ',' | Should -Be '0,1,2,3,4,5,6,7,8,9'
        }
    }

    Context 'where a run folder keeps its history' {
        BeforeAll {
            $script:fixtures = Join-Path (Split-Path -Parent $WandbRunOpsRepoRoot) 'shared/fixtures/wandb-real'
        }

        It 'counts and reads a legacy run whose history is in files/wandb-history.jsonl the same way' {
            $legacy = Join-Path $TestDrive 'legacy/wandb/run-20200324_181151-legacy03'
            New-Item -ItemType Directory -Path (Join-Path $legacy 'files') -Force | Out-Null
            $start = [datetimeoffset]::new(2020, 3, 24, 18, 11, 51, [timespan]::Zero).ToUnixTimeSeconds()
            $lines = foreach ($i in 0..3) { '{{"reward": {0}, "_step": {1}, "_runtime": {2}, "_timestamp": {3}}}' -f (-90 + $i), $i, ($i * 10), ($start + $i * 10) }
            Set-Content -LiteralPath (Join-Path $legacy 'files/wandb-history.jsonl') -Value $lines
            Set-Content -LiteralPath (Join-Path $legacy 'files/wandb-metadata.json') -Value ('{{"startedAt": "2020-03-24T18:11:51", "project": "old", "state": "finished", "exitcode": 0}}')

            $run = Get-WandbRun -Path (Split-Path -Parent $legacy)
            $rows = @($run | Get-RunHistory)
            $run.HistoryCount | Should -Be 4
            $rows | Should -HaveCount $run.HistoryCount
            $run.HeartbeatAt | Should -Be $rows[-1]._timestamp
            $run.Runtime | Should -Be ([timespan]::FromSeconds(30))
        }

        It 'counts as rows only the lines Get-RunHistory gives, from the file it reads (issue 14 point 3)' {
            # Beside the run files (as SDK 0.9 wrote it) and a different copy in files/: both read the first; a line
            # that is not a JSON object is no row in either.
            $legacy = Join-Path $TestDrive 'legacy-two/wandb/run-20200324_181151-legacy04'
            New-Item -ItemType Directory -Path (Join-Path $legacy 'files') -Force | Out-Null
            Set-Content -LiteralPath (Join-Path $legacy 'wandb-history.jsonl') -Value '{"_step": 0, "reward": 1}', 'not json', '{"_step": 1, "reward": 2}'
            Set-Content -LiteralPath (Join-Path $legacy 'files/wandb-history.jsonl') -Value (0..9 | ForEach-Object { '{{"_step": {0}}}' -f $_ })
            Set-Content -LiteralPath (Join-Path $legacy 'wandb-metadata.json') -Value '{"startedAt": "2020-03-24T18:11:51", "state": "finished", "exitcode": 0}'

            $run = Get-WandbRun -Path (Split-Path -Parent $legacy)
            $rows = @($run | Get-RunHistory -WarningVariable warnings -WarningAction SilentlyContinue)
            $rows.reward -join ',' | Should -Be '1,2'
            $run.HistoryCount | Should -Be 2
            ($warnings -join "`n") | Should -BeLike "*wandb-history.jsonl' has 1 line that are not JSON objects*"
        }

        It 'says which folder of a resumed run is gone when its history is read (issue 14 point 3)' {
            $wandb = New-SampleRuns -Path (Join-Path $TestDrive 'refind')
            $run = Get-WandbRun -Path $wandb -Id resu007g
            $run.Folders | Should -HaveCount 2
            Remove-Item -Recurse -LiteralPath $run.Folders[1]

            $rows = @($run | Get-RunHistory -ErrorVariable lost -ErrorAction SilentlyContinue)
            $rows | Should -HaveCount 0
            $lost[0].FullyQualifiedErrorId | Should -BeLike 'WandbPathNotFound*'
            $lost[0].TargetObject | Should -Be $run.Folders[1]
        }

        It 'reads every row of a log cut off at its end, without a warning' {
            if (-not (Test-Path -LiteralPath $fixtures)) { Set-ItResult -Skipped -Because "the real fixtures are not at '$fixtures'"; return }
            $rows = @(Get-RunHistory -Path (Join-Path $fixtures 'sdk-0.12.15-online/wandb') -Id 3ojed7lz -WarningVariable warned)
            $rows | Should -HaveCount 862
            $warned | Should -HaveCount 0
        }
    }

    Context 'the W&B API' {
        BeforeAll {
            $script:server = Start-FakeWandb -WandbFolder $wandb -Entity 'acme-ml' -Project 'mnist-sweep' `
                -ApiKey 'local-pester0123456789abcdef0123456789abcdef02' -LogPath (Join-Path $TestDrive 'fakewandb-history.log')
            $script:url = $server.Url
            $script:key = $server.Key
            $script:api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $url; ApiKey = $key }
        }

        AfterAll {
            Stop-FakeWandb -Server $server
        }

        It 'gives every run the same history as its local folders, paging through the steps' {
            $local = Get-WandbRun -Path $wandb | Get-RunHistory | ForEach-Object { '{0} {1} {2:o} {3}' -f $_.RunId, $_._step, $_._timestamp, $_.loss }
            $remote = Get-WandbRun @api | Get-RunHistory -PageSize 3 | ForEach-Object { '{0} {1} {2:o} {3}' -f $_.RunId, $_._step, $_._timestamp, $_.loss }
            $remote | Should -HaveCount $local.Count
            ($remote -join "`n") | Should -BeExactly ($local -join "`n")
        }

        It 'fetches -Key keys one by one and joins them on _step' {
            $keyed = @(Get-RunHistory @api -Id fin0002b -Key loss, accuracy)
            $keyed | Should -HaveCount 10
            $keyed[9].loss | Should -Be 0.18
            $keyed[9].accuracy | Should -Be 0.95
            $keyed[9]._runtime | Should -Be 4500
        }

        It 'down-samples with -Samples' {
            (Get-RunHistory @api -Id fin0002b -Samples 4 | ForEach-Object { $_._step }) -join ',' | Should -Be '0,3,6,9'
        }
    }

    Context 'tab completion' {
        It 'completes -Key from the keys the runs logged, not from file names' {
            $line = "Get-RunHistory -Path '$wandb' -Id fin0001a -Key "
            $keys = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            $keys | Should -Contain 'accuracy'
            $keys | Should -Contain 'loss'
            $keys | Should -Contain '_step'
            $keys | Should -Not -Contain '_wandb'
            $line = "Get-RunHistory -Path '$wandb' -Key acc"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -BeExactly 'accuracy'
        }
    }
}

Describe 'Get-RunHistory: what a user sees' {
    Context 'the sample runs' {
        It 'shows a table at <Width> columns led by RunId and _step, then the keys' -TestCases @(
            @{ Width = 80 }
            @{ Width = 120 }
        ) {
            $text = Out-UserText -InputObject $rows -Width $Width
            ($text -split "`r?`n" | Where-Object { $_ -match '^RunId ' }) | Should -Match '^RunId\s+_step\s+accuracy\s+loss\s*$'
            @($text -split "`r?`n" | Where-Object { $_ -match '^fin0001a ' }).Count | Should -Be $rows.Count
            Assert-NoTypeName $text
        }

        It 'shows the values unrounded in the table and every property in Format-List' {
            $row = $rows | Where-Object { $_.loss -is [double] -and ($_.loss.ToString('R', [cultureinfo]::InvariantCulture)).Length -gt 4 } | Select-Object -First 1
            if ($null -ne $row) {
                (Out-UserText -InputObject $rows) | Should -Match ([regex]::Escape($row.loss.ToString('R', [cultureinfo]::InvariantCulture)))
            }
            $list = Out-UserText -InputObject $rows[0] -As List
            $list | Should -Match '_runtime\s+: '
            $list | Should -Match 'RunPath\s+: '
            Assert-NoTypeName $list
        }

        It 'exports CSV and JSON without type names' {
            $csv = @($rows | ConvertTo-Csv -NoTypeInformation)
            $csv[0] | Should -Match '^"RunId","RunName","RunProject","RunEntity","RunPath","_step","_runtime","_timestamp"'
            Assert-NoTypeName ($csv -join "`n")
            ($rows[0] | ConvertTo-Json | ConvertFrom-Json)._step | Should -Be 0
        }
    }

    Context 'the real SDK 0.12.15 run (3ojed7lz: step 0 logged no Training/loss)' {
        BeforeAll { $script:real = Get-RealFixture 'sdk-0.12.15-online' }

        It 'gives -Key Validation/accuracy, Training/loss a Training/loss column from the first row on' {
            if (Skip-WithoutRealFixtures) { return }
            $csv = @(Get-WandbRun -Path $real -Id 3ojed7lz -WarningAction SilentlyContinue | Get-RunHistory -Key Validation/accuracy, Training/loss -WarningAction SilentlyContinue | ConvertTo-Csv -NoTypeInformation)
            $csv[0] | Should -Match '"Validation/accuracy","Training/loss"$'
            $csv.Count | Should -Be 863
        }

        It 'gives every row every key of the run without -Key' {
            if (Skip-WithoutRealFixtures) { return }
            $history = @(Get-WandbRun -Path $real -Id 3ojed7lz -WarningAction SilentlyContinue | Get-RunHistory -WarningAction SilentlyContinue)
            $names = $history[0].PSObject.Properties.Name
            $names | Should -Contain 'Training/loss'
            $names | Should -Contain 'Validation/accuracy'
            ($history[-1].PSObject.Properties.Name -join ',') | Should -BeExactly ($names -join ',')
        }

        It 'shows 862 steps as a table of one line per step, not a list per step' {
            if (Skip-WithoutRealFixtures) { return }
            $history = @(Get-WandbRun -Path $real -Id 3ojed7lz -WarningAction SilentlyContinue | Get-RunHistory -WarningAction SilentlyContinue)
            $lines = @((Out-UserText -InputObject $history -Width 120) -split "`r?`n" | Where-Object { $_.Trim() })
            $lines.Count | Should -BeLessOrEqual ($history.Count + 3)
            Assert-NoTypeName ($lines -join "`n")
        }
    }

    Context 'rows from runs with different keys' {
        It 'warns once when a later run adds keys the earlier rows lack' {
            $real = Get-RealFixture 'sdk-0.22.1-online'
            if (Skip-WithoutRealFixtures) { return }
            $null = Get-WandbRun -Path $real -WarningAction SilentlyContinue | Get-RunHistory -WarningVariable warned -WarningAction SilentlyContinue
            @($warned | Where-Object { "$_" -match 'earlier rows lack' }).Count | Should -Be 1
            @($warned | Where-Object { "$_" -match 'earlier rows lack' })[0] | Should -Match '-Key'
        }
    }
}

Describe 'Get-RunHistory: a repeated block (issue 13 point 9)' {
    It 'gives each step of 3ojed7lz once, in order, with a warning, when a 32 KiB block is written twice' {
        $source = Join-Path $WandbRunOpsRepoRoot '../shared/fixtures/wandb-real/sdk-0.12.15-online/wandb/run-20220429_201936-3ojed7lz'
        if (-not (Test-Path -LiteralPath $source)) {
            Set-ItResult -Skipped -Because "the real fixtures are not at $source"
            return
        }

        $folder = Join-Path $TestDrive 'repeated/run-20220429_201936-3ojed7lz'
        $null = New-Item -ItemType Directory -Path $folder
        $bytes = [System.IO.File]::ReadAllBytes((Join-Path $source 'run-3ojed7lz.wandb'))
        $block = 32768
        $repeated = [byte[]]($bytes[0..(4 * $block - 1)] + $bytes[(3 * $block)..(4 * $block - 1)] + $bytes[(4 * $block)..($bytes.Length - 1)])
        [System.IO.File]::WriteAllBytes((Join-Path $folder 'run-3ojed7lz.wandb'), $repeated)

        $expected = @(Get-RunHistory -Path $source | ForEach-Object _step)
        $steps = @(Get-RunHistory -Path $folder -WarningVariable warnings -WarningAction SilentlyContinue | ForEach-Object _step)

        $expected | Should -HaveCount 862
        $steps -join ',' | Should -Be ($expected -join ',')
        ($warnings -join "`n") | Should -BeLike '*repeats * history records whose _step goes back*'

        # The listing counts by the same rule (issue 14 point 3): the repeats are no more rows in HistoryCount than in the output.
        (Get-WandbRun -Path $folder).HistoryCount | Should -Be 862
    }
}

Describe 'Get-RunHistory: a long log (read with more than one thread)' {
    It 'gives every row in order, and stops early with Select-Object -First' {
        $writerDll = Join-Path $WandbRunOpsRepoRoot 'tests/WandbRunOps.Testing/bin/Release/net10.0/WandbRunOps.Testing.dll'
        if ($PSVersionTable.PSEdition -ne 'Core' -or -not (Test-Path -LiteralPath $writerDll)) {
            Set-ItResult -Skipped -Because 'the log writer (tests/WandbRunOps.Testing, .NET 10) loads only in PowerShell 7'
            return
        }

        Add-Type -Path $writerDll
        $long = Join-Path $TestDrive 'long/wandb'
        $w = [WandbRunOps.Testing.ConsoleRunWriter]::new($long, 'long0002', [datetime]::UtcNow.AddHours(-1), 'history-tests', $false)
        foreach ($i in 0..29999) { $w.History($i); $w.Stdout("step $i`n") }
        $w.Dispose()
        (Get-ChildItem $long -Recurse -Filter *.wandb).Length | Should -BeGreaterThan 2MB

        $steps = @(Get-RunHistory -Path $long -WarningVariable warned | ForEach-Object _step)
        $steps | Should -HaveCount 30000
        ($steps -join ',') | Should -BeExactly ((0..29999) -join ',')
        $warned | Should -BeNullOrEmpty
        (Get-RunHistory -Path $long | Select-Object -First 1)._step | Should -Be 0
    }
}

Describe 'Get-RunHistory: a long log (its records decoded on several threads)' {
    It 'gives the rows of the one-thread read, values and warnings alike, and Select-Object -First 1 leaves no decode thread' {
        $writerDll = Join-Path $WandbRunOpsRepoRoot 'tests/WandbRunOps.Testing/bin/Release/net10.0/WandbRunOps.Testing.dll'
        if ($PSVersionTable.PSEdition -ne 'Core' -or -not (Test-Path -LiteralPath $writerDll)) {
            Set-ItResult -Skipped -Because 'the log writer (tests/WandbRunOps.Testing, .NET 10) loads only in PowerShell 7'
            return
        }
        if ([Environment]::ProcessorCount -lt 2) {
            Set-ItResult -Skipped -Because 'one processor: every log is decoded on the calling thread'
            return
        }

        Add-Type -Path $writerDll
        $long = Join-Path $TestDrive 'parallel/wandb'
        $w = [WandbRunOps.Testing.ConsoleRunWriter]::new($long, 'para0001', [datetime]::UtcNow.AddHours(-1), 'history-tests', $false)
        foreach ($i in 0..29999) { $w.History($i); $w.Stdout("step $i`n") }
        $w.Dispose()
        $log = (Get-ChildItem $long -Recurse -Filter *.wandb).FullName
        # A repeated stretch of steps in the middle, as a damaged log has: its rows are warned about, not output.
        $bytes = [System.IO.File]::ReadAllBytes($log)
        $block = 32768
        [System.IO.File]::WriteAllBytes($log, [byte[]]($bytes[0..(20 * $block - 1)] + $bytes[(19 * $block)..($bytes.Length - 1)]))
        (Get-Item $log).Length | Should -BeGreaterThan 2MB

        # The module's one switch for the threshold (internal; the bench and the tests set it to read both ways).
        $decoding = [WandbRunOps.Model.HistoryRow].Assembly.GetType('WandbRunOps.Local.Log.ParallelRecordDecoding')
        $threshold = $decoding.GetProperty('Threshold', [System.Reflection.BindingFlags]'NonPublic,Static')
        $running = $decoding.GetMethod('RunningOn', [System.Reflection.BindingFlags]'NonPublic,Static')
        $before = $threshold.GetValue($null)
        $before | Should -BeLessThan ((Get-Item $log).Length)
        try {
            $threshold.SetValue($null, [long]::MaxValue)
            $one = Get-RunHistory -Path $long -WarningVariable oneWarned -WarningAction SilentlyContinue | ConvertTo-Json -Compress
        }
        finally {
            $threshold.SetValue($null, $before)
        }

        $spread = Get-RunHistory -Path $long -WarningVariable spreadWarned -WarningAction SilentlyContinue | ConvertTo-Json -Compress
        $spread.Length | Should -BeGreaterThan 1MB
        $spread | Should -BeExactly $one
        ($spreadWarned -join "`n") | Should -BeLike '*repeats * history records whose _step goes back*'
        ($spreadWarned -join "`n") | Should -BeExactly ($oneWarned -join "`n")

        (Get-RunHistory -Path $long -WarningAction SilentlyContinue | Select-Object -First 1)._step | Should -Be 0
        $running.Invoke($null, @($log)) | Should -Be 0
    }
}
