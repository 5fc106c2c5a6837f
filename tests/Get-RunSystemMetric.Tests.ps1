# Get-RunSystemMetric: one object per system-metrics sample (Timestamp, Runtime and one property per metric, named
# as W&B names them over the API), from local run folders and over the W&B API (the project's loopback server).

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:rows = @(Get-WandbRun -Path $wandb | Get-RunSystemMetric)

    # The CRC-32 (IEEE polynomial 0xEDB88320) of the log's chunks (docs/protocol.md, section 2.1), to change a value inside a log and keep it valid.
    function Get-Crc32([byte[]] $Bytes, [int] $Offset, [int] $Count) {
        $table = [uint32[]]::new(256)
        for ($n = 0; $n -lt 256; $n++) {
            $c = [uint32]$n
            for ($k = 0; $k -lt 8; $k++) { if ($c -band 1) { $c = [uint32]([uint32]3988292384 -bxor ($c -shr 1)) } else { $c = [uint32]($c -shr 1) } }
            $table[$n] = $c
        }
        $crc = [uint32]::MaxValue
        for ($i = $Offset; $i -lt $Offset + $Count; $i++) { $crc = [uint32]($table[($crc -bxor $Bytes[$i]) -band 0xFF] -bxor ($crc -shr 8)) }
        [uint32]($crc -bxor [uint32]::MaxValue)
    }

    # Replaces the first occurrence of $Old in a log by $New (same length) and fixes the CRC of the chunk that holds it.
    function Set-LogBytes([string] $Log, [string] $Old, [string] $New) {
        $bytes = [System.IO.File]::ReadAllBytes($Log)
        $text = [System.Text.Encoding]::Latin1.GetString($bytes)
        $at = $text.IndexOf($Old, [System.StringComparison]::Ordinal)
        $at | Should -BeGreaterThan 0
        [System.Text.Encoding]::ASCII.GetBytes($New).CopyTo($bytes, $at)
        $pos = 7
        while ($pos + 7 -le $bytes.Length) {
            $room = 32768 - ($pos % 32768)
            if ($room -lt 7) { $pos += $room; continue }
            $length = [BitConverter]::ToUInt16($bytes, $pos + 4)
            if ($at -ge $pos + 7 -and $at -lt $pos + 7 + $length) {
                [BitConverter]::GetBytes((Get-Crc32 $bytes ($pos + 6) ($length + 1))).CopyTo($bytes, $pos)
                break
            }
            $pos += 7 + $length
        }
        [System.IO.File]::WriteAllBytes($Log, $bytes)
    }
}

Describe 'Get-RunSystemMetric' {
    Context 'local run folders' {
        It 'writes one row per sample, typed WandbRunOps.Model.RunSystemMetric' {
            $rows | Should -HaveCount 8
            $rows[0].PSObject.TypeNames[0] | Should -BeExactly 'WandbRunOps.Model.RunSystemMetric'
            ($rows | Where-Object RunId -eq resu007g) | Should -HaveCount 2
        }

        It 'starts each row with the run identity, then Timestamp, Runtime and the metrics named as over the API' {
            $row = $rows | Where-Object RunId -eq fin0001a
            ($row.PSObject.Properties | ForEach-Object Name) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,Timestamp,Runtime,system.cpu,system.memory_percent,system.gpu.0.gpu'
            $row.'system.cpu' | Should -Be 25.5
            $row.'system.gpu.0.gpu' | Should -Be 87
        }

        It 'shows Timestamp in the table as the other views show times: local, yyyy-MM-dd HH:mm:ss' {
            $row = @(Get-WandbRun -Path $wandb -Id crsh005e | Get-RunSystemMetric)[0]
            $text = Out-UserText -InputObject @($row) -Width 120
            $text | Should -Match ([regex]::Escape($row.Timestamp.ToLocalTime().ToString('yyyy-MM-dd HH:mm:ss')))
        }

        It 'types Timestamp as a UTC [datetime] and Runtime as seconds since the run started' {
            $run = Get-WandbRun -Path $wandb -Id fin0001a
            $row = $rows | Where-Object RunId -eq fin0001a
            $row.Timestamp | Should -BeOfType 'System.DateTime'
            $row.Timestamp.Kind | Should -Be 'Utc'
            $row.Runtime | Should -BeOfType 'System.Double'
            $row.Runtime | Should -Be ($row.Timestamp - $run.CreatedAt).TotalSeconds
        }

        It 'keeps the metrics -Key names, wildcards allowed, and drops samples without them' {
            $gpu = @(Get-RunSystemMetric -Path $wandb -Key 'system.gpu.*')
            $gpu | Should -HaveCount 8
            ($gpu[0].PSObject.Properties | ForEach-Object Name) -join ',' | Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,Timestamp,Runtime,system.gpu.0.gpu'
        }

        It 'warns once, naming it, about a -Key without wildcards that no run has' {
            $out = @(Get-RunSystemMetric -Path $wandb -Key system.cpu, system.nope -WarningVariable warned -WarningAction SilentlyContinue)
            $out | Should -HaveCount 8
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "No run has the system metric key 'system.nope'.*Get-RunSystemMetric*"
        }

        It 'finds each run''s peak GPU utilisation with Measure-Object' {
            $peaks = Get-WandbRun -Path $wandb | Get-RunSystemMetric -Key 'system.gpu.*' | Group-Object RunId |
                ForEach-Object { [pscustomobject]@{ RunId = $_.Name; Peak = ($_.Group | Measure-Object -Property 'system.gpu.0.gpu' -Maximum).Maximum } }
            @($peaks) | Should -HaveCount 7
            $peaks | ForEach-Object { $_.Peak | Should -Be 87 }
        }

        It 'takes Get-RunSummary rows and run ids from the pipeline' {
            @(Get-RunSummary -Path $wandb -Id fin0002b | Get-RunSystemMetric) | Should -HaveCount 1
            @('fin0002b' | Get-RunSystemMetric -Path $wandb) | Should -HaveCount 1
        }

        It 'writes a WandbRunNotFound error for an id that is not there, and goes on' {
            $out = @(Get-RunSystemMetric -Path $wandb -Id nope0000, fin0001a -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        }

        It 'leaves a stats value that is not JSON out of its row with one warning, and keeps the rest' {
            $copy = Join-Path $TestDrive 'badstats'
            $null = New-Item -ItemType Directory -Path $copy
            Copy-Item -Recurse (Get-WandbRun -Path $wandb -Id fin0001a).Path $copy
            $log = Get-ChildItem -Path $copy -Recurse -Filter '*.wandb' | Select-Object -First 1
            Set-LogBytes $log.FullName '41.25' '41,2x'
            $out = @(Get-RunSystemMetric -Path $copy -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable failed)
            $failed | Should -BeNullOrEmpty
            $out | Should -HaveCount 1
            $out[0].'system.cpu' | Should -Be 25.5
            $out[0].PSObject.Properties.Name | Should -Not -Contain 'system.memory_percent'
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "Run 'fin0001a': 1 system metric value is not JSON ('system.memory_percent')*"
        }

        It 'reads the real SDK runs: stats records from 0.10 on, and the legacy events file' {
            if (Skip-WithoutRealFixtures) { return }
            @(Get-RunSystemMetric -Path (Get-RealFixture 'sdk-0.10.20-offline')) | Should -HaveCount 1
            $kwt = @(Get-RunSystemMetric -Path (Get-RealFixture 'sdk-0.12.15-online') -Id 3ojed7lz -WarningVariable warned)
            $kwt | Should -HaveCount 18
            $warned | Should -HaveCount 0
            ($kwt | Measure-Object -Property 'system.gpu.0.memoryAllocated' -Maximum).Maximum | Should -Be 32.24
            $kwt[0].'system.network.sent' | Should -BeOfType 'System.Int64'
            @(Get-RunSystemMetric -Path (Get-RealFixture 'sdk-0.12.15-online') -Id 3ojed7lz -Samples 3) | Should -HaveCount 3
            $legacy = @(Get-RunSystemMetric -Path (Get-RealFixture 'sdk-0.8.30-legacy'))
            $legacy | Should -HaveCount 20
            $legacy[0].Runtime | Should -Be 28
            $legacy[0].'system.cpu' | Should -Be 31.12
            $offline = @(Get-RunSystemMetric -Path (Get-RealFixture 'sdk-0.21.0-offline') -Id fu2alym7)
            $offline | Should -HaveCount 57
            $offline[0].PSObject.Properties.Name | Should -Contain 'system.powerWatts'
            $offline[0].PSObject.Properties.Name | Should -Not -Contain 'system.system.powerWatts'
        }
    }

    Context 'the W&B API' {
        BeforeAll {
            $script:server = Start-FakeWandb -WandbFolder $wandb -Entity 'acme-ml' -Project 'mnist-sweep' `
                -ApiKey 'local-pester0123456789abcdef0123456789abcdef05' -LogPath (Join-Path $TestDrive 'fakewandb-metrics.log')
            $script:api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $server.Url; ApiKey = $server.Key }
        }

        AfterAll {
            Stop-FakeWandb -Server $server
        }

        It 'gives every run the same samples, metric names and values as its local folders' {
            $format = { '{0} {1:yyyy-MM-ddTHH:mm:ss.fff} {2} {3}' -f $_.RunId, $_.Timestamp, $_.Runtime, (($_.PSObject.Properties | Where-Object Name -like 'system.*' | ForEach-Object { $_.Name + '=' + $_.Value }) -join ';') }
            $local = @(Get-WandbRun -Path $wandb | Get-RunSystemMetric | ForEach-Object $format)
            $remote = @(Get-WandbRun @api | Get-RunSystemMetric | ForEach-Object $format)
            $remote | Should -HaveCount 8
            ($remote -join "`n") | Should -BeExactly ($local -join "`n")
            ((Get-RunSystemMetric @api -Id fin0001a).PSObject.Properties | ForEach-Object Name) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,Timestamp,Runtime,system.cpu,system.memory_percent,system.gpu.0.gpu'
        }

        It 'keeps -Key metrics over the API too' {
            $row = Get-RunSystemMetric @api -Id fin0002b -Key 'system.c*'
            ($row.PSObject.Properties | ForEach-Object Name) -join ',' | Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,Timestamp,Runtime,system.cpu'
            $row.RunPath | Should -BeNullOrEmpty
        }

        It 'writes a WandbRunNotFound error for an id that is not in the project, and goes on' {
            $out = @(Get-RunSystemMetric @api -Id nope0000, fin0001a -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
            $failed[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/nope0000'
        }
    }

    Context 'tab completion' {
        It 'completes -Key from the metrics the runs sampled' {
            $line = "Get-RunSystemMetric -Path '$wandb' -Id fin0001a -Key "
            $keys = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            $keys | Should -Contain 'system.cpu'
            $keys | Should -Contain 'system.gpu.0.gpu'
            $line = "Get-RunSystemMetric -Path '$wandb' -Key system.g"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -BeExactly 'system.gpu.0.gpu'
        }
    }
}

Describe 'Get-RunSystemMetric: what a user sees' {
    It 'shows a table at <Width> columns led by RunId and Timestamp, then the metrics' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        $text = Out-UserText -InputObject $rows -Width $Width
        ($text -split "`r?`n" | Where-Object { $_ -match '^RunId ' }) | Should -Match '^RunId\s+Timestamp\s+system\.cpu'
        @($text -split "`r?`n" | Where-Object { $_ -match '^fin0001a ' }).Count | Should -Be 1
        Assert-NoTypeName $text
    }

    It 'shows every property in Format-List, values unrounded' {
        $list = Out-UserText -InputObject ($rows | Where-Object RunId -eq fin0001a) -As List
        $list | Should -Match 'Runtime\s+: 1080'
        $list | Should -Match 'system\.memory_percent\s+: 41\.25'
        $list | Should -Match 'RunPath\s+: '
        Assert-NoTypeName $list
    }

    It 'exports CSV and JSON without type names' {
        $csv = @($rows | ConvertTo-Csv -NoTypeInformation)
        $csv[0] | Should -BeExactly '"RunId","RunName","RunProject","RunEntity","RunPath","Timestamp","Runtime","system.cpu","system.memory_percent","system.gpu.0.gpu"'
        $csv | Should -HaveCount 9
        Assert-NoTypeName ($csv -join "`n")
        ($rows[0] | ConvertTo-Json | ConvertFrom-Json).'system.memory_percent' | Should -Be 41.25
    }

    It 'warns once when a later run adds metrics the earlier rows lack' {
        if (Skip-WithoutRealFixtures) { return }
        $null = Get-RunSystemMetric -Path (Get-RealFixture 'sdk-0.12.15-online') -WarningVariable warned -WarningAction SilentlyContinue
        @($warned | Where-Object { "$_" -match 'earlier rows lack' }).Count | Should -Be 1
        @($warned | Where-Object { "$_" -match 'earlier rows lack' })[0] | Should -Match '-Key'
    }
}
