# Get-RunMetadata: one object per run with how and where it was started (program, arguments, git, OS, Python, host,
# hardware, start time), from local run folders (wandb-metadata.json, else the log's environment record) and over the
# W&B API (the project's loopback server).

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:rows = @(Get-WandbRun -Path $wandb | Get-RunMetadata)
    $script:properties = 'RunId,RunName,RunProject,RunEntity,RunPath,Program,Args,GitRemote,GitCommit,Os,Python,Host,Executable,CpuCount,GpuCount,Gpu,StartedAt'
}

Describe 'Get-RunMetadata' {
    Context 'local run folders' {
        It 'writes one object per run, typed WandbRunOps.Model.RunMetadata, with the identity then every fact' {
            $rows | Should -HaveCount 8
            $rows[0].PSObject.TypeNames[0] | Should -BeExactly 'WandbRunOps.Model.RunMetadata'
            ($rows[0].PSObject.Properties | ForEach-Object Name) -join ',' | Should -BeExactly $properties
        }

        It 'reads wandb-metadata.json: program, arguments, git, interpreter and hardware' {
            $m = $rows | Where-Object RunId -eq fin0001a
            $m.Program | Should -Be 'train.py'
            @($m.Args) -join ' ' | Should -Be '--lr 0.001 --epochs 10'
            $m.Args.ToString() | Should -Be '--lr, 0.001, --epochs, 10'
            $m.Args[1] | Should -Be '0.001'
            $m.GitRemote | Should -Be 'https://github.com/acme-ml/mnist-sweep.git'
            $m.GitCommit | Should -Match '^[0-9a-f]{40}$'
            $m.Host | Should -Be 'gpu-box-1'
            $m.Executable | Should -Be '/usr/bin/python3'
            $m.CpuCount | Should -BeOfType 'System.Int32'
            $m.CpuCount | Should -Be 16
            $m.GpuCount | Should -Be 1
            $m.Gpu | Should -Be 'NVIDIA A10G'
            $m.StartedAt | Should -BeOfType 'System.DateTime'
            $m.StartedAt.Kind | Should -Be 'Utc'
            $m.StartedAt | Should -Be (Get-WandbRun -Path $wandb -Id fin0001a).CreatedAt
        }

        It 'reads an offline run without a metadata file from its log''s environment record, $null where it recorded nothing' {
            $m = $rows | Where-Object RunId -eq offl008h
            Test-Path -LiteralPath (Join-Path $m.RunPath 'files/wandb-metadata.json') | Should -BeFalse
            $m.Program | Should -Be 'train.py'
            $m.Host | Should -Be 'gpu-box-1'
            $m.Python | Should -Be 'CPython 3.11.9'
            $m.StartedAt | Should -Be (Get-WandbRun -Path $wandb -Id offl008h).CreatedAt
            $m.GitCommit | Should -BeNullOrEmpty
            $m.Gpu | Should -BeNullOrEmpty
            @($m.Args).Count | Should -Be 0
        }

        It 'warns about a metadata file that is not JSON and reads the log instead' {
            $copy = Join-Path $TestDrive 'badmeta'
            $null = New-Item -ItemType Directory -Path $copy
            Copy-Item -Recurse (Get-WandbRun -Path $wandb -Id offl008h).Path $copy
            $folder = Get-ChildItem -Path $copy -Directory | Select-Object -First 1
            $null = New-Item -ItemType Directory -Path (Join-Path $folder.FullName 'files')
            Set-Content -LiteralPath (Join-Path $folder.FullName 'files/wandb-metadata.json') -Value '{"program": '
            $m = Get-RunMetadata -Path $copy -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable failed
            $failed | Should -BeNullOrEmpty
            $m.Program | Should -Be 'train.py'
            @($warned | Where-Object { "$_" -match 'wandb-metadata\.json' }).Count | Should -Be 1
        }

        It 'writes a WandbRunNotFound error for an id that is not there, and goes on' {
            $out = @(Get-RunMetadata -Path $wandb -Id nope0000, fin0001a -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        }

        It 'writes a WandbPathNotFound error for a row whose run folder was deleted, and goes on' {
            $copy = Join-Path $TestDrive 'gone'
            $null = New-Item -ItemType Directory -Path $copy
            Get-WandbRun -Path $wandb -Id fin0002b, fin0003c | ForEach-Object { Copy-Item -Recurse $_.Path $copy }
            $csv = Join-Path $TestDrive 'gone.csv'
            Get-RunSummary -Path $copy | Export-Csv -LiteralPath $csv -NoTypeInformation
            Remove-Item -Recurse -Force (Get-WandbRun -Path $copy -Id fin0002b).Path
            $out = @(Import-Csv -LiteralPath $csv | Get-RunMetadata -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $out[0].RunId | Should -Be 'fin0003c'
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbPathNotFound,*'
        }

        It 'reads the real SDK runs of every era, current offline runs from the environment record' {
            if (Skip-WithoutRealFixtures) { return }
            $legacy = Get-RunMetadata -Path (Get-RealFixture 'sdk-0.8.30-legacy')
            $legacy.Program | Should -Be 'main_ac_mcc.py'
            $kwt = Get-RunMetadata -Path (Get-RealFixture 'sdk-0.12.15-online') -Id 3ojed7lz
            $kwt.Program | Should -Be '-m kws_streaming.train.model_train_eval'
            $kwt.Python | Should -Be '3.6.9'
            $offline = Get-RunMetadata -Path (Get-RealFixture 'sdk-0.21.0-offline') -Id fu2alym7
            $offline.GitRemote | Should -Be 'https://github.com/0pk0/rl4avs.git'
            $offline.GitCommit | Should -Be '4aefc11d23ad0ede2ff63becdeaf9ed6591d707e'
            $offline.Args[0] | Should -Be '--total_timesteps'
            $offline.StartedAt | Should -Be ([datetime]::new(2025, 8, 18, 12, 39, 18, [DateTimeKind]::Utc).AddTicks(4835270))
        }
    }

    Context 'the W&B API' {
        BeforeAll {
            $script:server = Start-FakeWandb -WandbFolder $wandb -Entity 'acme-ml' -Project 'mnist-sweep' `
                -ApiKey 'local-pester0123456789abcdef0123456789abcdef06' -LogPath (Join-Path $TestDrive 'fakewandb-metadata.log')
            $script:api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $server.Url; ApiKey = $server.Key }
        }

        AfterAll {
            Stop-FakeWandb -Server $server
        }

        It 'gives every run the same facts as its local folders' {
            $format = { ($_.PSObject.Properties | Where-Object Name -notin 'RunPath', 'RunEntity' | ForEach-Object { '{0}={1}' -f $_.Name, "$($_.Value)" }) -join ';' }
            $local = @($rows | ForEach-Object $format)
            $remote = @(Get-WandbRun @api | Get-RunMetadata | ForEach-Object $format)
            $remote | Should -HaveCount 8
            ($remote -join "`n") | Should -BeExactly ($local -join "`n")
        }

        It 'gives API rows the same properties, RunPath empty' {
            $m = Get-RunMetadata @api -Id fin0001a
            ($m.PSObject.Properties | ForEach-Object Name) -join ',' | Should -BeExactly $properties
            $m.RunPath | Should -BeNullOrEmpty
            $m.RunEntity | Should -Be 'acme-ml'
        }

        It 'writes a WandbRunNotFound error for an id that is not in the project, and goes on' {
            $out = @(Get-RunMetadata @api -Id nope0000, fin0001a -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
            $failed[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/nope0000'
        }
    }
}

Describe 'Get-RunMetadata: what a user sees' {
    It 'shows a table at <Width> columns led by RunId, one line per run' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        $text = Out-UserText -InputObject $rows -Width $Width
        ($text -split "`r?`n" | Where-Object { $_ -match '^RunId ' }) | Should -Match '^RunId\s+StartedAt\s+Host\s+Python\s+Program\s*$'
        @($text -split "`r?`n" | Where-Object { $_ -match '^(fin|resu|fail|crsh|offl|live)0' }).Count | Should -Be 8
        $text -split "`r?`n" | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        Assert-NoTypeName $text
    }

    It 'shows every fact in Format-List, the arguments joined' {
        $list = Out-UserText -InputObject ($rows | Where-Object RunId -eq fin0001a) -As List
        $list | Should -Match 'Args\s+: --lr, 0\.001, --epochs, 10'
        $list | Should -Match 'GitCommit\s+: [0-9a-f]{40}'
        $list | Should -Match 'Gpu\s+: NVIDIA A10G'
        Assert-NoTypeName $list
    }

    It 'exports CSV and JSON without type names, the arguments as a list' {
        $csv = @($rows | ConvertTo-Csv -NoTypeInformation)
        $csv[0] | Should -BeExactly ('"' + ($properties -replace ',', '","') + '"')
        $csv | Should -HaveCount 9
        $csv[1] | Should -Match '"--lr, 0\.001, --epochs, 10"'
        Assert-NoTypeName ($csv -join "`n")
        $json = ($rows | Where-Object RunId -eq fin0001a) | ConvertTo-Json | ConvertFrom-Json
        @($json.Args) | Should -HaveCount 4
        $json.CpuCount | Should -Be 16
    }
}
