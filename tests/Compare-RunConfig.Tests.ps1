# Compare-RunConfig: the config keys that differ between a reference run and other runs, one row per key (dotted
# paths for nested keys) with a Compare-Object style SideIndicator.
#
# Sample configs (tests/WandbRunOps.Testing/SampleRunBuilder.cs): every run has batch_size 64, epochs 10 (resu007g:
# 5, then 10 after the resume), optimizer {name adam, beta1 0.9}, architecture cnn-small (removed in offl008h) and
# data.augment true; only learning_rate differs: fin0001a and offl008h 0.001, fin0002b 0.01, fin0003c 0.05,
# fail004d 0.1, crsh005e 0.02, live006f 0.005, resu007g 0.003.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:runs = @(Get-WandbRun -Path $wandb)
    $script:runById = @{}
    foreach ($run in $runs) { $runById[$run.Id] = $run }
}

Describe 'Compare-RunConfig' {
    Context 'two runs' {
        It 'finds only learning_rate differing between fin0001a and fin0002b' {
            $diff = @(Compare-RunConfig -ReferenceRun $runById['fin0001a'] -DifferenceRun $runById['fin0002b'])
            $diff | Should -HaveCount 1
            $diff[0] | Should -BeOfType 'WandbRunOps.Model.ConfigDifference'
            $diff[0].Key | Should -BeExactly 'learning_rate'
            $diff[0].ReferenceValue | Should -Be 0.001
            $diff[0].DifferenceValue | Should -Be 0.01
            $diff[0].ReferenceValue | Should -BeOfType 'System.Double'
            $diff[0].SideIndicator | Should -BeExactly '<>'
            $diff[0].ReferenceRunId | Should -BeExactly 'fin0001a'
            $diff[0].DifferenceRunId | Should -BeExactly 'fin0002b'
        }

        It 'marks a key only the reference has with <=' {
            $diff = @(Compare-RunConfig -ReferenceRun $runById['fin0001a'] -DifferenceRun $runById['offl008h'])
            $diff | Should -HaveCount 1
            $diff[0].Key | Should -BeExactly 'architecture'
            $diff[0].ReferenceValue | Should -BeExactly 'cnn-small'
            $diff[0].DifferenceValue | Should -BeNullOrEmpty
            $diff[0].SideIndicator | Should -BeExactly '<='
        }

        It 'marks a key only the difference run has with =>' {
            $diff = @(Compare-RunConfig $runById['offl008h'] $runById['fin0001a'])
            $diff | Should -HaveCount 1
            $diff[0].Key | Should -BeExactly 'architecture'
            $diff[0].ReferenceValue | Should -BeNullOrEmpty
            $diff[0].DifferenceValue | Should -BeExactly 'cnn-small'
            $diff[0].SideIndicator | Should -BeExactly '=>'
        }

        It 'writes nothing for runs with the same config' {
            Compare-RunConfig -ReferenceRun $runById['fin0001a'] -DifferenceRun $runById['fin0001a'] | Should -BeNullOrEmpty
        }

        It 'adds the equal keys, nested ones as dotted paths, with -IncludeEqual' {
            $diff = @(Compare-RunConfig -ReferenceRun $runById['fin0001a'] -DifferenceRun $runById['fin0002b'] -IncludeEqual)
            ($diff | ForEach-Object { $_.Key + $_.SideIndicator }) -join ',' |
                Should -BeExactly 'learning_rate<>,batch_size==,epochs==,optimizer.name==,optimizer.beta1==,architecture==,data.augment=='
            ($diff | Where-Object Key -eq 'optimizer.name').ReferenceValue | Should -BeExactly 'adam'
        }

        It 'compares the SDK''s own _wandb keys only with -IncludeInternal' {
            $plain = @(Compare-RunConfig $runById['fin0001a'] $runById['fin0002b'] -IncludeEqual)
            $plain.Key | Should -Not -Contain '_wandb'
            $internal = @(Compare-RunConfig $runById['fin0001a'] $runById['fin0002b'] -IncludeEqual -IncludeInternal)
            ($internal | Where-Object { $_.Key -like '_wandb*' }) | Should -Not -BeNullOrEmpty
            $internal.Count | Should -BeGreaterThan $plain.Count
        }
    }

    Context 'many runs' {
        It 'compares every piped run with the reference' {
            $diff = @($runs | Compare-RunConfig -ReferenceRun $runById['fin0001a'])
            ($diff | ForEach-Object { $_.DifferenceRunId + ':' + $_.Key + $_.SideIndicator }) -join ',' |
                Should -BeExactly 'resu007g:learning_rate<>,fin0002b:learning_rate<>,fin0003c:learning_rate<>,fail004d:learning_rate<>,crsh005e:learning_rate<>,offl008h:architecture<=,live006f:learning_rate<>'
        }

        It 'takes an array for -DifferenceRun' {
            $diff = @(Compare-RunConfig -ReferenceRun $runById['fin0001a'] -DifferenceRun $runById['fin0002b'], $runById['fin0003c'])
            ($diff | ForEach-Object { $_.DifferenceRunId + '=' + $_.DifferenceValue }) -join ',' | Should -Be 'fin0002b=0.01,fin0003c=0.05'
        }

        It 'sees that the resumed run ended with the same epochs as the reference' {
            $diff = @(Compare-RunConfig -ReferenceRun $runById['fin0001a'] -DifferenceRun $runById['resu007g'] -IncludeEqual)
            ($diff | Where-Object Key -eq 'epochs').SideIndicator | Should -BeExactly '=='
            ($diff | Where-Object Key -eq 'epochs').DifferenceValue | Should -Be 10
        }
    }

    Context 'composition with the PowerShell cmdlets' {
        It 'groups the differences by key' {
            $groups = $runs | Compare-RunConfig -ReferenceRun $runById['fin0001a'] | Group-Object Key
            ($groups | Where-Object Name -eq 'learning_rate').Count | Should -Be 6
            ($groups | Where-Object Name -eq 'architecture').Count | Should -Be 1
        }

        It 'finds the run whose learning rate is furthest from the reference' {
            $far = $runs | Compare-RunConfig -ReferenceRun $runById['fin0001a'] |
                Where-Object Key -eq 'learning_rate' |
                Sort-Object { [math]::Abs($_.DifferenceValue - $_.ReferenceValue) } -Descending |
                Select-Object -First 1
            $far.DifferenceRunId | Should -Be 'fail004d'
        }

        It 'selects Key and SideIndicator like Compare-Object output' {
            $row = Compare-RunConfig $runById['fin0001a'] $runById['offl008h'] | Select-Object Key, SideIndicator
            $row.Key | Should -BeExactly 'architecture'
            $row.SideIndicator | Should -BeExactly '<='
        }

        It 'shows key, values and side indicator in the default table' {
            $text = Compare-RunConfig $runById['fin0001a'] $runById['fin0002b'] | Out-String -Width 200
            $text | Should -Match 'learning_rate'
            $text | Should -Match '<>'
        }
    }

    Context 'parameters' {
        It 'requires a reference run' {
            { Compare-RunConfig -ReferenceRun $null -DifferenceRun $runById['fin0001a'] } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }
    }

    Context 'runs piped in without -ReferenceRun' {
        It 'takes the first run piped in as the reference' {
            $rows = @(Get-WandbRun -Path $wandb -Id fin0001a, fin0002b, fin0003c | Compare-RunConfig)
            ($rows | ForEach-Object { '{0}>{1}:{2}' -f $_.ReferenceRunId, $_.DifferenceRunId, $_.Key }) -join ',' |
                Should -Be 'fin0001a>fin0002b:learning_rate,fin0001a>fin0003c:learning_rate'
        }

        It 'takes run ids piped in, the first as the reference' {
            Push-Location (Split-Path -Parent $wandb)
            try {
                $rows = @('fin0002b', 'fin0001a' | Compare-RunConfig)
                $rows.ReferenceRunId | Should -Be @('fin0002b')
                $rows.DifferenceValue | Should -Be @(0.001)
            }
            finally {
                Pop-Location
            }
        }

        It 'writes a WandbInvalidArgument error for a single run, rather than nothing' {
            $rows = @($runById['fin0001a'] | Compare-RunConfig -ErrorVariable failed -ErrorAction SilentlyContinue)
            $rows | Should -HaveCount 0
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
        }
    }
}

Describe 'Compare-RunConfig: what a user sees' {
    BeforeAll {
        $script:differences = @($runs | Compare-RunConfig -ReferenceRun ($runs | Where-Object Id -eq fin0001a))
    }

    It 'shows a table at <Width> columns with whole values and no wrapped headers' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        $text = Out-UserText -InputObject $differences -Width $Width
        ($text -split "`r?`n" | Where-Object { $_ -match '^Key ' } | Select-Object -First 1) | Should -Match '^Key\s+ReferenceValue\s+DifferenceValue\s+SideIndicator\s*$'
        $text | Should -Match 'learning_rate\s+0\.001\s+0\.003\s+<>'
        Assert-NoTypeName $text
    }

    It 'exports CSV and JSON without type names' {
        $csv = @($differences | ConvertTo-Csv -NoTypeInformation)
        Assert-NoTypeName ($csv -join "`n")
        ($csv | ConvertFrom-Csv | Where-Object DifferenceRunId -eq 'resu007g').ReferenceValue | Should -BeExactly '0.001'
        ($differences[0] | ConvertTo-Json | ConvertFrom-Json).Key | Should -Not -BeNullOrEmpty
    }

    It 'compares real config lists element by element and shows them as text' {
        if (Skip-WithoutRealFixtures) { return }
        $real = @(Get-WandbRun -Path (Get-RealFixture 'sdk-0.22.1-online') -WarningAction SilentlyContinue | Where-Object { $_.Config.Contains('ngram') })
        $result = @($real | Select-Object -Skip 1 | Compare-RunConfig -ReferenceRun $real[0] -IncludeEqual | Where-Object Key -eq 'ngram')
        $result[0].SideIndicator | Should -BeExactly '=='
        Out-UserText -InputObject $result | Should -Match 'ngram\s+1, 2\s+1, 2'
    }
}
