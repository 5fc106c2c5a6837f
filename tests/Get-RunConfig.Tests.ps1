# Get-RunConfig: one row per run with RunId, RunName, RunProject, RunEntity, RunPath and one property per config
# key, so configs filter with Where-Object, sort, export to CSV and pipe on to the other run cmdlets.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:rows = @(Get-WandbRun -Path $wandb | Get-RunConfig)
    $script:rowById = @{}
    foreach ($row in $rows) { $rowById[$row.RunId] = $row }
}

Describe 'Get-RunConfig' {
    Context 'rows from Get-WandbRun' {
        It 'writes one row per run, in the order the runs came' {
            $rows | Should -HaveCount 8
            ($rows | ForEach-Object { $_.RunId }) -join ',' |
                Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d,crsh005e,offl008h,live006f'
        }

        It 'types the rows WandbRunOps.Model.RunConfig' {
            $rows[0].PSObject.TypeNames[0] | Should -BeExactly 'WandbRunOps.Model.RunConfig'
        }

        It 'starts each row with the run identity, then the config keys in the order they were set' {
            ($rowById['fin0001a'].PSObject.Properties | ForEach-Object { $_.Name }) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,learning_rate,batch_size,epochs,optimizer,architecture,data.augment'
        }

        It 'fills the identity properties from the run' {
            $row = $rowById['fin0002b']
            $row.RunName | Should -BeExactly 'calm-forest-2'
            $row.RunProject | Should -BeExactly 'mnist-sweep'
            $row.RunEntity | Should -BeExactly 'acme-ml'
            Split-Path -Leaf $row.RunPath | Should -BeLike 'run-*-fin0002b'
            $rowById['offl008h'].RunEntity | Should -BeNullOrEmpty
        }

        It 'keeps value types: learning_rate [double], batch_size and epochs [long], data.augment [bool]' {
            $row = $rowById['fin0001a']
            $row.learning_rate | Should -BeOfType 'System.Double'
            $row.batch_size | Should -BeOfType 'System.Int64'
            $row.epochs | Should -BeOfType 'System.Int64'
            $row.'data.augment' | Should -BeOfType 'System.Boolean'
            $row.architecture | Should -BeOfType 'System.String'
        }

        It 'gives <Id> learning_rate <Rate>' -TestCases @(
            @{ Id = 'fin0001a'; Rate = 0.001 }
            @{ Id = 'fin0002b'; Rate = 0.01 }
            @{ Id = 'fin0003c'; Rate = 0.05 }
            @{ Id = 'fail004d'; Rate = 0.1 }
            @{ Id = 'crsh005e'; Rate = 0.02 }
            @{ Id = 'live006f'; Rate = 0.005 }
            @{ Id = 'resu007g'; Rate = 0.003 }
            @{ Id = 'offl008h'; Rate = 0.001 }
        ) {
            $rowById[$Id].learning_rate | Should -Be $Rate
        }

        It 'keeps a key that contains a dot as one property' {
            $rowById['fin0001a'].'data.augment' | Should -BeTrue
        }

        It 'keeps a nested config as one map-valued property' {
            $rowById['fin0001a'].optimizer.name | Should -BeExactly 'adam'
            $rowById['fin0001a'].optimizer.beta1 | Should -Be 0.9
        }

        It 'shows the resumed run''s latest epochs (5, then 10 after the resume)' {
            $rowById['resu007g'].epochs | Should -Be 10
        }

        It 'gives the run that removed a key that key as $null: every row has the same columns' {
            $rowById['offl008h'].PSObject.Properties.Name | Should -Contain 'architecture'
            $rowById['offl008h'].architecture | Should -BeNullOrEmpty
            $rowById['fin0001a'].architecture | Should -BeExactly 'cnn-small'
            foreach ($row in $rows) {
                ($row.PSObject.Properties.Name -join ',') | Should -BeExactly ($rows[0].PSObject.Properties.Name -join ',')
            }
        }

        It 'hides the SDK''s own _wandb key by default' {
            foreach ($row in $rows) {
                $row.PSObject.Properties.Name | Should -Not -Contain '_wandb'
            }
        }

        It 'shows _wandb with -IncludeInternal' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunConfig -IncludeInternal
            $row.PSObject.Properties.Name | Should -Contain '_wandb'
            $row.learning_rate | Should -Be 0.001
        }
    }

    Context '-Flatten and -Key' {
        It 'turns nested keys into dotted properties with -Flatten' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunConfig -Flatten
            $row.'optimizer.name' | Should -BeExactly 'adam'
            $row.'optimizer.beta1' | Should -Be 0.9
            $row.PSObject.Properties.Name | Should -Not -Contain 'optimizer'
            $row.'data.augment' | Should -BeTrue
        }

        It 'keeps only the keys -Key names' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunConfig -Key learning_rate, epochs
            ($row.PSObject.Properties | ForEach-Object { $_.Name }) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,learning_rate,epochs'
        }

        It 'matches -Key wildcards' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunConfig -Key '*_size', 'arch*'
            $row.batch_size | Should -Be 64
            $row.architecture | Should -BeExactly 'cnn-small'
            $row.PSObject.Properties.Name | Should -Not -Contain 'learning_rate'
        }

        It 'matches dotted paths with -Key and -Flatten' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunConfig -Key 'optimizer.*' -Flatten
            ($row.PSObject.Properties | ForEach-Object { $_.Name }) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,optimizer.name,optimizer.beta1'
        }

        It 'writes the identity and exactly the -Key columns ($null) when -Key names a key the run lacks' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunConfig -Key 'no_such_key' -WarningAction SilentlyContinue
            $row.RunId | Should -Be 'fin0001a'
            ($row.PSObject.Properties.Name -join ',') | Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,no_such_key'
            $row.no_such_key | Should -BeNullOrEmpty
        }

        It 'writes only the identity when a -Key wildcard matches nothing' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunConfig -Key 'no_such_*'
            $row.PSObject.Properties.Name | Should -HaveCount 5
        }

        It 'warns once, naming it, about a -Key without wildcards that no run has' {
            $null = Get-WandbRun -Path $wandb | Get-RunConfig -Key learning_rate, 'no_such_key', 'nope*' -WarningVariable warned -WarningAction SilentlyContinue
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "No run has the config key 'no_such_key'.*"
            $null = Get-WandbRun -Path $wandb | Get-RunConfig -Key LEARNING_RATE, 'optimizer.name' -Flatten -WarningVariable none -WarningAction SilentlyContinue
            $none | Should -BeNullOrEmpty
        }

        It 'reports a run it cannot handle as a catalogue error for that run, and goes on with the next' {
            # A run object the module never made: no config at all.
            $broken = [WandbRunOps.Model.WandbRun]::new()
            $broken.Id = 'broken01'
            $broken.Config = $null
            $out = @($broken, (Get-WandbRun -Path $wandb -Id fin0001a) | Get-RunConfig -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out.RunId | Should -Be @('fin0001a')
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
            $failed[0].TargetObject | Should -Be 'broken01'
            $failed[0].Exception | Should -BeOfType [WandbRunOps.Errors.WandbException]
            $failed[0].Exception.Message | Should -BeLike '*defect*'
        }

        It 'refuses a malformed -Key wildcard as WandbInvalidArgument, not a .NET error' {
            $caught = $null
            try { Get-WandbRun -Path $wandb | Get-RunConfig -Key '[]' } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
            $caught.TargetObject | Should -Be '[]'
            $caught.Exception.Message | Should -BeLike "'``[``]' is not a valid wildcard pattern*"
        }
    }

    Context 'naming runs without Get-WandbRun' {
        It 'reads runs by -Path and -Id' {
            $row = Get-RunConfig -Path $wandb -Id fin0002b
            $row.RunId | Should -Be 'fin0002b'
            $row.learning_rate | Should -Be 0.01
        }

        It 'accepts -Id wildcards' {
            (Get-RunConfig -Path $wandb -Id 'fin*' | ForEach-Object { $_.RunId }) -join ',' |
                Should -Be 'fin0001a,fin0002b,fin0003c'
        }

        It 'reads ./wandb when -Id is given without -Path' {
            Push-Location -LiteralPath (Split-Path -Parent $wandb)
            try {
                $here = @(Get-RunConfig -Id '*')
            }
            finally {
                Pop-Location
            }
            $here | Should -HaveCount 8
        }

        It 'writes a WandbRunNotFound error for an id that is not there' {
            Get-RunConfig -Path $wandb -Id 'nosuch01' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $err[0].TargetObject | Should -BeExactly 'nosuch01'
        }

        It 'lets -ErrorAction Stop make the missing run catchable' {
            { Get-RunConfig -Path $wandb -Id 'nosuch01' -ErrorAction Stop } | Should -Throw -ErrorId 'WandbRunNotFound,*'
        }

        It 'binds rows of the other run cmdlets by RunId and RunPath' {
            $row = Get-WandbRun -Path $wandb -Id fin0003c | Measure-RunRuntime | Get-RunConfig
            $row.RunId | Should -Be 'fin0003c'
            $row.learning_rate | Should -Be 0.05
        }
    }

    Context 'composition with the PowerShell cmdlets' {
        It 'finds the runs with learning_rate above 0.01 with Where-Object' {
            ($rows | Where-Object learning_rate -gt 0.01 | ForEach-Object { $_.RunId }) -join ',' |
                Should -Be 'fin0003c,fail004d,crsh005e'
        }

        It 'sorts by learning_rate' {
            $sorted = $rows | Sort-Object learning_rate -Descending | Select-Object -First 3
            ($sorted | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fail004d,fin0003c,crsh005e'
        }

        It 'groups by learning_rate' {
            $same = $rows | Group-Object learning_rate | Where-Object Count -gt 1
            $same | Should -HaveCount 1
            ($same.Group | ForEach-Object { $_.RunId } | Sort-Object) -join ',' | Should -Be 'fin0001a,offl008h'
        }

        It 'measures learning_rate with Measure-Object' {
            $m = $rows | Measure-Object learning_rate -Minimum -Maximum
            $m.Count | Should -Be 8
            $m.Minimum | Should -Be 0.001
            $m.Maximum | Should -Be 0.1
        }

        It 'selects a few columns with Select-Object' {
            $slim = $rows | Select-Object RunId, learning_rate, epochs
            $slim | Should -HaveCount 8
            ($slim[0].PSObject.Properties | ForEach-Object { $_.Name }) -join ',' | Should -Be 'RunId,learning_rate,epochs'
        }

        It 'round-trips through Export-Csv and Import-Csv' {
            $csv = Join-Path $TestDrive 'config.csv'
            Get-WandbRun -Path $wandb | Get-RunConfig -Flatten | Export-Csv -LiteralPath $csv -NoTypeInformation
            $back = @(Import-Csv -LiteralPath $csv)
            $back | Should -HaveCount 8
            ($back | ForEach-Object { $_.RunId }) -join ',' |
                Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d,crsh005e,offl008h,live006f'
            $back[0].PSObject.Properties.Name | Should -Contain 'optimizer.name'
            $back[0].'optimizer.name' | Should -BeExactly 'adam'
            $back[0].batch_size | Should -BeExactly '64'
            $back[0].'data.augment' | Should -BeExactly 'True'
            ($back | Where-Object RunId -eq 'fin0002b').RunName | Should -BeExactly 'calm-forest-2'
        }

        It 'converts to JSON with the config values' {
            $json = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunConfig | ConvertTo-Json -Depth 5
            $back = $json | ConvertFrom-Json
            $back.RunId | Should -Be 'fin0001a'
            $back.learning_rate | Should -Be 0.001
            $back.optimizer.name | Should -BeExactly 'adam'
            $back.'data.augment' | Should -BeTrue
        }
    }

    Context 'a config key named like an identity property' {
        BeforeAll {
            # A run folder with only files/config.yaml (no .wandb log), whose config has a key named RunId.
            $script:collideRoot = Join-Path (Join-Path $TestDrive 'collide') 'wandb'
            $files = Join-Path (Join-Path $collideRoot 'run-20260101_000000-coll0001') 'files'
            New-Item -ItemType Directory -Path $files -Force | Out-Null
            [System.IO.File]::WriteAllText((Join-Path $files 'config.yaml'), "RunId:`n    value: mine`nlr:`n    value: 0.5`n")
            [System.IO.File]::WriteAllText((Join-Path $files 'wandb-metadata.json'), '{"startedAt": "2026-01-01T00:00:00.000000Z"}')
        }

        It 'renames the key Config_RunId, keeps the real RunId and warns once' {
            $row = Get-WandbRun -Path $collideRoot | Get-RunConfig -WarningVariable warned -WarningAction SilentlyContinue
            $row.RunId | Should -BeExactly 'coll0001'
            $row.Config_RunId | Should -BeExactly 'mine'
            $row.lr | Should -Be 0.5
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -Match 'Config_RunId'
        }

        It 'keeps the original key name in the run''s Config map' {
            (Get-WandbRun -Path $collideRoot).Config.RunId | Should -BeExactly 'mine'
        }
    }

    Context 'tab completion' {
        It 'completes -Id from the run folder names and -Key from the runs'' config keys' {
            $line = "Get-RunConfig -Path '$wandb' -Id fin"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText -join ',' |
                Should -BeExactly 'fin0001a,fin0002b,fin0003c'
            $line = "Get-RunConfig -Path '$wandb' -Key lea"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
                Should -BeExactly 'learning_rate'
        }
    }
}

Describe 'Get-RunConfig: what a user sees' {
    Context 'the sample runs' {
        It 'shows a table at <Width> columns that starts with RunId, then the keys, with whole numbers and maps as text' -TestCases @(
            @{ Width = 80 }
            @{ Width = 120 }
        ) {
            $text = Out-UserText -InputObject $rows -Width $Width
            $header = ($text -split "`r?`n" | Where-Object { $_ -match '^RunId ' } | Select-Object -First 1)
            $header | Should -Match '^RunId\s+learning_rate\s+batch_size'
            $header | Should -Not -Match 'RunPath|RunProject|RunEntity'
            $line = $text -split "`r?`n" | Where-Object { $_ -match '^fin0001a ' }
            $line | Should -Match '\b0\.001\b'
            $line | Should -Not -Match '\b0\.00\b'
            Assert-NoTypeName $text
        }

        It 'shows the same table with Format-Table, and maps read @{key=value; ...}' {
            $text = Out-UserText -InputObject $rows -As Table -Width 120
            $text | Should -Match '@\{name=adam; beta1=0\.9\}'
            ($text -split "`r?`n" | Where-Object { $_ -match '^resu007g ' }) | Should -Match '\b0\.003\b'
            Assert-NoTypeName $text
        }

        It 'shows every property in Format-List, numbers whole' {
            $text = Out-UserText -InputObject $rowById['fin0001a'] -As List
            $text | Should -Match 'RunPath\s+: .+fin0001a'
            $text | Should -Match 'learning_rate\s+: 0\.001\r?\n'
            Assert-NoTypeName $text
        }

        It 'exports every key as a CSV column, whichever run comes first' {
            $csv = @($rows | Sort-Object { $_.RunId -ne 'offl008h' } | ConvertTo-Csv -NoTypeInformation)
            $csv[0] | Should -Match '"architecture"'
            $csv[0] | Should -Match '"data\.augment"'
            Assert-NoTypeName ($csv -join "`n")
        }

        It 'writes JSON with numbers and nested maps as JSON values' {
            $json = $rowById['fin0001a'] | ConvertTo-Json | ConvertFrom-Json
            $json.learning_rate | Should -Be 0.001
            $json.optimizer.name | Should -BeExactly 'adam'
        }

        It 'finds rows with Select-String by their values' {
            @($rows | Select-String -SimpleMatch 'learning_rate=0.003').Count | Should -Be 1
        }

        It 'treats $run.Config like a hashtable: Contains, ContainsKey, Keys, [key] and dot access' {
            $config = (Get-WandbRun -Path $wandb -Id fin0001a).Config
            $config.Contains('learning_rate') | Should -BeTrue
            $config.Contains('nope') | Should -BeFalse
            $config.ContainsKey('learning_rate') | Should -BeTrue
            $config.Keys | Should -Contain 'batch_size'
            $config['learning_rate'] | Should -Be 0.001
            $config.learning_rate | Should -Be 0.001
            $config.optimizer.name | Should -BeExactly 'adam'
        }

        It 'shows $run.Config as a Key/Value table with whole numbers' {
            $text = Out-UserText -InputObject @(, (Get-WandbRun -Path $wandb -Id fin0001a).Config)
            $text | Should -Match 'learning_rate\s+0\.001\r?\n'
            $text | Should -Match 'optimizer\s+@\{name=adam; beta1=0\.9\}'
            Assert-NoTypeName $text
        }
    }

    Context 'the real SDK 0.22.1 runs (the first run''s config is empty)' {
        BeforeAll {
            $script:real = Get-RealFixture 'sdk-0.22.1-online'
        }

        It 'exports the config keys of later runs to CSV: style, ngram, min_df' {
            if (Skip-WithoutRealFixtures) { return }
            $csv = @(Get-WandbRun -Path $real -WarningAction SilentlyContinue | Get-RunConfig | ConvertTo-Csv -NoTypeInformation)
            $csv[0] | Should -BeExactly '"RunId","RunName","RunProject","RunEntity","RunPath","style","ngram","min_df"'
            ($csv -join "`n") | Should -Match '"1, 2"'
            Assert-NoTypeName ($csv -join "`n")
        }

        It 'does the same with -Flatten' {
            if (Skip-WithoutRealFixtures) { return }
            $csv = @(Get-WandbRun -Path $real -WarningAction SilentlyContinue | Get-RunConfig -Flatten | ConvertTo-Csv -NoTypeInformation)
            $csv[0] | Should -Match '"style","ngram","min_df"$'
        }

        It 'streams rows with exactly the -Key columns, $null where a run lacks the key' {
            if (Skip-WithoutRealFixtures) { return }
            $rows = @(Get-WandbRun -Path $real -WarningAction SilentlyContinue | Get-RunConfig -Key ngram, style)
            ($rows[0].PSObject.Properties.Name -join ',') | Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,ngram,style'
            $rows[0].ngram | Should -BeNullOrEmpty
            @($rows | Where-Object { $null -ne $_.ngram })[0].ngram -join '|' | Should -BeExactly '1|2'
        }

        It 'shows config lists as read-only lists that index, -contains and convert to JSON arrays' {
            if (Skip-WithoutRealFixtures) { return }
            $ngram = @(Get-WandbRun -Path $real -WarningAction SilentlyContinue | Where-Object { $_.Config.Contains('ngram') })[0].Config.ngram
            $ngram[1] | Should -Be 2
            $ngram -contains 1 | Should -BeTrue
            $ngram.ToString() | Should -BeExactly '1, 2'
            ConvertTo-Json -InputObject $ngram -Compress | Should -BeExactly '[1,2]'
        }
    }
}
