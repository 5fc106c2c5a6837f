# Get-RunLog: one WandbLogLine per console line, from local run folders (console records folded as a terminal shows
# them, else output.log) and over the W&B API (the project's loopback server, started by this test, serving the same
# run folders). Console logs with carriage returns, escape codes, bad UTF-8 and a growing log are written here with
# the project's own log writer (tests/WandbRunOps.Testing).

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:lines = @(Get-RunLog -Path $wandb -Id crsh005e)

    $writerDll = Join-Path $WandbRunOpsRepoRoot 'tests/WandbRunOps.Testing/bin/Release/net10.0/WandbRunOps.Testing.dll'
    $script:canWrite = $PSVersionTable.PSEdition -eq 'Core' -and (Test-Path -LiteralPath $writerDll)
    if ($canWrite) { Add-Type -Path $writerDll }
    $script:console = Join-Path $TestDrive 'console/wandb'
    if ($canWrite) {
        $w = [WandbRunOps.Testing.ConsoleRunWriter]::new($console, 'cons0001', [datetime]::UtcNow.AddHours(-1))
        $w.Stdout("loading data`n")
        $w.Stdout("`e[32m 10%`e[0m|#    |`r`e[32m 50%`e[0m|###  |")
        $w.Stderr("UserWarning: slow`n")
        $w.Stdout("`r`e[32m100%`e[0m|#####|`n")
        $w.Stderr("RuntimeError: CUDA out of memory. Tried to allocate")
        $w.Stderr(" 20.00 MiB`n")
        $w.Chunk($false, [byte[]](0x6f, 0x6b, 0xff, 0x0a))
        $w.Exit(1)
        $w.Dispose()
    }

    function Skip-WithoutWriter {
        if ($canWrite) { return $false }
        Set-ItResult -Skipped -Because 'the log writer (tests/WandbRunOps.Testing, .NET 10) loads only in PowerShell 7'
        $true
    }
}

Describe 'Get-RunLog' {
    Context 'local run folders' {
        It 'writes one WandbLogLine per console line, numbered from 1, with the run identity' {
            $lines | Should -HaveCount 8
            $lines[0].PSObject.TypeNames[0] | Should -BeExactly 'WandbRunOps.Model.WandbLogLine'
            ($lines[0].PSObject.Properties.Name) -join ',' | Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,Number,Timestamp,Stream,Line'
            ($lines | ForEach-Object Number) -join ',' | Should -Be '1,2,3,4,5,6,7,8'
            $lines[0].RunId | Should -Be 'crsh005e'
            $lines[0].RunPath | Should -Be (Get-WandbRun -Path $wandb -Id crsh005e).Path
            $lines[0].Line | Should -BeLike 'epoch 1: accuracy=*'
            $lines[0].Stream | Should -Be 'stdout'
            $lines[0].Timestamp.Kind | Should -Be 'Utc'
        }

        It 'folds carriage-return redraws and chunks continued across records, and removes escape codes' {
            if (Skip-WithoutWriter) { return }
            $got = @(Get-RunLog -Path $console -Id cons0001)
            ($got | ForEach-Object { '{0} {1} {2}' -f $_.Number, $_.Stream, $_.Line }) -join '|' |
                Should -BeExactly "1 stdout loading data|2 stderr UserWarning: slow|3 stdout 100%|#####||4 stderr RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB|5 stdout ok$([char]0xFFFD)"
        }

        It 'keeps the escape codes with -Raw' {
            if (Skip-WithoutWriter) { return }
            (Get-RunLog -Path $console -Id cons0001 -Raw)[2].Line | Should -BeExactly "`e[32m100%`e[0m|#####|"
        }

        It 'is found by Select-String, and its text is its line' {
            if (Skip-WithoutWriter) { return }
            $found = @(Get-RunLog -Path $console | Select-String 'CUDA out of memory')
            $found | Should -HaveCount 1
            $found[0].Line | Should -BeExactly 'RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB'
            $line = Get-RunLog -Path $console | Where-Object Line -match 'CUDA out of memory'
            $line.RunId | Should -Be 'cons0001'
            "$line" | Should -BeExactly $found[0].Line
        }

        It 'gives the last lines with -Tail' {
            $tail = @(Get-RunLog -Path $wandb -Id crsh005e -Tail 3)
            ($tail | ForEach-Object Line) -join '|' | Should -BeExactly (($lines | Select-Object -Last 3 | ForEach-Object Line) -join '|')
            ($tail | ForEach-Object Number) -join ',' | Should -Be '6,7,8'
        }

        It 'follows a growing log with -Wait until the run''s exit record' {
            if (Skip-WithoutWriter) { return }
            $w = [WandbRunOps.Testing.ConsoleRunWriter]::new($console, 'live0001', [datetime]::UtcNow)
            try {
                $w.Stdout("starting`n")
                $writing = $w.WriteSlowly([string[]]@("epoch 1`n", "epoch 2`n", "done`n"), 300, $true)
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $followed = @(Get-RunLog -Path $console -Id live0001 -Wait)
                $clock.Stop()
                $null = $writing.Wait(10000)
            }
            finally { $w.Dispose() }
            ($followed | ForEach-Object Line) -join '|' | Should -BeExactly 'starting|epoch 1|epoch 2|done'
            $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 1
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        }

        It 'reads output.log where the log has no console records' {
            $real = Get-RealFixture 'sdk-0.8.30-legacy'
            if (Skip-WithoutRealFixtures) { return }
            $got = @(Get-RunLog -Path $real)
            $got | Should -HaveCount 35
            $got[-1].Stream | Should -BeNullOrEmpty
            $got[-1].Timestamp | Should -BeNullOrEmpty
            $got[-1].Line | Should -BeLike '*500/10000*'
        }

        It 'reads thousands of raw console records of an offline SDK 0.21 run whose output.log is empty' {
            $real = Get-RealFixture 'sdk-0.21.0-offline'
            if (Skip-WithoutRealFixtures) { return }
            $got = @(Get-RunLog -Path $real -Id 01tt2qoy)
            $got | Should -HaveCount 4128
            $tail = @(Get-RunLog -Path $real -Id 01tt2qoy -Tail 2)
            ($tail | ForEach-Object Line) -join '|' | Should -BeExactly (($got | Select-Object -Last 2 | ForEach-Object Line) -join '|')
        }

        It 'writes WandbRunNotFound for an unknown id and goes on with the others' {
            $out = @(Get-RunLog -Path $wandb -Id nope0000, crsh005e -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 8
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        }

        It 'gives the lines before the cut of a log cut mid-record, without a warning' {
            if (Skip-WithoutWriter) { return }
            $w = [WandbRunOps.Testing.ConsoleRunWriter]::new($console, 'cut00001', [datetime]::UtcNow.AddHours(-1))
            $w.Stdout("one`ntwo`n")
            $w.PartialChunk("three`n", 12)
            $w.Dispose()
            $got = @(Get-RunLog -Path $console -Id cut00001 -WarningVariable warned -Verbose 4>&1)
            ($got | Where-Object { $_ -is [WandbRunOps.Model.WandbLogLine] } | ForEach-Object Line) -join '|' | Should -BeExactly 'one|two'
            ($got | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n" | Should -Match 'cut off'
            $warned | Should -BeNullOrEmpty
        }

        It 'reads a long log (its framing on a second thread) whole and in order, ends cleanly at a cut, and stops early with -First' {
            if (Skip-WithoutWriter) { return }
            $long = Join-Path $TestDrive 'long/wandb'
            $w = [WandbRunOps.Testing.ConsoleRunWriter]::new($long, 'long0001', [datetime]::UtcNow.AddHours(-1), 'console-tests', $false)
            foreach ($i in 0..24999) { $w.History($i); $w.Stdout("line $i of the run`n") }
            $w.PartialChunk("still writing`n", 12)
            $w.Dispose()
            (Get-Item (Get-ChildItem $long -Recurse -Filter *.wandb).FullName).Length | Should -BeGreaterThan 2MB

            $got = @(Get-RunLog -Path $long -WarningVariable warned -Verbose 4>&1)
            $lines = @($got | Where-Object { $_ -is [WandbRunOps.Model.WandbLogLine] })
            $lines | Should -HaveCount 25000
            $lines[0].Line, $lines[12345].Line, $lines[-1].Line | Should -BeExactly 'line 0 of the run', 'line 12345 of the run', 'line 24999 of the run'
            $lines[-1].Number | Should -Be 25000
            ($got | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n" | Should -Match 'cut off'
            $warned | Should -BeNullOrEmpty

            $first = Measure-Command { $one = @(Get-RunLog -Path $long | Select-Object -First 1) }
            $one.Line | Should -BeExactly 'line 0 of the run'
            $first.TotalSeconds | Should -BeLessThan 30
        }
    }

    Context 'the W&B API' {
        BeforeAll {
            $script:server = Start-FakeWandb -WandbFolder $wandb -Entity 'acme-ml' -Project 'mnist-sweep' `
                -ApiKey 'local-pester0123456789abcdef0123456789abcdef07' -LogPath (Join-Path $TestDrive 'fakewandb-log.log')
            $script:api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $server.Url; ApiKey = $server.Key }
        }

        AfterAll {
            Stop-FakeWandb -Server $server
        }

        It 'gives every run the same lines, numbers, streams and times as its local folders' {
            $local = Get-WandbRun -Path $wandb | Get-RunLog | ForEach-Object { '{0} {1} {2} {3:o} {4}' -f $_.RunId, $_.Number, $_.Stream, $_.Timestamp, $_.Line }
            $remote = Get-WandbRun @api | Get-RunLog | ForEach-Object { '{0} {1} {2} {3:o} {4}' -f $_.RunId, $_.Number, $_.Stream, $_.Timestamp, $_.Line }
            $local | Should -Not -BeNullOrEmpty
            ($remote -join "`n") | Should -BeExactly ($local -join "`n")
            (Get-RunLog @api -Id crsh005e)[0].RunPath | Should -BeNullOrEmpty
        }

        It 'asks for the last lines only with -Tail' {
            $tail = @(Get-RunLog @api -Id crsh005e -Tail 2)
            ($tail | ForEach-Object Number) -join ',' | Should -Be '7,8'
            ($tail | ForEach-Object Line) -join '|' | Should -BeExactly (($lines | Select-Object -Last 2 | ForEach-Object Line) -join '|')
        }
    }
}

Describe 'Get-RunLog: what a user sees' {
    It 'shows a table of RunId, Number, Stream and Line at <Width> columns' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        $text = Out-UserText -InputObject $lines -Width $Width
        ($text -split "`r?`n" | Where-Object { $_ -match '^RunId ' }) | Should -Match '^RunId\s+Number\s+Stream\s+Line\s*$'
        $rows = @($text -split "`r?`n" | Where-Object { $_ -match '^crsh005e ' })
        $rows | Should -HaveCount 8
        $rows[0] | Should -Match '^crsh005e\s+1 stdout epoch 1: '
        $rows | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        Assert-NoTypeName $text
    }

    It 'shows every property in Format-List, the line whole' {
        $list = Out-UserText -InputObject $lines[0] -As List -Width 80
        $list | Should -Match 'RunPath\s+: '
        $list | Should -Match 'Timestamp\s+: '
        $list | Should -Match ([regex]::Escape($lines[0].Line.Substring(0, 30)))
        Assert-NoTypeName $list
    }

    It 'exports CSV and JSON without type names' {
        $csv = @($lines | ConvertTo-Csv -NoTypeInformation)
        $csv[0] | Should -BeExactly '"RunId","RunName","RunProject","RunEntity","RunPath","Number","Timestamp","Stream","Line"'
        $csv | Should -HaveCount 9
        Assert-NoTypeName ($csv -join "`n")
        $json = $lines[0] | ConvertTo-Json | ConvertFrom-Json
        $json.Number | Should -Be 1
        $json.Line | Should -BeExactly $lines[0].Line
    }

    It 'refuses -Tail 0 before reading anything' {
        { Get-RunLog -Path $wandb -Id crsh005e -Tail 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,WandbRunOps.Commands.GetRunLogCommand'
    }
}
